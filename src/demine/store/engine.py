"""Opening a store: an embedded SQLite file or a PostgreSQL/PostGIS server.

SQLite is configured for one writer: WAL journal, foreign keys on, a busy timeout, and
``BEGIN IMMEDIATE`` on write transactions so that two writers queue instead of failing
half-way. Reads use ordinary deferred transactions and never block the writer.
PostgreSQL lets writers run side by side (READ COMMITTED): a write transaction that
reads a row to change it locks the row as it reads it (:func:`is_write`, ``FOR
UPDATE``), so that two writers of one record queue there as they do on SQLite.

No statement takes a text holding a NUL character, on either database: PostgreSQL
cannot store or even compare one (its driver fails), SQLite would; a key or filter
holding one is a bad request, never a server error. (Values to store are checked in
the domain, see :mod:`demine.domain.bounds`; bulk writes of them are not scanned again.)

A SQLite file that does not exist is created only when asked (``create``): a mistyped
path must not become an empty register that answers every question with zeros. A store
opened ``read_only`` never writes to its SQLite file (see :meth:`Store.write`).

A store may have a read replica (a PostgreSQL hot standby): every write and, unless the
caller allows it, every read go to the primary (see :mod:`demine.store.replica`).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from demine.errors import DatabaseMissing, InvalidRequestError, StoreError
from demine.i18n import _
from demine.store.replica import primary_from_now, replica_reads_allowed

log = logging.getLogger(__name__)

_WRITE_OPTION = "demine_write"
#: How long a SQLite write waits for the writer before it (seconds).
BUSY_SECONDS = 30.0
#: Set on the connection of a write that will be rolled back (a dry run).
DRY_RUN_OPTION = "demine_dry_run"

__all__ = [
    "DRY_RUN_OPTION", "Connection", "Store", "is_database_error", "is_write", "open_store",
]  # fmt: skip


#: An open connection of a store, as others outside ``store/`` name its type.
ReadConnection = Connection


class Store:
    """A database holding the register, with explicit read and write transactions."""

    def __init__(
        self,
        engine: Engine,
        *,
        busy_seconds: float = BUSY_SECONDS,
        read_only: bool = False,
        replica: Engine | None = None,
    ) -> None:
        self.engine = engine
        #: A read replica of ``engine``'s database, read where the caller allows it.
        self.replica = replica
        self.busy_seconds = busy_seconds
        #: Nothing is ever written to the database (a dry run on a read-only file).
        self.read_only = read_only
        self._scratch: tuple[Engine, Path] | None = None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def is_postgis(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def reads_replica(self) -> bool:
        """Whether :meth:`read` reads the replica here and now (see :mod:`.replica`)."""
        return self.replica is not None and replica_reads_allowed()

    @contextmanager
    def read(self, *, primary: bool = False) -> Iterator[Connection]:
        """A read-only transaction: on the read replica where the current request allows
        it (:func:`~demine.store.replica.replica_reads`) unless ``primary``, else on the
        primary."""
        replica = self.replica
        engine = replica if replica is not None and not primary and self.reads_replica else None
        with (engine or self.engine).connect() as connection, connection.begin():
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
        exactly what a real write would do. A read-only SQLite store cannot take even a
        rolled-back write, so a dry run on it works on a private temporary copy of the
        database (made once, removed by :meth:`dispose`); on PostgreSQL it writes in a
        transaction that is always rolled back. A read-only store refuses any other write.
        A SQLite write that waited for another (a long import) longer than the busy
        timeout is a :class:`StoreError` saying so — never SQLite's bare ``database is
        locked``.
        """
        engine = self.engine
        if self.read_only:
            if not rollback:
                raise StoreError(
                    _("The database {url} is open read-only: nothing may be written.").format(
                        url=self.describe()
                    )
                )
            if self.dialect == "sqlite":
                engine = self._scratch_copy()
        with engine.connect() as connection:
            connection = connection.execution_options(
                **{_WRITE_OPTION: True, DRY_RUN_OPTION: rollback}
            )
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
        primary_from_now()

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
        if self.replica is not None:
            self.replica.dispose()
        if self._scratch is not None:
            engine, folder = self._scratch
            engine.dispose()
            shutil.rmtree(folder, ignore_errors=True)
            self._scratch = None

    def _scratch_copy(self) -> Engine:
        """An engine on a temporary copy of this SQLite database (SQLite's backup API,
        a consistent snapshot even while another process writes)."""
        if self._scratch is None:
            folder = Path(tempfile.mkdtemp(prefix="demine-dry-run-"))
            path = folder / "scratch.db"
            source = self.engine.raw_connection()
            try:
                target = sqlite3.connect(path)
                try:
                    source.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            finally:
                source.close()
            self._scratch = (_sqlite_engine(f"sqlite:///{path}", False), folder)
            log.debug("dry run on a copy of %s at %s", self.describe(), path)
        return self._scratch[0]


