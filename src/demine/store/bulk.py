"""Inserting many rows at once, at the speed of the database driver.

SQLAlchemy's ``insert()`` with a list of dictionaries processes every value of every
row through its type system, which costs more than the database's own work for a large
import. Here each column's conversion runs once per column (geometry to WKB for all rows
in one call), then the rows go to the driver in one ``executemany`` (SQLite) or one
``COPY`` (PostgreSQL). The conversions are the column types' own, so what is stored is
what ``insert()`` would have stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from sqlalchemy import Connection, Table, func, select, text

from demine.store.bulk_copy import (
    FLOAT8,
    Fields,
    binary_types,
    bytes_fields,
    coded_fields,
    copy_fields,
    copy_rows,
    encodable,
    float_fields,
)
from demine.store.engine import DRY_RUN_OPTION
from demine.store.geometry import WGS84, Geometry

Row = dict[str, Any]


@dataclass(frozen=True)
class Coded:
    """A column as its distinct ``values`` and each row's index into them: a value's
    conversion runs once per distinct value, not once per row."""

    values: Any
    indices: Any

    def __len__(self) -> int:
        return len(self.indices)


@dataclass(frozen=True)
class WKB:
    """A geometry column already encoded: each row's 2D WKB without SRID (as
    ``shapely.to_wkb(shape, include_srid=False)`` makes it), None where it has none; an
    array of bytes objects, or an Arrow binary column (a third of their memory)."""

    values: Any

    def __len__(self) -> int:
        return len(self.values)


#: Rows after whose load the database's statistics of the table are refreshed.
ANALYZE_AFTER = 10_000
#: The memory PostgreSQL may sort with to rebuild a bulk load's indexes (the server's
#: default is 64 MB).
REBUILD_MEMORY = "256MB"
#: Keys asked for in one query (SQLite allows 32,766 parameters).
_KEYS_PER_QUERY = 10_000
#: Rows made into tuples and sent to the driver at a time (bounds the memory of a load).
_ROWS_PER_SLICE = 25_000


def insert_rows(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (dictionaries with the same keys) into ``table``."""
    if rows:
        insert_columns(connection, table, {name: [row[name] for row in rows] for name in rows[0]})


def insert_columns(
    connection: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any] | Coded | WKB | pa.ChunkedArray],
    *,
    binary: bool = False,
) -> None:
    """Insert rows given column by column (values, or :class:`Coded` values, of the same
    length) into ``table``; the rows are made and sent a slice at a time. ``binary``:
    on PostgreSQL, a binary ``COPY`` when the table's column types allow it (the values
    must be the Python types of :mod:`demine.store.bulk_copy`)."""
    names = list(columns)
    if not names or not len(columns[names[0]]):
        return
    count = len(columns[names[0]])
    postgres = connection.dialect.name == "postgresql"
    types = binary_types(connection, table, names) if postgres and binary else None
    encoding = _Encoding.WKB if not postgres else _Encoding.HEX_EWKB
    if types is not None:
        encoding = _Encoding.EWKB
    converted = [_column_values(connection, table, name, columns[name], encoding) for name in names]
    fields = _fields(connection, converted, types) if types is not None else None
    records = (
        list(zip(*(_slice(c, start, start + _ROWS_PER_SLICE) for c in converted), strict=True))
        for start in range(0, count, _ROWS_PER_SLICE)
    )
    target = connection.dialect.identifier_preparer.format_table(table)
    if postgres:
        if fields is not None:
            copy_fields(connection, table, names, fields, count, _ROWS_PER_SLICE)
        else:
            copy_rows(connection, table, names, records, types)
        analyze_after_load(connection, table, count)
    else:
        quoted = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
        marks = ", ".join("?" for _ in names)
        for chunk in records:
            connection.exec_driver_sql(f"INSERT INTO {target} ({quoted}) VALUES ({marks})", chunk)


class _Encoding(Enum):
    """How a geometry is sent: WKB (SQLite's column), hex EWKB (PostGIS's text form, a
    text ``COPY``), EWKB (its binary form, a binary ``COPY``)."""

    WKB = "wkb"
    HEX_EWKB = "hex_ewkb"
    EWKB = "ewkb"


@dataclass(frozen=True)
class _Shapes:
    """A geometry column, encoded for the driver a slice at a time."""

    shapes: Any
    encoding: _Encoding


@dataclass(frozen=True)
class _EncodedShapes:
    """A geometry column of WKB: SQLite stores it as it is, PostGIS reads it with its
    SRID (added a slice at a time)."""

    wkb: Any
    encoding: _Encoding


@dataclass(frozen=True)
class _ProcessedFloats:
    """A float array (NaN for an empty value) whose column type converts each value."""

    values: Any
    process: Callable[[Any], Any]

    def __len__(self) -> int:
        return len(self.values)


