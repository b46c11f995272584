"""Inserting many rows at once, at the speed of the database driver.

SQLAlchemy's ``insert()`` with a list of dictionaries processes every value of every
row through its type system, which costs more than the database's own work for a large
import. Here each column's conversion runs once per column (geometry to WKB for all rows
in one call), then the rows go to the driver in one ``executemany`` (SQLite) or one
``COPY`` (PostgreSQL). The conversions are the column types' own, so what is stored is
what ``insert()`` would have stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, Table

from demine.store.engine import DRY_RUN_OPTION
from demine.store.geometry import WGS84, Geometry

Row = dict[str, Any]
#: Rows after whose load the database's statistics of the table are refreshed.
ANALYZE_AFTER = 10_000


def insert_rows(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (dictionaries with the same keys) into ``table``."""
    if not rows:
        return
    names = list(rows[0])
    postgres = connection.dialect.name == "postgresql"
    columns = [_column_values(connection, table, name, rows, postgres) for name in names]
    records = list(zip(*columns, strict=True))
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
    target = connection.dialect.identifier_preparer.format_table(table)
    if postgres:
        dbapi = connection.connection.driver_connection
        assert dbapi is not None
        with dbapi.cursor() as cursor:
            with cursor.copy(f"COPY {target} ({quoted}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
            dry_run = connection.get_execution_options().get(DRY_RUN_OPTION)
            if len(records) >= ANALYZE_AFTER and not dry_run:
                # Fresh statistics, or the planner takes the grown table for an empty
                # one and scans it whole to look keys up (seconds per query).
                cursor.execute(f"ANALYZE {target}")
    else:
        marks = ", ".join("?" for _ in names)
        connection.exec_driver_sql(f"INSERT INTO {target} ({quoted}) VALUES ({marks})", records)


def refresh_statistics(connection: Connection, table: Table) -> None:
    """Let the query planner know ``table`` after a large load (SQLite keeps no
    statistics by itself: without them it reads a million finds' rows to find the few
    roughly dated ones instead of their small partial index)."""
    if connection.dialect.name == "sqlite":
        target = connection.dialect.identifier_preparer.format_table(table)
        connection.exec_driver_sql(f"ANALYZE {target}")


def _column_values(
    connection: Connection, table: Table, name: str, rows: Sequence[Row], postgres: bool
) -> list[Any]:
    values = [row[name] for row in rows]
    column_type = table.c[name].type
    if isinstance(column_type, Geometry):
        return _geometry_values(values, postgres)
    process: Callable[[Any], Any] | None = column_type.dialect_impl(
        connection.dialect
    ).bind_processor(connection.dialect)
    if process is None:
        return values
    return [process(v) for v in values]


def _geometry_values(values: list[Any], postgres: bool) -> list[Any]:
    shapes = np.array(values, dtype=object)
    if postgres:
        # PostGIS reads hex EWKB, with its SRID, as a geometry's text form.
        encoded = shapely.to_wkb(shapely.set_srid(shapes, WGS84), hex=True, include_srid=True)
        return list(encoded)
    return [None if w is None else bytes(w) for w in shapely.to_wkb(shapes, include_srid=False)]