def _settle_kept_answers(connection: Connection) -> None:
    """What the database keeps and triggers cannot decide, decided before the commit
    (:mod:`demine.store.kept_hazard_tests`), so every writer leaves it current."""
    from demine.store.kept_hazard_tests import settle

    settle(connection)


def is_write(connection: Connection) -> bool:
    """Whether ``connection`` runs a write transaction (opened by :meth:`Store.write`)."""
    return bool(connection.get_execution_options().get(_WRITE_OPTION))


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` is a failure of the database or its driver (not of Demine),
    read through SQLAlchemy or directly (:mod:`demine.store.plain_store`)."""
    from demine.store.plain_store import is_plain_database_error

    return isinstance(error, SQLAlchemyError) or is_plain_database_error(error)


def open_store(
    url: str,
    *,
    echo: bool = False,
    create: bool = False,
    read_only: bool = False,
    busy_seconds: float = BUSY_SECONDS,
    read_replica_url: str | None = None,
) -> Store:
    """Open (without migrating) the store at ``url``.

    A SQLite file that does not exist is created only with ``create``; otherwise
    :class:`~demine.errors.DatabaseMissing` names the absolute path looked at.
    ``read_only`` opens a SQLite file so that nothing can write to it (``mode=ro``):
    a dry run then works on a copy (see :meth:`Store.write`). A SQLite write waits up
    to ``busy_seconds`` for another to end. ``read_replica_url`` names a read replica of
    the database (a hot standby; a SQLite file, opened read-only, in tests), read only
    where the caller allows it (see :mod:`demine.store.replica`).
    """
    engine = _engine(url, echo, create, read_only, busy_seconds)
    replica = None
    if read_replica_url is not None:
        replica = _engine(read_replica_url, echo, False, True, busy_seconds)
    return Store(engine, busy_seconds=busy_seconds, read_only=read_only, replica=replica)


def _engine(url: str, echo: bool, create: bool, read_only: bool, busy_seconds: float) -> Engine:
    try:
        if url.startswith("sqlite"):
            path = sqlite_file(url)
            if path is not None and not path.exists() and (read_only or not create):
                raise DatabaseMissing(
                    _("There is no database at {path}.").format(path=path.resolve()),
                    str(path.resolve()),
                )
            if read_only and path is not None:
                return _sqlite_engine(url, echo, busy_seconds, read_only_path=path)
            return _sqlite_engine(url, echo, busy_seconds)
        engine = create_engine(url, echo=echo, pool_pre_ping=True)
        event.listen(engine, "before_cursor_execute", _refuse_nul)
        _check_postgis(engine, url)
        return engine
    except SQLAlchemyError as exc:
        raise StoreError(
            _("Cannot open the database {url}: {exc}").format(url=_safe(url), exc=exc)
        ) from exc


def _refuse_nul(
    _connection: Connection,
    _cursor: Any,
    _statement: str,
    parameters: Any,
    _context: Any,
    executemany: bool,
) -> None:
    if executemany:
        return
    values = parameters.values() if isinstance(parameters, dict) else parameters or ()
    if any(isinstance(value, str) and "\x00" in value for value in values):
        raise InvalidRequestError(
            _("the request holds a NUL character (\\x00), which no text may hold")
        )


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database or a ``file:`` URI)."""
    try:
        database = make_url(url).database
    except ArgumentError:
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _read_only_connection(path: Path, busy_seconds: float) -> sqlite3.Connection:
    """A connection that cannot write to ``path``.

    A WAL database needs its shared-memory file even to be read; when that file does not
    exist and cannot be made (a read-only folder), the file is opened as immutable: no
    one can be writing it then, for a writer would need that same file.
    """
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=busy_seconds, check_same_thread=False)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError:
        connection.close()
        connection = sqlite3.connect(
            f"{uri}&immutable=1", uri=True, timeout=busy_seconds, check_same_thread=False
        )
    return connection


def _sqlite_engine(
    url: str, echo: bool, busy_seconds: float = BUSY_SECONDS, read_only_path: Path | None = None
) -> Engine:
    if read_only_path is None:
        engine = create_engine(url, echo=echo, connect_args={"timeout": busy_seconds})
    else:
        path = read_only_path
        engine = create_engine(
            url, echo=echo, creator=lambda: _read_only_connection(path, busy_seconds)
        )

    event.listen(engine, "before_cursor_execute", _refuse_nul)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Leave transaction control to us (pysqlite's own is not SQLite's).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if read_only_path is None:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        else:
            cursor.execute("PRAGMA query_only=ON")
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
        raise StoreError(
            _("Cannot connect to {url}: {exc}").format(url=_safe(url), exc=exc.orig)
        ) from exc
    if version is None:
        raise StoreError(
            _(
                "The database {url} has no PostGIS extension; "
                "run CREATE EXTENSION postgis in it first."
            ).format(url=_safe(url))
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
