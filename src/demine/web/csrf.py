"""Cross-site request forgery: a change made with the browser's credentials must come
from this site's own pages.

A browser attaches the session cookie (and cached basic-authentication credentials) to
any request, whichever site's page sends it; a form on ``evil.example`` could then
disable an account or approve a report in a logged-in user's name. So a
state-changing request (POST, PUT, PATCH, DELETE) carrying a session cookie must say
where it comes from — its ``Origin`` header or, when a browser sends none, its
``Referer`` — and that must be this site. Browsers send ``Origin`` on every such
request, so Demine's own pages and scripts pass; a cookie-carrying change that names no
origin at all is refused too. Logging in is checked the same way (a cross-site login
would sign the victim into the attacker's account). Requests with an API token
(``Authorization: Bearer``) are left alone: no browser adds that header by itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from demine.errors import Forbidden
from demine.i18n import _
from demine.web.auth import COOKIE

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}
#: Paths that sign a browser in: checked even without a session cookie.
LOGIN_PATHS = frozenset({"/login"})


def _origin(scheme: str, netloc: str) -> str:
    """``scheme://host[:port]`` in lower case, without the scheme's default port."""
    scheme, netloc = scheme.lower(), netloc.lower().rpartition("@")[2]
    host, colon, port = netloc.rpartition(":")
    if colon and port == _DEFAULT_PORTS.get(scheme):
        netloc = host
    return f"{scheme}://{netloc}"


def claimed_origin(request: Request) -> str | None:
    """Where the browser says the request comes from (``null`` for an opaque origin)."""
    origin = request.headers.get("origin")
    if origin is not None:
        origin = origin.strip()
        if origin == "null":
            return "null"
        parts = urlsplit(origin)
        return _origin(parts.scheme, parts.netloc)
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer.strip())
        return _origin(parts.scheme, parts.netloc)
    return None


def own_origins(request: Request, https: bool) -> set[str]:
    """This site's origins as the browser sees them (https:// too behind a TLS proxy)."""
    host = request.headers.get("host", "")
    schemes = {request.url.scheme, "https"} if https else {request.url.scheme}
    return {_origin(scheme, host) for scheme in schemes}


def _credentials(request: Request) -> str | None:
    """Which credentials a browser could have attached by itself: cookie, basic, none."""
    scheme = request.headers.get("authorization", "").partition(" ")[0].lower()
    if scheme == "bearer":
        return None
    if request.url.path in LOGIN_PATHS:  # acts with the password sent, not the cookie
        return "login"
    if COOKIE in request.cookies:
        return "cookie"
    return "basic" if scheme == "basic" else None


def check_same_origin(request: Request, *, https: bool) -> None:
    """Refuse (:class:`Forbidden`) a state-changing request that a page of another site
    could have made with the browser's credentials."""
    if request.method in SAFE_METHODS:
        return
    credentials = _credentials(request)
    if credentials is None:
        return
    origin = claimed_origin(request)
    if origin is None:
        # Browsers always name the origin of a cross-site POST; scripts logging in or
        # using basic authentication name none and are no forgery.
        if credentials == "cookie":
            raise Forbidden(
                _(
                    "a change sent with a session cookie must name its origin "
                    "(Origin or Referer header); refused as a possible cross-site request"
                )
            )
        return
    if origin not in own_origins(request, https):
        raise Forbidden(
            _("cross-site request refused: it comes from {origin}, not from this site").format(
                origin=origin
            )
        )
