"""Opening a store: an embedded SQLite file or a PostgreSQL/PostGIS server.

SQLite is configured for one writer: WAL journal, foreign keys on, a busy timeout, and
``BEGIN IMMEDIATE`` on write transactions so that two writers queue instead of failing
half-way. Reads use ordinary deferred transactions and never block the writer.
PostgreSQL lets writers run side by side (READ COMMITTED): a write transaction that
reads a row to change it locks the row as it reads it (:func:`is_write`, ``FOR
UPDATE``), so that two writers of one record queue there as they do on SQLite.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from demine.errors import StoreError
from demine.i18n import _

log = logging.getLogger(__name__)

_WRITE_OPTION = "demine_write"
#: How long a SQLite write waits for the writer before it (seconds).
BUSY_SECONDS = 30.0

__all__ = ["Connection", "Store", "is_database_error", "is_write", "open_store"]


class Store:
    """A database holding the register, with explicit read and write transactions."""

    def __init__(self, engine: Engine, busy_seconds: float = BUSY_SECONDS) -> None:
        self.engine = engine
        self.busy_seconds = busy_seconds

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def is_postgis(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only transaction that sees one moment of the whole database, whatever
        is written meanwhile: a backup or a check reads every table in it.

        SQLite's WAL gives every read transaction its snapshot at its first read;
        PostgreSQL's default (read committed) would see each statement's own moment, so
        the transaction is REPEATABLE READ there.
        """
        with self.engine.connect() as connection:
            if self.is_postgis:
                connection = connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            with connection.begin():
                yield connection

    @contextmanager
    def write(self, *, rollback: bool = False) -> Iterator[Connection]:
        """A write transaction: committed whole on success, rolled back on any error.

        With ``rollback`` the transaction is always rolled back: a dry run that sees
        exactly what a real write would do. A SQLite write that waited for another
        (a long import) longer than the busy timeout is a :class:`StoreError` saying
        so — never SQLite's bare ``database is locked``.
        """
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{_WRITE_OPTION: True})
            try:
                transaction = connection.begin()
            except OperationalError as exc:
                if "database is locked" not in str(exc.orig):
                    raise
                raise StoreError(
                    _(
                        "The database is busy with another change (an import?) that did not "
                        "end within {seconds:g} s; nothing was written. Try again later."
                    ).format(seconds=self.busy_seconds)
                ) from exc
            try:
                yield connection
            except BaseException:
                transaction.rollback()
                raise
            if rollback:
                transaction.rollback()
                return
            try:
                _settle_kept_answers(connection)
            except BaseException:
                transaction.rollback()
                raise
            transaction.commit()

    @property
    def file_path(self) -> Path | None:
        """The file of a SQLite database (None for PostgreSQL or an in-memory database)."""
        database = self.engine.url.database
        if self.is_postgis or not database or database == ":memory:":
            return None
        return Path(database)

    def describe(self) -> str:
        """The database's URL without its password, for messages."""
        return _safe(self.engine.url.render_as_string(hide_password=False))

    def dispose(self) -> None:
        self.engine.dispose()


def _settle_kept_answers(connection: Connection) -> None:
    """What the database keeps and triggers cannot decide, decided before the commit
    (:mod:`demine.store.kept_hazard_tests`), so every writer leaves it current."""
    from demine.store.kept_hazard_tests import settle

    settle(connection)


def is_write(connection: Connection) -> bool:
    """Whether ``connection`` runs a write transaction (opened by :meth:`Store.write`)."""
    return bool(connection.get_execution_options().get(_WRITE_OPTION))


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` is a failure of the database or its driver (not of Demine)."""
    return isinstance(error, SQLAlchemyError)


def open_store(url: str, *, echo: bool = False, busy_seconds: float = BUSY_SECONDS) -> Store:
    """Open (without migrating) the store at ``url``; a SQLite write waits up to
    ``busy_seconds`` for another to end."""
    try:
        if url.startswith("sqlite"):
            engine = _sqlite_engine(url, echo, busy_seconds)
        else:
            engine = create_engine(url, echo=echo, pool_pre_ping=True)
            _check_postgis(engine, url)
    except SQLAlchemyError as exc:
        raise StoreError(f"Cannot open the database {_safe(url)}: {exc}") from exc
    return Store(engine, busy_seconds)


def _sqlite_engine(url: str, echo: bool, busy_seconds: float) -> Engine:
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_seconds})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Leave transaction control to us (pysqlite's own is not SQLite's).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        # 64 MB of page cache (the default is 2 MB): large imports update several
        # indexes at random places, and a small cache rereads their pages.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        if is_write(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def _check_postgis(engine: Engine, url: str) -> None:
    try:
        with engine.connect() as connection:
            version = connection.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
    except OperationalError as exc:
        raise StoreError(f"Cannot connect to {_safe(url)}: {exc.orig}") from exc
    if version is None:
        raise StoreError(
            f"The database {_safe(url)} has no PostGIS extension; "
            "run CREATE EXTENSION postgis in it first."
        )
    log.debug("PostGIS %s at %s", version, _safe(url))


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.split("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url
