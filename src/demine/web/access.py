"""Who may see what over the web: the caller's principal and the collections it opens.

Requests without a login act as the public: district-level aggregates only — no hazard
polygons, no minefield records, no victim records (IMAS data protection; minefield
locations are security-sensitive). Operational collections need the view-operational
permission (viewer role and above).
"""

from __future__ import annotations

from fastapi import Request

from demine.domain.access import Permission, Principal, Role
from demine.web.ogc.collections import COLLECTIONS

PUBLIC = Principal.of("public", Role.PUBLIC)
PUBLIC_COLLECTIONS = ("districts",)


def caller(request: Request) -> Principal:
    """Whoever is calling (set by the authentication layer; otherwise the public)."""
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else PUBLIC


def caller_collections(request: Request) -> list[str]:
    """The OGC collections the caller may read."""
    if caller(request).can(Permission.VIEW_OPERATIONAL):
        return list(COLLECTIONS)
    return list(PUBLIC_COLLECTIONS)
