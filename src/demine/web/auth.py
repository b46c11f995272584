"""Logging in over the web: server-side sessions for people, bearer tokens for scripts.

The session cookie holds only a random session id; the session itself lives in the
database (:mod:`demine.store.sessions`), so logging out, disabling the account or
changing its password ends it on every server process, and a copied cookie dies with
it. The cookie is HttpOnly, SameSite=Lax, and Secure when the site is served over
HTTPS (``DEMINE_HTTPS``). Changes sent with it must come from this site
(:mod:`demine.web.csrf`). Logins are throttled per address and per account
(:mod:`demine.store.logins`).
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from demine.domain.access import Principal
from demine.errors import AuthenticationError
from demine.i18n import _
from demine.store.engine import ReadConnection as Connection
from demine.store.engine import Store
from demine.store.logins import authenticate
from demine.store.sessions import end_session, session_user, start_session
from demine.store.users import User, mark_token_used, user_for_token
from demine.web.access import PUBLIC, caller
from demine.web.openapi_responses import EVERY_ROUTE, body, errors, header
from demine.web.openrosa import is_openrosa
from demine.web.pages import safe_next
from demine.web.response_models import Caller, LoggedIn

COOKIE = "demine_session"
SESSION_LIFETIME = timedelta(hours=8)

log = logging.getLogger(__name__)
router = APIRouter(tags=["Authentication"], responses=EVERY_ROUTE)
_SESSION = {"Set-Cookie": header("The session cookie")}


@dataclass(frozen=True)
class TokenToMark:
    """An API token whose ``last_used_at`` is to be brought up to date after the answer."""

    token_id: int
    at: datetime


def resolve_caller(request: Request, reading: Connection | None = None) -> TokenToMark | None:
    """Set ``request.state.principal`` (and ``.user``) from a token or session cookie.

    Returns the token to mark as used, if its last use is old enough to be worth a write.
    ``reading``: a read transaction of the request's store to look the caller up in
    (else one of its own).
    """
    store = request.app.state.store
    header = request.headers.get("authorization", "")
    now = datetime.now(UTC)
    user: User | None = None
    to_mark: TokenToMark | None = None
    if is_openrosa(request.url.path) and header.lower().startswith("basic "):
        user = _device_or_account(request, header, now)
        request.state.user = user
        request.state.principal = user.principal()
        return None
    token = _token(header)
    session = request.cookies.get(COOKIE)
    if token is not None or session is not None:
        user, to_mark = _known_caller(store, token, session, now, reading=reading)
        if user is None and store.reads_replica:
            # Logged in or given a token a moment ago: the replica may not hold it yet.
            user, to_mark = _known_caller(store, token, session, now, primary=True)
        if token is not None and user is None:
            raise AuthenticationError(_("invalid or revoked API token"))
    request.state.user = user
    request.state.principal = user.principal() if user is not None else PUBLIC
    return to_mark


def keep_resolved(request: Request) -> None:
    """Note that ``request``'s caller is resolved (by :func:`resolve_caller`, with no
    token use to record): the authentication layer need not look the caller up again
    for the same request."""
    request.state.caller_resolved = True


def resolved_before(request: Request) -> bool:
    """Whether :func:`keep_resolved` noted ``request``'s caller as resolved."""
    return getattr(request.state, "caller_resolved", False) is True


def _known_caller(
    store: Store,
    token: str | None,
    session: str | None,
    now: datetime,
    *,
    primary: bool = False,
    reading: Connection | None = None,
) -> tuple[User | None, TokenToMark | None]:
    """The user a live token (else session) names, and the token to mark as used."""
    if reading is not None and not primary:
        return _caller_in(reading, token, session, now)
    with store.read(primary=primary) as connection:
        return _caller_in(connection, token, session, now)


def _caller_in(
    connection: Connection, token: str | None, session: str | None, now: datetime
) -> tuple[User | None, TokenToMark | None]:
    if token is not None:
        use = user_for_token(connection, token, now)
        if use is None:
            return None, None
        return use.user, TokenToMark(use.token_id, now) if use.stale else None
    return (session_user(connection, session, now) if session is not None else None), None


