"""A bulk load into PostgreSQL copied in while the caller still makes its rows.

A columnar import spends its time in two places that need not wait for each other: the
client validating the file's rows, and the server copying them in. :func:`load_streamed`
gives the connection to a writer thread for one binary ``COPY``, which sends each batch
while the caller's iterator validates the next, so that on two cores the server's work
hides behind the client's.

It all happens behind a savepoint: the table's insert triggers suspended and its
indexes dropped as for any bulk load (:func:`~demine.store.kept_in_bulk.kept_in_bulk`,
:func:`~demine.store.bulk.indexes_rebuilt`). If the iterator raises (the file is not one
to decide in bulk after all) or the server refuses a row (a key already stored, say), the
``COPY`` is ended and the savepoint rolled back, so the transaction holds nothing of the
load, and the exception (:class:`CopyRefused` for the server's) goes to the caller.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy import Connection, Table

from demine.store.bulk import (
    Coded,
    analyze_after_load,
    column_fields,
    driver_values,
    indexes_rebuilt,
)
from demine.store.bulk_copy import (
    SIGNATURE,
    TRAILER,
    Fields,
    binary_copy,
    binary_types,
    dumped_fields,
    encodable,
    joined_rows,
)
from demine.store.kept_in_bulk import kept_in_bulk

log = logging.getLogger(__name__)

#: Rows joined and written at a time (bounds the memory of a batch's encoded rows).
_ROWS_PER_WRITE = 25_000
#: Batches given and not yet written: the caller waits when the server falls behind.
_BATCHES_AHEAD = 2


@dataclass(frozen=True)
class CodedPart:
    """A batch's part of a column held as distinct values and each row's index into
    them: the distinct values ``added`` since the column's previous part, and the
    batch's rows' indices into all its values so far."""

    added: Sequence[Any]
    indices: Any

    def __len__(self) -> int:
        return len(self.indices)


class CopyRefused(Exception):
    """The server refused a streamed ``COPY`` (or it was aborted): nothing it sent holds."""


_END = object()
_ABORT = object()


class _Aborted(Exception):
    """Raised inside the ``COPY`` to make the driver end it with a failure."""


class CopyStream:
    """One binary ``COPY`` into a table, written by a thread of its own."""

    def __init__(self, connection: Connection, table: Table, names: list[str], types: list[int]):
        self._connection, self._table, self._names, self._types = connection, table, names, types
        #: Per coded column, the binary fields of its distinct values so far.
        self._dumped: dict[str, pa.Array] = {}
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=_BATCHES_AHEAD)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name="bulk-copy", daemon=True)
        self.rows = 0
        self._thread.start()

    def send(self, columns: Mapping[str, Any]) -> None:
        """A batch: its columns, by name, as :func:`~demine.store.bulk.insert_columns`
        takes them (a :class:`CodedPart` for a coded column). Raises
        :class:`CopyRefused` as soon as the server has refused an earlier one."""
        self._raise_if_refused()
        self.rows += len(next(iter(columns.values())))
        self._queue.put(columns)

    def finish(self) -> None:
        """Wait until every batch is copied; :class:`CopyRefused` if the server refused."""
        self._queue.put(_END)
        self._thread.join()
        self._raise_if_refused()

    def abort(self) -> None:
        """End the ``COPY`` with a failure (the transaction is then failed) and wait."""
        if self._thread.is_alive():
            self._queue.put(_ABORT)
            self._thread.join()

    def _raise_if_refused(self) -> None:
        if self._error is not None:
            raise CopyRefused(str(self._error)) from self._error

    def _write(self) -> None:
        dbapi = self._connection.connection.driver_connection
        assert dbapi is not None
        statement = binary_copy(self._connection, self._table, self._names)
        item: Any = None
        try:
            with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
                copy.write(SIGNATURE)
                while (item := self._queue.get()) is not _END:
                    if item is _ABORT:
                        raise _Aborted("the import was handed to the row path")
                    fields = [self._fields(name, item[name]) for name in self._names]
                    count = len(next(iter(item.values())))
                    for start in range(0, count, _ROWS_PER_WRITE):
                        end = min(start + _ROWS_PER_WRITE, count)
                        copy.write(joined_rows([f.part(start, end) for f in fields]))
                copy.write(TRAILER)
        except BaseException as exc:  # handed to the caller's thread
            self._error = exc
            log.info("bulk copy into %s ended: %s", self._table.name, exc)
            while item is not _END and item is not _ABORT:  # the caller may still send
                item = self._queue.get()

    def _fields(self, name: str, values: Any) -> Fields:
        oid = self._types[self._names.index(name)]
        if isinstance(values, CodedPart):
            dumped = self._dumped.get(name)
            if values.added:
                converted = driver_values(self._connection, self._table, name, values.added)
                added = dumped_fields(self._connection, oid, converted)
                dumped = added if dumped is None else pa.concat_arrays([dumped, added])
                self._dumped[name] = dumped
            assert dumped is not None
            held, indices = dumped, np.asarray(values.indices)
            return Fields(lambda start, end: held.take(pa.array(indices[start:end])))
        made = column_fields(self._connection, self._table, name, values, oid)
        assert made is not None, name
        return made


def streamable(connection: Connection, table: Table) -> bool:
    """Whether :func:`load_streamed` can load rows into ``table`` (PostgreSQL, every
    column but the id with a binary form here, a connection in UTF-8)."""
    names = [column.name for column in table.c if column.name != "id"]
    return (
        connection.dialect.name == "postgresql"
        and encodable(connection)
        and binary_types(connection, table, names) is not None
    )


def load_streamed(
    connection: Connection,
    table: Table,
    expected_rows: int,
    batches: Iterator[Mapping[str, Any]],
) -> int:
    """Load the rows of ``batches`` into ``table``, each batch copied while the next is
    made; the number of rows loaded. Each batch holds the same columns, as
    :func:`~demine.store.bulk.insert_columns` takes them, a :class:`Coded` column's values
    being a list that only grows from batch to batch. ``expected_rows`` decides whether
    the indexes are rebuilt after the load. The last batch's coded columns hold every
    value the rows hold: the foreign keys' parents are checked from them."""
    first = next(batches, None)
    if first is None:
        return 0
    names = list(first)
    types = binary_types(connection, table, names)
    assert types is not None, "streamable() first"
    sent: dict[str, int] = {}
    told: dict[str, Collection[Any]] = {}
    with (
        connection.begin_nested(),
        kept_in_bulk(connection, table, told),
        indexes_rebuilt(connection, table, expected_rows),
    ):
        stream = CopyStream(connection, table, names, types)
        last = first
        try:
            stream.send(_parts(first, sent))
            for last in batches:
                stream.send(_parts(last, sent))
            stream.finish()
        except BaseException:
            stream.abort()
            raise
        analyze_after_load(connection, table, stream.rows)
        told.update({name: v.values for name, v in last.items() if isinstance(v, Coded)})
    return stream.rows


def _parts(batch: Mapping[str, Any], sent: dict[str, int]) -> dict[str, Any]:
    """A batch's coded columns as the values new since the last batch and the rows'
    indices (``sent``: per column, its values sent so far)."""
    parts = {}
    for name, values in batch.items():
        if isinstance(values, Coded):
            done = sent.get(name, 0)
            added = list(values.values[done:])
            sent[name] = done + len(added)
            parts[name] = CodedPart(added, values.indices)
        else:
            parts[name] = values
    return parts
