"""Fresh migrated stores by copying one migrated once per session and dialect.

Running the Alembic migrations costs about half a second on SQLite and two on PostGIS
(some 250 DDL statements), and some 700 tests each want a fresh migrated store: that
was a third of the suite's time. The migrations still run, once per session and
dialect, into a template; each test then gets a copy of its end state:

- SQLite: a copy of the template database file (SQLite's backup API);
- PostGIS: ``pg_dump`` of the template schema, replayed in one transaction into a
  spare schema while the previous test runs, then renamed to the test's own schema.
  Where ``pg_dump`` is not installed, each test runs the migrations as before.

The copy is the same schema, rows (``alembic_version``) and sequence values; each test
still has a database file or schema of its own, dropped afterwards as before.
tests/test_migrations.py runs the migrations themselves.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from demine.store import migrate
from demine.store.engine import Store, open_store, sqlite_file


class MigratedSchemas:
    """Hands out fresh stores holding the migrated schema, migrating once per dialect."""

    def __init__(self, folder: Path, postgis_url: str) -> None:
        self._folder = folder
        self._postgis_url = postgis_url
        self._sqlite_template: Path | None = None
        self._postgis_script: str | None = None
        self._postgis_token = ""
        # The next PostGIS copy, made while the current test runs (see _take_spare).
        self._preparing = ThreadPoolExecutor(max_workers=1)
        self._spare: Future[str] | None = None

    def fresh_store(self, url: str) -> Store:
        """Open the empty database at ``url`` (a new SQLite file, or a PostGIS URL whose
        search path starts with an empty schema) holding the migrated schema."""
        path = sqlite_file(url) if url.startswith("sqlite") else None
        if path is not None:
            self._copy_sqlite_template(path)
            return open_store(url)
        store = open_store(url, create=True)
        schema = _first_schema(url)
        if schema is None or shutil.which("pg_dump") is None:
            migrate.upgrade(store)
        else:
            self._take_spare(schema)
        return store

    def close(self) -> None:
        """Drop the copy made in advance (at the end of the session)."""
        if self._spare is not None:
            spare = self._spare.result()
            self._spare = None
            admin = create_engine(self._postgis_url, poolclass=NullPool)
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {spare} CASCADE"))
            admin.dispose()
        self._preparing.shutdown()

    def _take_spare(self, schema: str) -> None:
        """Give the empty ``schema`` a copy made in advance, and start the next copy.

        The copy is mostly the server's work, which a thread waits for without holding
        the interpreter: made while the previous test runs, it costs the test nothing.
        The spare schema is renamed: everything in it refers to tables, sequences and
        functions by identity or by unqualified name, never by its schema's name.
        """
        if self._spare is None:
            self._spare = self._preparing.submit(self._make_spare)
        spare = self._spare.result()
        self._spare = self._preparing.submit(self._make_spare)
        admin = create_engine(self._postgis_url, poolclass=NullPool)
        try:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema}"))
                connection.execute(text(f"ALTER SCHEMA {spare} RENAME TO {schema}"))
        finally:
            admin.dispose()

    def _make_spare(self) -> str:
        spare = f"spare_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self._postgis_url, poolclass=NullPool)
        try:
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {spare}"))
        finally:
            admin.dispose()
        self._replay_postgis_template(spare)
        return spare

    def _copy_sqlite_template(self, path: Path) -> None:
        if self._sqlite_template is None:
            template = self._folder / "template.db"
            made = open_store(f"sqlite:///{template}", create=True)
            migrate.upgrade(made)
            made.dispose()
            self._sqlite_template = template
        copy_sqlite_database(self._sqlite_template, path)

    def _replay_postgis_template(self, schema: str) -> None:
        if self._postgis_script is None:
            self._postgis_token, self._postgis_script = self._dump_postgis_template()
        script = self._postgis_script.replace(self._postgis_token, schema)
        # A connection of its own: pg_dump's script empties the session's search path.
        engine = create_engine(self._postgis_url, poolclass=NullPool)
        try:
            connection = engine.raw_connection()
            try:
                with connection.cursor() as cursor:
                    cursor.execute(script)
                connection.commit()
            finally:
                connection.close()
        finally:
            engine.dispose()

    def _dump_postgis_template(self) -> tuple[str, str]:
        """Migrate a template schema, dump it as SQL (rows as INSERTs, so that the
        script runs in one call), and drop it."""
        token = f"migrated_template_{uuid.uuid4().hex}"
        admin = create_engine(self._postgis_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {token}"))
        try:
            separator = "&" if "?" in self._postgis_url else "?"
            made = open_store(
                f"{self._postgis_url}{separator}options=-csearch_path%3D{token},public"
            )
            migrate.upgrade(made)
            made.dispose()
            script = _pg_dump_schema(self._postgis_url, token)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {token} CASCADE"))
            admin.dispose()
        # The test's schema exists already.
        script = script.replace(f"CREATE SCHEMA {token};", "")
        return token, script


def copy_sqlite_database(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` to the new file ``target`` (SQLite's backup
    API: the whole database, whatever its write-ahead log still holds)."""
    reading = sqlite3.connect(source)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def _pg_dump_schema(url: str, schema: str) -> str:
    parts = make_url(url)
    command = ["pg_dump", "--schema", schema, "--no-owner", "--no-privileges", "--inserts"]
    if parts.host:
        command += ["--host", parts.host]
    if parts.port:
        command += ["--port", str(parts.port)]
    if parts.username:
        command += ["--username", parts.username]
    environment = None
    if parts.password:
        environment = {**os.environ, "PGPASSWORD": str(parts.password)}
    command.append(str(parts.database))
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    # Newer pg_dump brackets its script with psql's \\restrict meta-commands, which are
    # not SQL (with --inserts there is no other meta-command).
    return "\n".join(
        line
        for line in done.stdout.splitlines()
        if not line.startswith(("\\restrict ", "\\unrestrict "))
    )


def _first_schema(url: str) -> str | None:
    """The first schema of the search path a PostGIS test URL sets (None if it sets none)."""
    options = make_url(url).query.get("options")
    if not isinstance(options, str) or not options.startswith("-csearch_path="):
        return None
    return options.removeprefix("-csearch_path=").split(",")[0]
