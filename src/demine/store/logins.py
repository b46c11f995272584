"""Logging in, throttled so that guessing is slow and nobody can lock an account out.

Every attempt is recorded with the user name and the caller's address. Failures within
``WINDOW`` make the next attempt wait, growing twice as long with each further failure
(1 s, 2 s, 4 s … at most ``MAX_DELAY``), counted three ways:

- per account from one address (after ``FREE_PAIR_FAILURES``; a success resets it);
- per address, whatever the account (after ``FREE_ADDRESS_FAILURES``: password spraying);
- per account from every address (after ``FREE_ACCOUNT_FAILURES``: guessing from many
  addresses), applied only to addresses that themselves failed on the account lately.

So an attacker's failures never delay the account's owner logging in from an address
without recent failures, and there is no lock to trigger: only waits, answered with
:class:`~demine.errors.ThrottledError` (429 with ``Retry-After``) before any password is
checked. An unknown user name is checked against a hash of the same cost, so it takes
as long as a wrong password.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, func, insert, select, text, update

from demine.errors import ThrottledError
from demine.i18n import ngettext
from demine.store import schema
from demine.store.users import User, password_matches, user_from_row

WINDOW = timedelta(hours=1)
MAX_DELAY = timedelta(minutes=15)
FREE_PAIR_FAILURES = 3
FREE_ADDRESS_FAILURES = 10
FREE_ACCOUNT_FAILURES = 10
#: Column sizes of ``login_attempts``: longer names or addresses are cut to fit.
_NAME_LENGTH = 100

_attempts = schema.login_attempts


@dataclass(frozen=True)
class Failures:
    """Recent failed attempts of one kind: how many, and when the last one was."""

    count: int
    last: datetime | None

    def wait(self, free: int, now: datetime) -> float:
        """Seconds the next attempt must still wait (0: it may go ahead)."""
        if self.count < free or self.last is None:
            return 0.0
        delay = min(2.0 ** min(self.count - free, 30), MAX_DELAY.total_seconds())
        return max(0.0, (self.last + timedelta(seconds=delay) - now).total_seconds())


def _failures(connection: Connection, since: datetime, *where: ColumnElement[bool]) -> Failures:
    count, last = connection.execute(
        select(func.count(), func.max(_attempts.c.at))
        .where(_attempts.c.succeeded.is_(False), _attempts.c.at >= since)
        .where(*where)
    ).one()
    return Failures(int(count), last)


def _since_last_success(
    connection: Connection, since: datetime, *where: ColumnElement[bool]
) -> datetime:
    last = connection.execute(
        select(func.max(_attempts.c.at)).where(_attempts.c.succeeded.is_(True)).where(*where)
    ).scalar()
    return max(since, last) if last is not None else since


def login_wait(connection: Connection, username: str, address: str, now: datetime) -> float:
    """Seconds before ``username`` may try to log in again from ``address``."""
    since = now - WINDOW
    of_account = _attempts.c.username == username
    from_address = _attempts.c.address == address
    pair = _failures(
        connection,
        _since_last_success(connection, since, of_account, from_address),
        of_account,
        from_address,
    )
    waits = [
        pair.wait(FREE_PAIR_FAILURES, now),
        _failures(connection, since, from_address).wait(FREE_ADDRESS_FAILURES, now),
    ]
    if pair.count:
        account_since = _since_last_success(connection, since, of_account)
        account = _failures(connection, account_since, of_account)
        waits.append(account.wait(FREE_ACCOUNT_FAILURES, now))
    return max(waits)


def _one_at_a_time(connection: Connection, username: str, address: str) -> None:
    """Attempts on one account, or from one address, are checked one after the other, so
    that many sent at once cannot all pass the throttle before any failure is recorded.
    SQLite already writes one transaction at a time; PostgreSQL takes two transaction
    locks, always in this order (so two attempts never wait for each other in a circle)."""
    if connection.dialect.name != "postgresql":
        return
    for key in (f"login-account:{username}", f"login-address:{address}"):
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def authenticate(
    connection: Connection, username: str, password: str, address: str, now: datetime
) -> User | None:
    """The user whose name and password these are, or None; every attempt is recorded.

    A failure returns None instead of raising, so that the caller's transaction commits
    the failed attempt (which the throttle counts). An attempt that must still wait is
    refused before any password is checked, and is not recorded.
    """
    username, address = username[:_NAME_LENGTH], address[:_NAME_LENGTH]
    _one_at_a_time(connection, username, address)
    wait = login_wait(connection, username, address, now)
    if wait > 0:
        seconds = math.ceil(wait)
        said = ngettext(
            "too many failed logins; try again in {seconds} second",
            "too many failed logins; try again in {seconds} seconds",
            seconds,
        )
        raise ThrottledError(said.format(seconds=seconds), retry_after=seconds)
    row = connection.execute(
        select(schema.users).where(schema.users.c.username == username)
    ).first()
    verified = password_matches(row._mapping["password_hash"] if row else None, password)
    user = user_from_row(connection, row) if row is not None else None
    succeeded = bool(verified and user is not None and not user.disabled)
    connection.execute(
        insert(_attempts).values(username=username, address=address, at=now, succeeded=succeeded)
    )
    if not succeeded or user is None:
        return None
    connection.execute(
        update(schema.users).where(schema.users.c.id == user.id).values(last_login_at=now)
    )
    return user
