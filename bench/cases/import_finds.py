"""Importing 1,000,000 device finds from a GeoPackage, against the raw limit.

Demine: ``import_file(store, "finds", …)`` with full validation (every field parsed,
districts and activities resolved, dates and coordinates checked, duplicate ids), history
and idempotency checks, into a register that already holds the country's districts,
organisations, hazards and activities (copied in, untimed, before each run).

Reference, the raw limit: pyogrio reads the layer (all columns, WKB geometry) and one
transaction inserts it into a bare table without indexes or checks — ``executemany``
on SQLite, ``COPY`` on PostGIS (geometry as hex EWKB into a ``geometry`` column).
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from harness import POSTGRES_ADMIN_URL, Comparison, Context, Side, timed
from pyogrio.raw import read
from sqlalchemy import create_engine, text

TITLE = "Import device finds (GeoPackage, full validation)"
BACKENDS = ("sqlite", "postgis")
COMPARISONS = (
    Comparison(
        "rows_per_s",
        "raw pyogrio + executemany (SQLite) / COPY (PostGIS)",
        0.5,
        better="higher",
        unit="rows/s",
    ),
)
BASE_KINDS = ("admin-areas", "organisations", "hazards", "activities")
#: The first part of this case's database names: one's own, when several people bench
#: on one PostgreSQL server.
PREFIX = os.environ.get("DEMINE_BENCH_DB_PREFIX", "demine_bench")
TODAY = date(2026, 1, 1)


def measure(side: Side, context: Context) -> dict[str, float]:
    code, path = context.files[0]
    if side == "demine":
        return _demine(context, code, path)
    return _raw(context, path)


# -- Demine --------------------------------------------------------------------------------


def _demine(context: Context, code: str, path: Path) -> dict[str, float]:
    from demine.ingest.importer import import_file
    from demine.store.engine import open_store

    base, fresh = _base_database(context, code, path)
    rows = 0

    def setup() -> None:
        fresh.reset(base)

    def work() -> None:
        nonlocal rows
        store = open_store(fresh.url)
        report = import_file(store, "finds", path, country=code, today=TODAY)
        store.engine.dispose()
        rows = report.counts.inserted
        assert report.counts.inserted > 0

    timing = timed(work, context.repeats, setup)
    return {"seconds": timing.median, "rows": rows, "rows_per_s": rows / timing.median}


class _Database:
    """A database that can be reset to a copy of a prepared one."""

    def __init__(self, context: Context, name: str) -> None:
        self.context = context
        self.name = name
        if context.backend == "sqlite":
            self.path = context.work / f"{name}.db"
            self.url = f"sqlite:///{self.path}"
        else:
            self.url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def reset(self, template: _Database | None = None) -> None:
        if self.context.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            if template is not None:
                shutil.copyfile(template.path, self.path)
            return
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            source = f' TEMPLATE "{template.name}"' if template is not None else ""
            connection.execute(text(f'CREATE DATABASE "{self.name}"{source}'))
        admin.dispose()
        if template is None:
            engine = create_engine(self.url)
            with engine.begin() as connection:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            engine.dispose()


def _base_database(context: Context, code: str, path: Path) -> tuple[_Database, _Database]:
    """The register without finds (made once per scale), and the database runs import into."""
    from demine.ingest.importer import import_file
    from demine.store import migrate
    from demine.store.engine import open_store

    suffix = f"{context.scale}_{context.backend}"
    base = _Database(context, f"{PREFIX}_import_base_{context.scale}")
    fresh = _Database(context, f"{PREFIX}_import_{context.scale}")
    marker = context.work / f"import-base-{context.backend}.done"
    if not marker.exists():
        base.reset()
        store = open_store(base.url, create=True)
        migrate.upgrade(store)
        for kind in BASE_KINDS:
            import_file(store, kind, path, country=code, today=TODAY)
        store.engine.dispose()
        marker.write_text(suffix)
    return base, fresh


# -- the raw limit -------------------------------------------------------------------------


def _read_layer(path: Path) -> tuple[list[str], list[Any], Any]:
    meta, _fids, geometries, field_data = read(path, layer="finds")
    return [str(f) for f in meta["fields"]], field_data, geometries


def _raw(context: Context, path: Path) -> dict[str, float]:
    target = _Database(context, f"{PREFIX}_raw_{context.scale}")
    rows = 0

    def work() -> None:
        nonlocal rows
        names, field_data, geometries = _read_layer(path)
        columns = [column.tolist() for column in field_data]
        if context.backend == "sqlite":
            columns.append(list(geometries))
            rows = _sqlite_executemany(target, names, columns)
        else:
            shapes = shapely.from_wkb(geometries)
            ewkb = shapely.to_wkb(shapely.set_srid(shapes, 4326), hex=True, include_srid=True)
            columns.append(list(ewkb))
            rows = _postgres_copy(target, names, columns)

    timing = timed(work, context.repeats, target.reset)
    return {"seconds": timing.median, "rows": rows, "rows_per_s": rows / timing.median}


def _sqlite_executemany(target: _Database, names: list[str], columns: list[list[Any]]) -> int:
    import sqlite3

    connection = sqlite3.connect(target.path, isolation_level=None)
    definitions = ", ".join(f'"{n}"' for n in names)
    connection.execute(f"CREATE TABLE finds ({definitions}, geometry BLOB)")
    marks = ", ".join("?" for _ in range(len(names) + 1))
    records = list(zip(*columns, strict=True))
    connection.execute("BEGIN")
    connection.executemany(f"INSERT INTO finds VALUES ({marks})", records)
    connection.execute("COMMIT")
    connection.close()
    return len(records)


def _postgres_copy(target: _Database, names: list[str], columns: list[list[Any]]) -> int:
    import psycopg

    url = target.url.replace("postgresql+psycopg://", "postgresql://")
    records = list(zip(*columns, strict=True))
    with psycopg.connect(url) as connection:
        definitions = ", ".join(f'"{n}" text' for n in names)
        connection.execute(f"CREATE TABLE finds ({definitions}, geometry geometry(Point, 4326))")
        with connection.cursor() as cursor, cursor.copy("COPY finds FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
    return len(records)