def _slice(values: Any, start: int, end: int) -> Any:
    if isinstance(values, _ProcessedFloats):
        return [values.process(v) for v in _slice(values.values, start, end)]
    if isinstance(values, Coded):
        return values.values[values.indices[start:end]]
    if isinstance(values, _Shapes):
        return _geometry_values(values.shapes[start:end], values.encoding)
    if isinstance(values, _EncodedShapes):
        part = _slice(values.wkb, start, end)
        if values.encoding is _Encoding.WKB:
            return part
        if values.encoding is _Encoding.EWKB:
            if isinstance(values.wkb, pa.ChunkedArray | pa.Array):
                return list(_ewkb(values.wkb.slice(start, end - start), WGS84).to_pylist())
            return [None if wkb is None else _with_srid(wkb, WGS84) for wkb in part]
        return _geometry_values(shapely.from_wkb(part), values.encoding)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.slice(start, end - start).to_pylist()
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        # A column of numbers as a float array: NaN stands for an empty value.
        part = values[start:end]
        held = part.astype(object)
        held[np.isnan(part)] = None
        return held
    return values[start:end]


def _fields(connection: Connection, converted: list[Any], types: list[int]) -> list[Fields] | None:
    """Each column's binary ``COPY`` fields, when every column is of a form made here
    without a Python call per row (coded values; Arrow text, bytes and WKB; float
    arrays), else None (the rows are then made and sent one by one)."""
    if not encodable(connection):
        return None
    fields = [
        _column_fields(connection, values, oid)
        for values, oid in zip(converted, types, strict=True)
    ]
    return None if any(made is None for made in fields) else [f for f in fields if f is not None]


def column_fields(
    connection: Connection, table: Table, name: str, values: Any, oid: int
) -> Fields | None:
    """The binary ``COPY`` fields of ``values`` of column ``name`` (as :func:`insert_columns`
    takes them), or None when they are of a form not made here."""
    return _column_fields(
        connection, _column_values(connection, table, name, values, _Encoding.EWKB), oid
    )


def driver_values(connection: Connection, table: Table, name: str, values: Sequence[Any]) -> Any:
    """``values`` of column ``name`` converted by its type as the driver takes them."""
    return _column_values(connection, table, name, values, _Encoding.EWKB)


def _column_fields(connection: Connection, values: Any, oid: int) -> Fields | None:
    if isinstance(values, Coded):
        return coded_fields(connection, oid, values.values, values.indices)
    if (
        isinstance(values, _EncodedShapes)
        and values.encoding is _Encoding.EWKB
        and isinstance(values.wkb, pa.ChunkedArray | pa.Array)
    ):
        return bytes_fields(values.wkb, lambda wkb: _ewkb(wkb, WGS84))
    if isinstance(values, pa.ChunkedArray | pa.Array) and (
        pa.types.is_binary(values.type)
        or pa.types.is_large_binary(values.type)
        or pa.types.is_string(values.type)
        or pa.types.is_large_string(values.type)
    ):
        return bytes_fields(values)
    if isinstance(values, np.ndarray) and values.dtype.kind == "f" and oid == FLOAT8:
        return float_fields(values)
    return None


def analyze_after_load(connection: Connection, table: Table, count: int) -> None:
    """After a ``COPY`` of ``count`` rows into ``table`` on PostgreSQL, its statistics
    refreshed when the load is large: without them the planner takes the grown table for
    an empty one and scans it whole to look keys up (seconds per query)."""
    dry_run = connection.get_execution_options().get(DRY_RUN_OPTION)
    if count >= ANALYZE_AFTER and not dry_run:
        target = connection.dialect.identifier_preparer.format_table(table)
        connection.exec_driver_sql(f"ANALYZE {target}")


def refresh_statistics(connection: Connection, table: Table) -> None:
    """Let the query planner know ``table`` after a large load (SQLite keeps no
    statistics by itself: without them it reads a million finds' rows to find the few
    roughly dated ones instead of their small partial index)."""
    if connection.dialect.name == "sqlite":
        target = connection.dialect.identifier_preparer.format_table(table)
        connection.exec_driver_sql(f"ANALYZE {target}")


def any_stored(
    connection: Connection, table: Table, key_column: str, keys: Sequence[Any] | pa.ChunkedArray
) -> bool:
    """Whether ``table`` holds a row whose ``key_column`` is one of ``keys``."""
    column = table.c[key_column]
    if len(keys) <= _KEYS_PER_QUERY:
        values = keys.to_pylist() if isinstance(keys, pa.ChunkedArray) else keys
        return (
            connection.execute(select(column).where(column.in_(values)).limit(1)).first()
            is not None
        )
    # Many keys: the stored ones are read once (one query, not thousands of parameters).
    stored = set(connection.execute(select(column)).scalars())
    if not stored:
        return False
    if isinstance(keys, pa.ChunkedArray):
        return any(key in stored for chunk in keys.chunks for key in chunk.to_pylist())
    return any(key in stored for key in keys)


