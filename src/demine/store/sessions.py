"""Web sessions kept in the database.

The browser's cookie holds a random session id (256 bits); the database keeps only its
SHA-256, like API tokens, so a stolen copy of the database opens no session. A session
ends when its user logs out, at its expiry, and — for every session of the user at once
— when the account is disabled or its password changed. Nothing brings an ended
session back: enabling an account again does not revive old cookies.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select

from demine.store import schema
from demine.store.users import User, user_from_row

_table = schema.sessions


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(connection: Connection, user: User, now: datetime, lifetime: timedelta) -> str:
    """A new session of ``user``, valid for ``lifetime``: the id to hand to the browser.

    Expired sessions of every user are removed on the way, so the table stays small.
    """
    connection.execute(delete(_table).where(_table.c.expires_at < now))
    session_id = secrets.token_urlsafe(32)
    connection.execute(
        insert(_table).values(
            user_id=user.id,
            id_sha256=_digest(session_id),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return session_id


def session_user(connection: Connection, session_id: str, now: datetime) -> User | None:
    """The user of a live session, or None (unknown, expired, or the account disabled)."""
    row = connection.execute(
        select(schema.users)
        .join(_table, _table.c.user_id == schema.users.c.id)
        .where(_table.c.id_sha256 == _digest(session_id))
        .where(_table.c.expires_at > now)
    ).first()
    if row is None:
        return None
    user = user_from_row(connection, row)
    return None if user.disabled else user


def end_session(connection: Connection, session_id: str) -> None:
    """End one session (logging out); an unknown id changes nothing."""
    connection.execute(delete(_table).where(_table.c.id_sha256 == _digest(session_id)))
