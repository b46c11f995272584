"""User accounts, API tokens and login attempts.

Passwords are hashed with Argon2 (argon2-cffi); API tokens are random and only their
SHA-256 is stored. Logins are throttled per user name: after ``MAX_FAILURES`` failed
attempts within ``THROTTLE_WINDOW`` no password is even checked until the window passes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, insert, select, update

from demine.domain.access import Principal, Role, parse_role
from demine.errors import InvalidRequestError, NotFoundError, ThrottledError
from demine.store import schema

MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
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

    def principal(self) -> Principal:
        roles = {self.role, Role.VICTIM_DATA} if self.victim_data else {self.role}
        return Principal(self.username, frozenset(roles))


def _user(connection: Connection, row: object) -> User:
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
        raise InvalidRequestError(f"'{role}' is not an account role")
    if len(password) < 10:
        raise InvalidRequestError("the password must have at least 10 characters")
    table = schema.users
    if connection.execute(select(table.c.id).where(table.c.username == username)).first():
        raise InvalidRequestError(f"user '{username}' already exists")
    organisation_id = None
    if organisation is not None:
        organisation_id = connection.execute(
            select(schema.organisations.c.id).where(schema.organisations.c.code == organisation)
        ).scalar()
        if organisation_id is None:
            raise NotFoundError(f"unknown organisation '{organisation}'")
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
        raise NotFoundError(f"no user '{username}'")
    return _user(connection, row)


def list_users(connection: Connection) -> list[User]:
    rows = connection.execute(select(schema.users).order_by(schema.users.c.username))
    return [_user(connection, row) for row in rows]


def set_disabled(connection: Connection, username: str, disabled: bool) -> User:
    get_user(connection, username)
    connection.execute(
        update(schema.users).where(schema.users.c.username == username).values(disabled=disabled)
    )
    return get_user(connection, username)


def authenticate(
    connection: Connection, username: str, password: str, now: datetime
) -> User | None:
    """The user whose name and password these are, or None; every attempt is recorded.

    A failure returns None instead of raising, so that the caller's transaction commits
    the failed attempt (which the throttle counts).
    """
    attempts = schema.login_attempts
    failures = connection.execute(
        select(func.count())
        .where(attempts.c.username == username)
        .where(attempts.c.succeeded.is_(False))
        .where(attempts.c.at >= now - THROTTLE_WINDOW)
    ).scalar_one()
    if failures >= MAX_FAILURES:
        raise ThrottledError("too many failed logins; try again in 15 minutes")
    row = connection.execute(
        select(schema.users).where(schema.users.c.username == username)
    ).first()
    verified = False
    if row is not None:
        try:
            verified = _hasher.verify(row._mapping["password_hash"], password)
        except (VerificationError, InvalidHashError):
            verified = False
    user = _user(connection, row) if row is not None else None
    succeeded = bool(verified and user is not None and not user.disabled)
    connection.execute(insert(attempts).values(username=username, at=now, succeeded=succeeded))
    if not succeeded or user is None:
        return None
    connection.execute(
        update(schema.users).where(schema.users.c.id == user.id).values(last_login_at=now)
    )
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(connection: Connection, username: str, name: str) -> str:
    """A new API token for ``username`` (shown once; only its hash is kept)."""
    user = get_user(connection, username)
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


def user_for_token(connection: Connection, token: str) -> User | None:
    tokens = schema.api_tokens
    row = connection.execute(
        select(schema.users)
        .join(tokens, tokens.c.user_id == schema.users.c.id)
        .where(tokens.c.token_sha256 == _digest(token))
        .where(tokens.c.revoked.is_(False))
    ).first()
    if row is None:
        return None
    user = _user(connection, row)
    return None if user.disabled else user
