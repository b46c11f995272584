"""The package's static files, and addresses of them a browser may keep for good.

A page that names a file by :func:`versioned` address (``/static/demine-map.js?v=<the
first 12 hex digits of its SHA-256>``) gets it marked ``immutable`` for a year: the
address changes when the file does, so a browser never asks twice for the same
version (nor revalidates it, which over a field office's slow link costs a round trip
per file and page). Any other address is served as before, to be revalidated
(``no-cache``).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).parent / "static"
PREFIX = "/static/"
#: Kept for good by browsers (RFC 8246): the address names one version of the file.
FOR_GOOD = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@cache
def digest(relative: str) -> str:
    """The version of a static file: the first 12 hex digits of its SHA-256."""
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


def versioned(address: str) -> str:
    """``/static/<file>`` with its version appended (``?v=<digest>``)."""
    if not address.startswith(PREFIX):
        raise ValueError(f"not a static file's address: {address}")
    return f"{address}?v={digest(address.removeprefix(PREFIX))}"


class VersionedStaticFiles(StaticFiles):
    """Static files, kept for good when asked by their current version's address."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v")
            response.headers["Cache-Control"] = FOR_GOOD if asked == [digest(path)] else REVALIDATE
        return response
