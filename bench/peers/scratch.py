"""A scratch copy of the benchmark register holding a user and API token for the web cases.

Cases only read the register they are given, but the OGC API and the map layers serve
hazard areas to logged-in roles only; so the web cases serve a copy (SQLite: an online
backup; PostGIS: ``CREATE DATABASE … TEMPLATE``) with a viewer account added.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from demine.store.engine import open_store
from demine.store.users import add_user, create_token

USERNAME = "bench-viewer"


def _sqlite_copy(source_url: str, work: Path, name: str) -> str:
    source = make_url(source_url).database
    assert source, source_url
    target = work / f"{name}.db"
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader:
        writer = sqlite3.connect(target)
        reader.backup(writer)
        writer.close()
    return f"sqlite:///{target}"


def _postgis_copy(source_url: str, name: str) -> str:
    url = make_url(source_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    target = f"{url.database}_{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{url.database}"'))
    admin.dispose()
    return url.set(database=target).render_as_string(hide_password=False)


def scratch_register(source_url: str, work: Path, name: str) -> tuple[str, str]:
    """A fresh copy of the register at ``source_url`` and a viewer's API token in it."""
    work.mkdir(parents=True, exist_ok=True)
    if source_url.startswith("sqlite"):
        url = _sqlite_copy(source_url, work, name)
    else:
        url = _postgis_copy(source_url, name)
    store = open_store(url)
    try:
        with store.write() as connection:
            add_user(connection, USERNAME, "benchmark-only-password", "viewer")
            token = create_token(connection, USERNAME, "benchmark")
    finally:
        store.dispose()
    return url, token
