"""User administration over HTTP (administrators): list accounts, add one, disable or
enable one, list and revoke API tokens. Every change is written to the audit log;
passwords, tokens and their hashes never are."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.errors import InvalidRequestError, NotFoundError
from demine.i18n import _
from demine.store import audit
from demine.store.users import (
    TokenInfo,
    User,
    add_user,
    get_user,
    list_tokens,
    list_users,
    revoke_token,
    set_disabled,
)
from demine.web.auth import current_principal
from demine.web.openapi_responses import EVERY_ROUTE, body, errors, list_body
from demine.web.response_models import Account

router = APIRouter(prefix="/api/users", tags=["Users"], responses=EVERY_ROUTE)
ACCOUNT = body(Account, "The account")
CallerPrincipal = Annotated[Principal, Depends(current_principal)]


class UserCreate(BaseModel):
    """A new account, as an administrator fills it in."""

    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=10, max_length=1000)
    role: str = Field(max_length=40, examples=["data_entry"])
    display_name: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=100)
    victim_data: bool = False


def public_user(user: User) -> dict[str, Any]:
    """What the API shows of an account (no password hash, ever)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "organisation": user.organisation,
        "victim_data": user.victim_data,
        "disabled": user.disabled,
    }


def _administrator(principal: Principal) -> None:
    require(principal, Permission.ADMIN, _("manage user accounts"))


def _audited(principal: Principal, action: str, before: User | None, after: User) -> dict[str, Any]:
    """The audit log entry of a change to an account (its public fields only)."""
    return {
        "actor": principal.describe(),
        "action": action,
        "table_name": "users",
        "key": after.username,
        "before": public_user(before) if before else None,
        "after": public_user(after),
        "at": datetime.now(UTC),
    }


@router.get(
    "",
    summary="Every account (administrators)",
    response_model=None,
    responses={200: list_body(Account, "Every account"), **errors(403)},
)
def users(request: Request, principal: CallerPrincipal) -> list[dict[str, Any]]:
    _administrator(principal)
    with request.app.state.store.read() as connection:
        return [public_user(user) for user in list_users(connection)]


@router.post(
    "",
    summary="Add an account (administrators)",
    status_code=201,
    responses={201: ACCOUNT, **errors(400, 403, 404, 422)},
)
def create_user(request: Request, principal: CallerPrincipal, account: UserCreate) -> JSONResponse:
    _administrator(principal)
    with request.app.state.store.write() as connection:
        try:
            user = add_user(
                connection, account.username, account.password, account.role,
                display_name=account.display_name or None,
                organisation=account.organisation or None, victim_data=account.victim_data,
            )  # fmt: skip
        except ValueError as error:  # an unknown role
            raise InvalidRequestError(str(error)) from None
        audit.record(connection, **_audited(principal, "create", None, user))
    return JSONResponse(public_user(user), status_code=201)


def _set_disabled(request: Request, principal: Principal, username: str, disabled: bool) -> Any:
    _administrator(principal)
    if disabled and username == principal.name:
        raise InvalidRequestError(_("you cannot disable your own account"))
    with request.app.state.store.write() as connection:
        before = get_user(connection, username)
        after = set_disabled(connection, username, disabled)
        action = "disable" if disabled else "enable"
        audit.record(connection, **_audited(principal, action, before, after))
    return public_user(after)


@router.post(
    "/{username}/disable",
    summary="Disable an account: its sessions and tokens end",
    response_model=None,
    responses={200: ACCOUNT, **errors(400, 403, 404)},
)
def disable(request: Request, username: str, principal: CallerPrincipal) -> Any:
    return _set_disabled(request, principal, username, True)


@router.post(
    "/{username}/enable",
    summary="Enable a disabled account again",
    response_model=None,
    responses={200: ACCOUNT, **errors(400, 403, 404)},
)
def enable(request: Request, username: str, principal: CallerPrincipal) -> Any:
    return _set_disabled(request, principal, username, False)


@router.get(
    "/{username}/tokens",
    summary="An account's API tokens (never the tokens themselves)",
    responses=errors(403, 404),
)
def tokens(request: Request, username: str, principal: CallerPrincipal) -> list[dict[str, object]]:
    _administrator(principal)
    with request.app.state.store.read() as connection:
        return [token.to_json() for token in list_tokens(connection, username)]


@router.post(
    "/{username}/tokens/{token_id}/revoke",
    summary="Revoke an API token for good",
    responses=errors(403, 404),
)
def revoke(
    request: Request, username: str, token_id: int, principal: CallerPrincipal
) -> dict[str, object]:
    _administrator(principal)
    with request.app.state.store.write() as connection:
        owned = {token.id: token for token in list_tokens(connection, username)}
        if token_id not in owned:
            raise NotFoundError(
                _("user '{user}' has no API token {id}").format(user=username, id=token_id)
            )
        after = revoke_token(connection, token_id)
        audit.record(connection, **_token_audited(principal, owned[token_id], after))
    return after.to_json()


def _token_audited(principal: Principal, before: TokenInfo, after: TokenInfo) -> dict[str, Any]:
    return {
        "actor": principal.describe(),
        "action": "revoke",
        "table_name": "api_tokens",
        "key": str(after.id),
        "before": before.to_json(),
        "after": after.to_json(),
        "at": datetime.now(UTC),
    }
