"""Every stored value written the same way whichever database holds it, so that a table's
checksum on SQLite equals its checksum on PostGIS.

A row is one line of JSON: its values in the table's column order, each written by its
column's type — integers and booleans as JSON, floats by their shortest exact decimal
(Python's ``repr``), dates as ISO days, moments as ISO UTC with microseconds, geometries
as little-endian WKB in hex, JSON documents with sorted keys, bytes as their SHA-256
(the bytes themselves travel beside the rows). Rows come in primary-key order. A table's
checksum is the SHA-256 of its lines: the same figure for the backup archive's file and
for the database it was read from or restored into.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import shapely
from sqlalchemy import JSON, Boolean, Column, Connection, Date, Float, Integer, LargeBinary, Table
from sqlalchemy import select as sql_select

from demine.i18n import _
from demine.store.geometry import Geometry
from demine.store.types import UtcDateTime

Encoder = Callable[[Any], Any]
#: Where the bytes of a binary value go while its row is written (None: nowhere).
BlobSink = Callable[[str, bytes], None] | None

#: Rows fetched at a time while a table is read.
BATCH = 2000


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _geometry(value: Any) -> str:
    return str(shapely.to_wkb(value, hex=True, byte_order=1, include_srid=False))


def encoder(column: Column[Any]) -> Encoder:
    """How a value of ``column`` is written (None stays None)."""
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return _moment
    if isinstance(kind, Geometry):
        return _geometry
    if isinstance(kind, Date):
        return lambda value: value.isoformat()
    if isinstance(kind, Boolean):
        return bool
    if isinstance(kind, Float):
        return float
    return lambda value: value


def decoder(column: Column[Any]) -> Encoder:
    """How a written value of ``column`` is read back into what the column stores."""
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return datetime.fromisoformat
    if isinstance(kind, Geometry):
        return lambda value: shapely.from_wkb(bytes.fromhex(value))
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, Float):
        return _float
    if isinstance(kind, Integer):
        return _integer
    if isinstance(kind, JSON):
        return lambda value: value
    return _text


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("{value!r} is not a boolean").format(value=value))
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("{value!r} is not an integer").format(value=value))
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("{value!r} is not a number").format(value=value))
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("{value!r} is not a text").format(value=value))
    return value


def is_binary(column: Column[Any]) -> bool:
    return isinstance(column.type, LargeBinary)


def line(values: list[Any]) -> bytes:
    """One row as its canonical line."""
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def key_columns(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns)


def table_lines(connection: Connection, table: Table, blobs: BlobSink = None) -> Iterator[bytes]:
    """The canonical lines of every row of ``table``, in primary-key order.

    A binary value is written as its SHA-256 and its bytes are handed to ``blobs``.
    """
    columns = list(table.c)
    encoders = [encoder(column) for column in columns]
    binary = [is_binary(column) for column in columns]
    keys = key_columns(table)
    by_integer_key = all(isinstance(column.type, Integer) for column in keys)

    def encoded(row: Any) -> list[Any]:
        values: list[Any] = []
        for value, encode, is_bytes in zip(row, encoders, binary, strict=True):
            if value is None:
                values.append(None)
            elif is_bytes:
                content = bytes(value)
                digest = hashlib.sha256(content).hexdigest()
                if blobs is not None:
                    blobs(digest, content)
                values.append(digest)
            else:
                values.append(encode(value))
        return values

    query = sql_select(*columns)
    if by_integer_key:
        # Integers order alike everywhere; large binary rows are fetched a few at a time.
        batch = 1 if any(binary) else BATCH
        result = connection.execution_options(yield_per=batch).execute(query.order_by(*keys))
        for row in result:
            yield line(encoded(row))
        return
    # Text keys would follow each database's collation: order them here, by code point.
    positions = [columns.index(column) for column in keys]
    rows = [encoded(row) for row in connection.execute(query)]
    rows.sort(key=lambda values: [values[position] for position in positions])
    for values in rows:
        yield line(values)


class Digest:
    """The row count and SHA-256 of a table's lines."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, row_line: bytes) -> None:
        self.rows += 1
        self._hash.update(row_line)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def table_digest(connection: Connection, table: Table) -> Digest:
    """The row count and checksum of ``table`` as stored."""
    digest = Digest()
    for row_line in table_lines(connection, table):
        digest.add(row_line)
    return digest
