"""Rows into a PostgreSQL table with ``COPY``, in binary when every column allows it.

Binary ``COPY`` spares the client the text form of each value and the server its
parsing (a point's hex EWKB is twice the bytes of its EWKB). Each column is sent in a
binary form its type reads: text-like columns (and ``json``) as text, a geometry as
EWKB through ``bytea``'s form (PostGIS's binary input reads EWKB), numbers, booleans,
dates and times as themselves. A column of any other type makes the whole copy text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from psycopg import pq
from sqlalchemy import Connection, Table, text

#: Type ids (pg_type.oid) of PostgreSQL's built-in types used here.
_TEXT, _BYTEA = 25, 17
#: Text-like types whose binary form is their text (varchar, bpchar, text, json, name).
_AS_TEXT = frozenset({25, 1043, 1042, 114, 19})
#: Types sent as themselves: the Python values the store holds for them (bool, int,
#: float, date, aware datetime, bytes) are what psycopg's binary dumpers take. Any other type
#: (jsonb, numeric, arrays…) makes the copy text, whose forms the server parses.
_AS_THEMSELVES = frozenset({16, 20, 21, 23, 700, 701, 1082, 1184, 17})


def binary_types(connection: Connection, table: Table, names: Sequence[str]) -> list[int] | None:
    """The type ids to send ``names`` of ``table`` as in a binary ``COPY``, or None when
    one of them has no binary form here (the copy is then text)."""
    rows = connection.execute(
        text(
            "SELECT a.attname, a.atttypid, t.typname FROM pg_attribute a"
            " JOIN pg_type t ON t.oid = a.atttypid"
            " WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0"
            " AND NOT a.attisdropped"
        ),
        {"table": connection.dialect.identifier_preparer.format_table(table)},
    )
    types = {str(name): (int(oid), str(type_name)) for name, oid, type_name in rows}
    dbapi = connection.connection.driver_connection
    assert dbapi is not None
    chosen: list[int] = []
    for name in names:
        oid, type_name = types[name]
        if type_name == "geometry":
            chosen.append(_BYTEA)
        elif oid in _AS_TEXT:
            chosen.append(_TEXT)
        elif oid in _AS_THEMSELVES:
            dbapi.adapters.get_dumper_by_oid(oid, pq.Format.BINARY)  # there, or raises
            chosen.append(oid)
        else:
            return None
    return chosen


def copy_rows(
    connection: Connection,
    table: Table,
    names: Sequence[str],
    chunks: Iterable[Sequence[Sequence[Any]]],
    types: list[int] | None,
) -> None:
    """``COPY`` the rows of ``chunks`` into ``names`` of ``table``: binary with ``types``
    (from :func:`binary_types`), text without."""
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
    target = connection.dialect.identifier_preparer.format_table(table)
    binary = " (FORMAT BINARY)" if types is not None else ""
    dbapi = connection.connection.driver_connection
    assert dbapi is not None
    statement = f"COPY {target} ({quoted}) FROM STDIN{binary}"
    with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
        if types is not None:
            copy.set_types(types)
        for chunk in chunks:
            for record in chunk:
                copy.write_row(record)


#: What a binary ``COPY`` begins with (signature, no flags, no extension) and ends with.
SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"
#: A NULL field: length -1.
_NULL = b"\xff\xff\xff\xff"
#: The separator of joined fields (none).
_NOTHING = pa.scalar(b"", pa.large_binary())
#: float8's type id.
FLOAT8 = 701


class Fields:
    """A column's binary ``COPY`` fields (each row's length, then its value), made for a
    slice of rows at a time by Arrow and numpy (:meth:`part`)."""

    def __init__(self, part: Callable[[int, int], pa.Array | pa.ChunkedArray]) -> None:
        self.part = part


def coded_fields(connection: Connection, oid: int, values: Any, indices: Any) -> Fields:
    """The fields of a column of distinct ``values`` (DB-API values) and each row's index
    into them: each value dumped once, by the driver's own binary dumper for ``oid``."""
    dumped_values = dumped_fields(connection, oid, values)
    return Fields(lambda start, end: dumped_values.take(pa.array(indices[start:end])))