@contextmanager
def indexes_rebuilt(connection: Connection, table: Table, rows: int) -> Iterator[None]:
    """Around a load of ``rows`` rows into ``table``: when the table holds fewer, its
    indexes (other than its constraints') are dropped first and built again after, which
    sorts each once instead of inserting into it row by row. The load must not depend
    on them (keys already checked); within the transaction, readers wait."""
    held = connection.execute(select(func.count()).select_from(table)).scalar_one()
    indexes = _secondary_indexes(connection, table) if held < rows else []
    for name, _definition in indexes:
        connection.exec_driver_sql(f"DROP INDEX {_quoted(connection, name)}")
    yield
    if not indexes:
        return
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        # Each index of a million rows sorted in memory (with the server's parallel
        # workers) instead of in temporary files: 14 s instead of 17 s for the finds.
        # For this transaction only, and given back after.
        held_memory = connection.exec_driver_sql("SHOW maintenance_work_mem").scalar_one()
        connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{REBUILD_MEMORY}'")
    for _name, definition in indexes:
        connection.exec_driver_sql(definition)
    if postgres:
        connection.execute(
            text("SELECT set_config('maintenance_work_mem', :held, true)"), {"held": held_memory}
        )


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _secondary_indexes(connection: Connection, table: Table) -> list[tuple[str, str]]:
    """(name, SQL that makes it) of the indexes of ``table`` no constraint owns."""
    if connection.dialect.name == "sqlite":
        statement = text(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL"
        )
    else:
        statement = text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " WHERE i.schemaname = current_schema() AND i.tablename = :table"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
            " WHERE c.conname = i.indexname AND c.connamespace = i.schemaname::regnamespace)"
        )
    return [(str(n), str(d)) for n, d in connection.execute(statement, {"table": table.name})]


def _column_values(
    connection: Connection, table: Table, name: str, values: Any, encoding: _Encoding
) -> Any:
    if isinstance(values, Coded):
        distinct = _column_values(connection, table, name, values.values, encoding)
        coded = np.empty(len(distinct), dtype=object)
        coded[:] = distinct
        return Coded(coded, values.indices)
    if isinstance(values, WKB):
        return _EncodedShapes(values.values, encoding)
    column_type = table.c[name].type
    if isinstance(column_type, Geometry):
        return _Shapes(np.asarray(values, dtype=object), encoding)
    process: Callable[[Any], Any] | None = column_type.dialect_impl(
        connection.dialect
    ).bind_processor(connection.dialect)
    if process is None:
        return values
    if isinstance(values, pa.ChunkedArray | pa.Array):
        values = values.to_pylist()
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        # Converted a slice at a time: a million Python floats weigh 32 MB a column.
        return _ProcessedFloats(values, process)
    return [process(v) for v in values]


def _geometry_values(values: Sequence[Any], encoding: _Encoding) -> list[Any]:
    shapes = np.asarray(values, dtype=object)
    if encoding is _Encoding.HEX_EWKB:
        # PostGIS reads hex EWKB, with its SRID, as a geometry's text form.
        encoded = shapely.to_wkb(shapely.set_srid(shapes, WGS84), hex=True, include_srid=True)
        return list(encoded)
    with_srid = encoding is _Encoding.EWKB
    if with_srid:
        shapes = shapely.set_srid(shapes, WGS84)
    encoded = shapely.to_wkb(shapes, include_srid=with_srid)
    return [None if w is None else bytes(w) for w in encoded]


#: The flag of an EWKB geometry type that says an SRID follows it.
_SRID_FLAG = 0x20000000


def _ewkb(wkb: pa.ChunkedArray | pa.Array, srid: int) -> pa.Array:
    """Each WKB of an Arrow column as :func:`_with_srid` makes it: the header of each
    distinct type made once, the rest of every shape joined to it by Arrow (a quarter of
    the time of one Python call per shape)."""
    headers = pc.binary_slice(wkb, 0, 5)
    distinct = pc.unique(headers).drop_null()
    made = pa.array([_with_srid(bytes(h), srid) for h in distinct.to_pylist()], pa.binary())
    typed = pc.take(made, pc.index_in(headers, value_set=distinct))
    # A stop past the end of any shape (pyarrow 26 fails with none given).
    rest = pc.binary_slice(wkb, 5, 1 << 30)
    return pc.binary_join_element_wise(typed, rest, b"")


def _with_srid(wkb: bytes, srid: int) -> bytes:
    """``wkb`` as EWKB with ``srid``: its type flagged, the SRID after it (what
    ``shapely.to_wkb(..., include_srid=True)`` writes, without parsing the shape)."""
    order: Literal["little", "big"] = "little" if wkb[0] == 1 else "big"
    kind = int.from_bytes(wkb[1:5], order) | _SRID_FLAG
    return wkb[:1] + kind.to_bytes(4, order) + srid.to_bytes(4, order) + wkb[5:]
