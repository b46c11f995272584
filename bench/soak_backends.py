"""Where the kill soak writes: its files, its databases, and how it sees an import's
moments (its opening of the database, its commit) from outside the process."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import generate
import numpy as np
from harness import POSTGRES_ADMIN_URL
from pyogrio.raw import read, write
from soak_checks import COUNTRY, Imported

from demine.ingest.importer import import_file
from demine.store import migrate
from demine.store.engine import open_store
from demine.store.users import add_user, create_token

IMPORT_APP = "demine-soak-import"
SERVE_APP = "demine-soak-serve"
PREREQUISITES = ("admin-areas", "organisations", "hazards", "activities")


# -- the files -----------------------------------------------------------------------------


def base_file(work: Path, finds: int) -> Path:
    """The generator's register for one country with ``finds`` finds (made once)."""
    path = work / f"XA-{finds}.gpkg"
    if not path.exists():
        partial = path.with_suffix(".partial.gpkg")
        partial.unlink(missing_ok=True)
        scale = generate.Scale(
            countries=1, activities=250, finds=finds, hazards=60, accidents=50, records=10
        )
        generate.generate_country(partial, 0, scale)
        partial.rename(path)
    return path


class Files:
    """Finds files with ids of their own: the base file's finds renamed ``XA-Knnnn-F-…``."""

    def __init__(self, base: Path, folder: Path) -> None:
        self.meta, _fids, self.geometry, self.values = read(str(base), layer="finds")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, number: int) -> tuple[Imported, Path]:
        prefix = f"{COUNTRY}-K{number:04d}-F-"
        path = self.folder / f"finds-K{number:04d}.gpkg"
        names = list(self.meta["fields"])
        if not path.exists():
            values = list(self.values)
            ids = values[names.index("external_id")]
            values[names.index("external_id")] = np.array(
                [prefix + str(key).rsplit("-", 1)[1] for key in ids], dtype=object
            )
            partial = path.with_suffix(".partial.gpkg")
            partial.unlink(missing_ok=True)
            write(
                str(partial),
                self.geometry,
                values,
                names,
                layer="finds",
                driver="GPKG",
                geometry_type="Point",
                crs="EPSG:4326",
            )
            partial.rename(path)
        return Imported(prefix, len(self.geometry), path.name), path


# -- the databases -------------------------------------------------------------------------


@dataclass
class Backend:
    """Where the soak writes, and how it sees the moments of an import."""

    name: str
    url: str
    work: Path

    def with_application(self, application: str) -> str:
        if self.name == "sqlite":
            return self.url
        return f"{self.url}?application_name={application}"

    def recreate(self) -> None:
        if self.name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
            return
        from sqlalchemy import create_engine, text

        name = self.url.rsplit("/", 1)[1]
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = create_engine(self.url)
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        engine.dispose()

    def watcher(self) -> Watcher:
        return SqliteWatcher(self.url) if self.name == "sqlite" else PostgresWatcher(self.url)

    def settle(self, application: str) -> Callable[[], None]:
        """A function waiting until the killed process's database sessions are gone."""
        if self.name == "sqlite":
            return lambda: None
        return lambda: PostgresWatcher(self.url).wait_gone(application)

    def version(self) -> str:
        store = open_store(self.url)
        try:
            with store.read() as connection:
                if self.name == "sqlite":
                    return "SQLite " + str(
                        connection.exec_driver_sql("SELECT sqlite_version()").scalar()
                    )
                full = str(connection.exec_driver_sql("SELECT version()").scalar())
                postgis = connection.exec_driver_sql("SELECT postgis_lib_version()").scalar()
                return f"{full.split(' on ')[0]}, PostGIS {postgis}"
        finally:
            store.dispose()


class Watcher(ABC):
    """What an import shows of itself from outside its process (one kind per database:
    :class:`SqliteWatcher`, :class:`PostgresWatcher`)."""

    @abstractmethod
    def opened(self) -> bool:
        """Whether the import has opened the database."""

    @abstractmethod
    def committing(self) -> bool:
        """Whether the import's commit has begun."""

    def at_kill(self) -> None:  # noqa: B027 - optional: most watchers note nothing
        """Note where the import is, just before it is killed."""

    @abstractmethod
    def where(self) -> str:
        """Where in its commit the killed import was (after the kill)."""

    def close(self) -> None:  # noqa: B027 - optional: most watchers hold nothing
        """Let go of what the watcher holds."""


class SqliteWatcher(Watcher):
    """The import opened the database when its WAL exists, and commits when the WAL is
    written (the last connection to close deletes the WAL, and a transaction writes to
    it only when it commits: the 64 MB page cache holds its pages until then)."""

    def __init__(self, url: str) -> None:
        self.wal = Path(url.removeprefix("sqlite:///") + "-wal")

    def opened(self) -> bool:
        return self.wal.exists()

    def committing(self) -> bool:
        return self._size() > 0

    def where(self) -> str:
        # What the killed process had written: the WAL's 32-byte header comes first,
        # then the transaction's pages, the last of them marked as the commit.
        if not self.wal.exists():
            return "done: the WAL copied into the database and removed"
        size = self._size()
        if size == 0:
            return "nothing in the WAL yet"
        if size == 32:
            return "the WAL's header written, no page yet"
        return "the transaction's pages in the WAL"

    def _size(self) -> int:
        try:
            return self.wal.stat().st_size
        except FileNotFoundError:
            return 0


class PostgresWatcher(Watcher):
    """The import's sessions in ``pg_stat_activity`` (by application name)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)
        self.wrote = False
        self.seen: list[tuple[str, str]] = []

    def _sessions(self, application: str) -> list[tuple[str | None, str | None]]:
        rows = self.connection.execute(
            "SELECT query, backend_xid::text FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            (application,),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def opened(self) -> bool:
        return bool(self._sessions(IMPORT_APP))

    def committing(self) -> bool:
        for query, xid in self._sessions(IMPORT_APP):
            self.wrote = self.wrote or xid is not None
            if self.wrote and query == "COMMIT":
                return True
        return False

    def at_kill(self) -> None:
        rows = self.connection.execute(
            "SELECT state, query FROM pg_stat_activity WHERE application_name = %s",
            (IMPORT_APP,),
        ).fetchall()
        self.seen = [(str(state), str(query)) for state, query in rows]

    def where(self) -> str:
        if ("active", "COMMIT") in self.seen:
            return "COMMIT running on the server"
        if ("idle", "COMMIT") in self.seen:
            return "COMMIT done, its answer not yet read"
        if not self.seen:
            return "done: its session closed"
        return "session " + ", ".join(f"{s}: {q[:20]}" for s, q in self.seen)

    def wait_gone(self, application: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self._sessions(application):
            if time.monotonic() > deadline:
                raise RuntimeError(f"sessions of {application} still there after {timeout} s")
            time.sleep(0.05)
        self.close()

    def close(self) -> None:
        self.connection.close()


def prepare(backend: Backend, base: Path) -> str:
    """A fresh register holding everything finds refer to; an information manager's token."""
    backend.recreate()
    store = open_store(backend.url, create=True)
    try:
        migrate.upgrade(store)
        for kind in PREREQUISITES:
            import_file(store, kind, base, country=COUNTRY)
        with store.write() as connection:
            add_user(connection, "soak", "a long enough password", "information_manager")
            return create_token(connection, "soak", "soak")
    finally:
        store.dispose()