def _device_or_account(request: Request, header: str, now: datetime) -> User:
    """The user an OpenRosa client's HTTP Basic credentials name: a device's API token as
    the password (any user name), or a Demine account's user name and password (ODK
    Collect asks for both; logins are throttled as the login form's are)."""
    token = _token(header)
    store = request.app.state.store
    if token is not None:
        with store.read() as connection:
            use = user_for_token(connection, token, now)
        if use is None and store.reads_replica:
            with store.read(primary=True) as connection:
                use = user_for_token(connection, token, now)
        if use is not None:
            return use.user
    username, _colon, password = _basic_pair(header)
    with store.write() as connection:
        user = authenticate(connection, username, password, client_address(request), now)
    if user is None:
        raise AuthenticationError(_("wrong user name or password, or the account is disabled"))
    return user


def _basic_pair(header: str) -> tuple[str, str, str]:
    value = header.partition(" ")[2].strip()
    try:
        return base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise AuthenticationError(_("malformed basic authentication header")) from None


def mark_used(request: Request, token: TokenToMark) -> None:
    """Record a token's use; never fails the request it served (a busy database waits)."""
    try:
        with request.app.state.store.write() as connection:
            mark_token_used(connection, token.token_id, token.at)
    except Exception:  # a busy or failing database: the request was answered all the same
        log.warning("could not record the use of API token %s", token.token_id, exc_info=True)


def _token(header: str) -> str | None:
    """The API token of an ``Authorization`` header: ``Bearer TOKEN``, or HTTP Basic
    with the token as password (what QGIS and GDAL's basic authentication send)."""
    scheme, _space, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthenticationError(_("malformed basic authentication header")) from None
        return decoded.partition(":")[2] or None
    return None


def current_principal(request: Request) -> Principal:
    return caller(request)


def client_address(request: Request) -> str:
    """The caller's network address (behind a proxy, the one it forwards: see README)."""
    return request.client.host if request.client is not None else "unknown"


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.https) or request.url.scheme == "https"


@router.post(
    "/login",
    summary="Log in (form or JSON) and receive a session cookie",
    responses={
        200: body(LoggedIn, "Logged in", headers=_SESSION),
        303: {
            "description": "Logged in, sent on to the page named by next",
            "headers": {**_SESSION, "Location": header("The page")},
        },
        **errors(403, 422, 429),
    },
)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    now = datetime.now(UTC)
    with request.app.state.store.write() as connection:
        user = authenticate(connection, username, password, client_address(request), now)
        if user is not None:
            if COOKIE in request.cookies:  # whoever was logged in in this browser before
                end_session(connection, request.cookies[COOKIE])
            session_id = start_session(connection, user, now, SESSION_LIFETIME)
    if user is None:
        raise AuthenticationError(_("wrong user name or password, or the account is disabled"))
    # Only a local path: never an open redirect to another site (``//host``).
    target = safe_next(next_page) if next_page else ""
    response: Response = (
        RedirectResponse(target, status_code=303)
        if target
        else JSONResponse({"username": user.username, "role": user.role.value})
    )
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


@router.post(
    "/logout",
    summary="End the session (for good: the cookie no longer works)",
    status_code=303,
    response_class=RedirectResponse,
    responses={
        303: {"description": "Logged out", "headers": {"Location": header("/")}},
        **errors(403),
    },
)
def logout(request: Request) -> Response:
    if COOKIE in request.cookies:
        with request.app.state.store.write() as connection:
            end_session(connection, request.cookies[COOKIE])
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=_secure(request))
    return response


@router.get(
    "/api/me",
    summary="Who is calling",
    response_model=None,
    responses={200: body(Caller, "The caller")},
)
def me(principal: Annotated[Principal, Depends(current_principal)]) -> dict[str, object]:
    return {"name": principal.name, "roles": sorted(r.value for r in principal.roles)}
