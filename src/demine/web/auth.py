"""Logging in over the web: signed session cookies for people, bearer tokens for scripts.

The session cookie holds only the user name, signed with the server's secret
(itsdangerous) and expiring after ``SESSION_SECONDS``; it is HttpOnly, SameSite=Lax and
Secure unless the server runs on plain HTTP for local use. The account is looked up on
every request, so disabling a user ends their sessions at once.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from demine.domain.access import Principal
from demine.errors import AuthenticationError, NotFoundError
from demine.i18n import _
from demine.store.users import User, authenticate, get_user, user_for_token
from demine.web.access import PUBLIC, caller
from demine.web.openapi_responses import EVERY_ROUTE, body, errors, header
from demine.web.pages import safe_next
from demine.web.response_models import Caller, LoggedIn

COOKIE = "demine_session"
SESSION_SECONDS = 8 * 3600

router = APIRouter(tags=["Authentication"], responses=EVERY_ROUTE)
_SESSION = {"Set-Cookie": header("The session cookie")}


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="demine-session")


def resolve_caller(request: Request) -> None:
    """Set ``request.state.principal`` (and ``.user``) from a token or session cookie."""
    store = request.app.state.store
    header = request.headers.get("authorization", "")
    user: User | None = None
    with store.read() as connection:
        token = _token(header)
        if token is not None:
            user = user_for_token(connection, token)
            if user is None:
                raise AuthenticationError(_("invalid or revoked API token"))
        elif COOKIE in request.cookies:
            try:
                username = _serializer(request).loads(
                    request.cookies[COOKIE], max_age=SESSION_SECONDS
                )
                candidate = get_user(connection, str(username))
                user = None if candidate.disabled else candidate
            except (BadSignature, SignatureExpired, NotFoundError):
                user = None
    request.state.user = user
    request.state.principal = user.principal() if user is not None else PUBLIC


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


@router.post(
    "/login",
    summary="Log in (form or JSON) and receive a session cookie",
    responses={
        200: body(LoggedIn, "Logged in", headers=_SESSION),
        303: {
            "description": "Logged in, sent on to the page named by next",
            "headers": {**_SESSION, "Location": header("The page")},
        },
        **errors(422, 429),
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
        user = authenticate(connection, username, password, now)
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
        _serializer(request).dumps(user.username),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post(
    "/logout",
    summary="End the session",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Logged out", "headers": {"Location": header("/")}}},
)
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get(
    "/api/me",
    summary="Who is calling",
    response_model=None,
    responses={200: body(Caller, "The caller")},
)
def me(principal: Annotated[Principal, Depends(current_principal)]) -> dict[str, object]:
    return {"name": principal.name, "roles": sorted(r.value for r in principal.roles)}
