"""User accounts and API tokens.

Passwords are hashed with Argon2 (argon2-cffi); API tokens are random and only their
SHA-256 is stored. Disabling an account ends its web sessions and revokes its tokens
for good (enabling it again revives neither); changing a password ends its sessions.
Logging in, and its throttling, is :mod:`demine.store.logins`.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Select, bindparam, delete, insert, select, update

from demine.domain.access import Principal, Role, parse_role
from demine.errors import InvalidRequestError, NotFoundError
from demine.i18n import LANGUAGES, _
from demine.store import schema

MIN_PASSWORD_LENGTH = 10
#: How often a token's ``last_used_at`` is brought up to date (a write per request
#: would make every API read a write).
TOKEN_USE_PRECISION = timedelta(minutes=10)
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str | None
    role: Role
    victim_data: bool
    organisation: str | None
    disabled: bool
    #: The language chosen for the web pages (None: the browser's, else the site's).
    language: str | None = None

    def principal(self) -> Principal:
        roles = {self.role, Role.VICTIM_DATA} if self.victim_data else {self.role}
        return Principal(self.username, frozenset(roles))


def user_from_row(connection: Connection, row: object) -> User:
    """The account a row of ``users`` describes."""
    mapping = row._mapping  # type: ignore[attr-defined]
    organisation = None
    if mapping["organisation_id"] is not None:
        organisation = connection.execute(
            select(schema.organisations.c.code).where(
                schema.organisations.c.id == mapping["organisation_id"]
            )
        ).scalar_one()
    return User(
        id=mapping["id"],
        username=mapping["username"],
        display_name=mapping["display_name"],
        role=Role(mapping["role"]),
        victim_data=bool(mapping["victim_data"]),
        organisation=organisation,
        disabled=bool(mapping["disabled"]),
        language=mapping["language"],
    )


def add_user(
    connection: Connection,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str | None = None,
    organisation: str | None = None,
    victim_data: bool = False,
) -> User:
    """Create an account; the password must have at least 10 characters."""
    chosen = parse_role(role)
    if chosen is Role.VICTIM_DATA or chosen is Role.PUBLIC:
        raise InvalidRequestError(_("'{role}' is not an account role").format(role=role))
    _check_password(password)
    table = schema.users
    if connection.execute(select(table.c.id).where(table.c.username == username)).first():
        raise InvalidRequestError(_("user '{username}' already exists").format(username=username))
    organisation_id = None
    if organisation is not None:
        organisation_id = connection.execute(
            select(schema.organisations.c.id).where(schema.organisations.c.code == organisation)
        ).scalar()
        if organisation_id is None:
            raise NotFoundError(
                _("unknown organisation '{organisation}'").format(organisation=organisation)
            )
    connection.execute(
        insert(table).values(
            username=username,
            display_name=display_name,
            password_hash=_hasher.hash(password),
            role=chosen.value,
            victim_data=victim_data,
            organisation_id=organisation_id,
            disabled=False,
            created_at=datetime.now(UTC),
        )
    )
    return get_user(connection, username)


def get_user(connection: Connection, username: str) -> User:
    row = connection.execute(
        select(schema.users).where(schema.users.c.username == username)
    ).first()
    if row is None:
        raise NotFoundError(_("no user '{username}'").format(username=username))
    return user_from_row(connection, row)


def list_users(connection: Connection) -> list[User]:
    rows = connection.execute(select(schema.users).order_by(schema.users.c.username))
    return [user_from_row(connection, row) for row in rows]


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequestError(
            _("the password must have at least {count} characters").format(
                count=MIN_PASSWORD_LENGTH
            )
        )


def _end_sessions(connection: Connection, user_id: int) -> None:
    connection.execute(delete(schema.sessions).where(schema.sessions.c.user_id == user_id))


def set_disabled(connection: Connection, username: str, disabled: bool) -> User:
    """Disable or enable an account. Disabling ends every session of the account and
    revokes every token; enabling it again lets it log in anew, with new tokens."""
    user = get_user(connection, username)
    connection.execute(
        update(schema.users).where(schema.users.c.id == user.id).values(disabled=disabled)
    )
    if disabled:
        _end_sessions(connection, user.id)
        connection.execute(
            update(schema.api_tokens)
            .where(schema.api_tokens.c.user_id == user.id)
            .values(revoked=True)
        )
    return get_user(connection, username)


def set_password(connection: Connection, username: str, password: str) -> User:
    """Give an account a new password; every session of the account ends (its API
    tokens, separate credentials, stay until revoked)."""
    _check_password(password)
    user = get_user(connection, username)
    connection.execute(
        update(schema.users)
        .where(schema.users.c.id == user.id)
        .values(password_hash=_hasher.hash(password))
    )
    _end_sessions(connection, user.id)
    return user


def set_language(connection: Connection, username: str, language: str | None) -> User:
    """Keep the language ``username`` reads Demine in (None: their browser's again)."""
    if language is not None and language not in LANGUAGES:
        raise InvalidRequestError(
            _("Demine does not speak '{language}' (available: {languages})").format(
                language=language, languages=", ".join(LANGUAGES)
            )
        )
    user = get_user(connection, username)
    connection.execute(
        update(schema.users).where(schema.users.c.id == user.id).values(language=language)
    )
    return get_user(connection, username)


@functools.cache
def _dummy_hash() -> str:
    """A hash of the same cost as real ones, checked for unknown user names so that a
    wrong name takes as long as a wrong password (no enumeration of names by timing)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one hashed; None (no such user) takes as long."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of an API token (never the token itself)."""

    id: int
    username: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked": self.revoked,
        }


