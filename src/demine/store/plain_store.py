"""A read transaction on a plain DB-API connection, set up as :mod:`.engine` sets up
SQLAlchemy's, for read-only reports that run compiled statements (:mod:`.compiled`).

Only the usual URLs take this path — a SQLite file (``sqlite:///…``) that exists and a
PostgreSQL database through psycopg (``postgresql+psycopg://…``), migrated to the
current revision. Anything else (a missing file, an empty or old database, an
unreachable server, another driver) gives None, and the caller opens the store as
usual, which says what is wrong in the usual words.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from demine.store.compiled import PlainConnection
from demine.store.revision import HEAD_REVISION
from demine.store.statement_cache import StatementCache

log = logging.getLogger(__name__)

#: As :data:`demine.store.engine.BUSY_SECONDS` (a test keeps the two equal).
BUSY_SECONDS = 30.0


def sqlite_path(url: str) -> Path | None:
    """The file of a plain ``sqlite:///FILE`` URL (None for any other URL)."""
    scheme, separator, rest = url.partition("://")
    if scheme not in ("sqlite", "sqlite+pysqlite") or not separator:
        return None
    if not rest.startswith("/") or "?" in rest or "#" in rest:
        return None
    database = rest[1:]
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def psycopg_conninfo(url: str) -> str | None:
    """A libpq URI for a ``postgresql+psycopg://`` URL (None for any other URL)."""
    scheme, separator, rest = url.partition("://")
    if scheme != "postgresql+psycopg" or not separator:
        return None
    parts = urlsplit(f"postgresql://{rest}")
    if not parts.path.strip("/") or parts.fragment:
        return None
    return f"postgresql://{rest}"


@contextmanager
def plain_read(url: str, cache_folder: Path | None = None) -> Iterator[PlainConnection | None]:
    """A read transaction on the database at ``url`` (None when it cannot be had here)."""
    opened = _open(url)
    if opened is None:
        yield None
        return
    raw, dialect = opened
    try:
        revision = _revision(raw, dialect)
        if revision != HEAD_REVISION:
            _close(raw, dialect)
            raw = None
            yield None
            return
        connection = PlainConnection(raw, dialect, StatementCache(dialect, revision, cache_folder))
        yield connection
        connection.cache.save()
    finally:
        if raw is not None:
            _close(raw, dialect)


def _open(url: str) -> tuple[Any, str] | None:
    path = sqlite_path(url)
    if path is not None:
        if not path.is_file():
            return None
        try:
            return _sqlite(path), "sqlite"
        except sqlite3.Error as exc:
            log.debug("plain read of %s not opened: %s", path, exc)
            return None
    conninfo = psycopg_conninfo(url)
    if conninfo is None:
        return None
    import psycopg

    try:
        raw = psycopg.connect(conninfo)
    except psycopg.Error as exc:
        log.debug("plain read not opened: %s", exc)
        return None
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            has_postgis = cursor.fetchone() is not None
        raw.rollback()
    except psycopg.Error:
        raw.close()
        return None
    if not has_postgis:
        raw.close()
        return None
    return raw, "postgresql"


def _sqlite(path: Path) -> sqlite3.Connection:
    """A connection configured as :func:`demine.store.engine._sqlite_engine` configures
    each of its own, in a read (deferred) transaction."""
    raw = sqlite3.connect(path, timeout=BUSY_SECONDS)
    raw.isolation_level = None
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        f"busy_timeout={int(BUSY_SECONDS * 1000)}",
        "cache_size=-65536",
    ):
        raw.execute(f"PRAGMA {pragma}")
    raw.execute("BEGIN")
    return raw


def _revision(raw: Any, dialect: str) -> str | None:
    """The schema revision the database holds (None for an empty database)."""
    cursor = raw.cursor()
    try:
        if dialect == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            )
        else:
            cursor.execute("SELECT to_regclass('alembic_version')")
        found = cursor.fetchone()
        if found is None or found[0] is None:
            return None
        cursor.execute("SELECT version_num FROM alembic_version")
        row = cursor.fetchone()
        return None if row is None else str(row[0])
    finally:
        cursor.close()


def _close(raw: Any, dialect: str) -> None:
    # Nothing was written: ending the read transaction either way is the same, and a
    # rollback also ends one a failed statement left aborted (PostgreSQL).
    try:
        if dialect == "sqlite":
            if raw.in_transaction:
                raw.execute("ROLLBACK")
        else:
            raw.rollback()
    finally:
        raw.close()


def is_plain_database_error(error: BaseException) -> bool:
    """Whether ``error`` is a failure of a DB-API driver read directly."""
    import sys

    if isinstance(error, sqlite3.Error):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)