def dumped_fields(connection: Connection, oid: int, values: Iterable[Any]) -> pa.Array:
    """Each of ``values`` (DB-API values) as its binary ``COPY`` field, dumped by the
    driver's own binary dumper for ``oid``."""
    dbapi = connection.connection.driver_connection
    assert dbapi is not None
    # As the driver's binary copy of rows makes its dumpers (psycopg's transformer).
    dumper = dbapi.adapters.get_dumper_by_oid(oid, pq.Format.BINARY)(type(None), dbapi)
    made = []
    for value in values:
        if value is None:
            made.append(_NULL)
        else:
            dumped = bytes(dumper.dump(value) or b"")
            made.append(len(dumped).to_bytes(4, "big") + dumped)
    return pa.array(made, pa.large_binary())


def bytes_fields(
    values: pa.Array | pa.ChunkedArray,
    made: Callable[[pa.Array | pa.ChunkedArray], pa.Array] | None = None,
) -> Fields:
    """The fields of an Arrow column of text (sent as its UTF-8 bytes) or bytes (each
    slice ``made`` into what is sent first, if given)."""

    def part(start: int, end: int) -> pa.Array:
        held = values.slice(start, end - start)
        if made is not None:
            held = made(held)
        held = held.cast(pa.large_binary())
        lengths = pc.binary_length(held).fill_null(0).to_numpy(zero_copy_only=False)
        joined = pc.binary_join_element_wise(_fixed(lengths.astype(">i4")), held, _NOTHING)
        return pc.fill_null(joined, pa.scalar(_NULL, pa.large_binary()))

    return Fields(part)


def float_fields(values: Any) -> Fields:
    """The fields of a float array (NaN: NULL) for a ``float8`` column."""

    def part(start: int, end: int) -> pa.Array:
        held = values[start:end]
        rows = np.empty(len(held), dtype=[("length", ">i4"), ("value", ">f8")])
        rows["length"] = 8
        rows["value"] = held
        missing = pa.array(np.isnan(held))
        return pc.if_else(missing, pa.scalar(_NULL, pa.large_binary()), _fixed(rows))

    return Fields(part)


def _fixed(values: Any) -> pa.Array:
    """A numpy array's items, each as its bytes, as an Arrow column of bytes."""
    width = values.dtype.itemsize
    data = pa.py_buffer(np.ascontiguousarray(values).tobytes())
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(values), [None, data])
    return fixed.cast(pa.large_binary())


def encodable(connection: Connection) -> bool:
    """Whether fields can be made here for a binary copy (a UTF-8 connection: text is
    sent as its UTF-8 bytes)."""
    dbapi = connection.connection.driver_connection
    return dbapi is not None and dbapi.info.encoding == "utf-8"


def copy_fields(
    connection: Connection,
    table: Table,
    names: Sequence[str],
    columns: Sequence[Fields],
    count: int,
    rows_per_part: int,
) -> None:
    """A binary ``COPY`` of ``count`` rows given as each column's fields: the rows are
    joined by Arrow a part at a time and sent as blocks, with no Python per row."""
    dbapi = connection.connection.driver_connection
    assert dbapi is not None
    with dbapi.cursor() as cursor, cursor.copy(binary_copy(connection, table, names)) as copy:
        copy.write(SIGNATURE)
        for start in range(0, count, rows_per_part):
            end = min(start + rows_per_part, count)
            copy.write(joined_rows([column.part(start, end) for column in columns]))
        copy.write(TRAILER)


def binary_copy(connection: Connection, table: Table, names: Sequence[str]) -> str:
    """The statement of a binary ``COPY`` into ``names`` of ``table``."""
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
    target = connection.dialect.identifier_preparer.format_table(table)
    return f"COPY {target} ({quoted}) FROM STDIN (FORMAT BINARY)"


def joined_rows(parts: Sequence[pa.Array | pa.ChunkedArray]) -> memoryview:
    """The binary ``COPY`` data of rows given as each column's fields (as many rows in
    each): per row its field count, then its fields."""
    width = pa.scalar(len(parts).to_bytes(2, "big"), pa.large_binary())
    return _data(pc.binary_join_element_wise(width, *(_whole(p) for p in parts), _NOTHING))


def _whole(part: pa.Array | pa.ChunkedArray) -> pa.Array:
    return part.combine_chunks() if isinstance(part, pa.ChunkedArray) else part


def _data(rows: pa.Array | pa.ChunkedArray) -> memoryview:
    """The bytes of an Arrow column of bytes, end to end."""
    joined = _whole(rows)
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)
    first, last = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return memoryview(joined.buffers()[2])[first:last]
