"""Rows into a PostgreSQL table with ``COPY``, in binary when every column allows it.

Binary ``COPY`` spares the client the text form of each value and the server its
parsing (a point's hex EWKB is twice the bytes of its EWKB). Each column is sent in a
binary form its type reads: text-like columns (and ``json``) as text, a geometry as
EWKB through ``bytea``'s form (PostGIS's binary input reads EWKB), numbers, booleans,
dates and times as themselves. A column of any other type makes the whole copy text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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