def create_token(connection: Connection, username: str, name: str) -> str:
    """A new API token for ``username`` (shown once; only its hash is kept)."""
    user = get_user(connection, username)
    if user.disabled:
        raise InvalidRequestError(_("user '{user}' is disabled").format(user=username))
    token = "dmn_" + secrets.token_urlsafe(32)
    connection.execute(
        insert(schema.api_tokens).values(
            user_id=user.id,
            name=name,
            token_sha256=_digest(token),
            created_at=datetime.now(UTC),
            revoked=False,
        )
    )
    return token


def _token_query() -> Select[Any]:
    tokens = schema.api_tokens
    return select(
        tokens.c.id, schema.users.c.username, tokens.c.name, tokens.c.created_at,
        tokens.c.last_used_at, tokens.c.revoked,
    ).join(schema.users, schema.users.c.id == tokens.c.user_id)  # fmt: skip


def list_tokens(connection: Connection, username: str | None = None) -> list[TokenInfo]:
    """The API tokens of one user (or of everyone), oldest first."""
    query = _token_query().order_by(schema.api_tokens.c.id)
    if username is not None:
        query = query.where(schema.users.c.id == get_user(connection, username).id)
    return [TokenInfo(*row) for row in connection.execute(query)]


def revoke_token(connection: Connection, token_id: int) -> TokenInfo:
    """Revoke one API token for good (revoking it again changes nothing)."""
    tokens = schema.api_tokens
    changed = connection.execute(
        update(tokens).where(tokens.c.id == token_id).values(revoked=True)
    ).rowcount
    if not changed:
        raise NotFoundError(_("no API token {id}").format(id=token_id))
    return TokenInfo(*connection.execute(_token_query().where(tokens.c.id == token_id)).one())


@dataclass(frozen=True)
class TokenUse:
    """A valid token's user, and whether its ``last_used_at`` is worth updating."""

    user: User
    token_id: int
    stale: bool


@functools.cache
def _token_user() -> Select[Any]:
    # Built once: every request with a token runs it (its digest a bound parameter).
    tokens = schema.api_tokens
    return (
        select(schema.users, tokens.c.id.label("token_id"), tokens.c.last_used_at)
        .join(tokens, tokens.c.user_id == schema.users.c.id)
        .where(tokens.c.token_sha256 == bindparam("digest"))
        .where(tokens.c.revoked.is_(False))
    )


def user_for_token(connection: Connection, token: str, now: datetime) -> TokenUse | None:
    """Whose live token this is (None: unknown, revoked, or the account disabled)."""
    row = connection.execute(_token_user(), {"digest": _digest(token)}).first()
    if row is None:
        return None
    user = user_from_row(connection, row)
    if user.disabled:
        return None
    used = row._mapping["last_used_at"]
    stale = used is None or now - used >= TOKEN_USE_PRECISION
    return TokenUse(user, int(row._mapping["token_id"]), stale)


def mark_token_used(connection: Connection, token_id: int, now: datetime) -> None:
    connection.execute(
        update(schema.api_tokens).where(schema.api_tokens.c.id == token_id).values(last_used_at=now)
    )
