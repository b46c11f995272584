"""Storing a file the columnar path decides (:mod:`demine.ingest.columnar`).

On PostgreSQL the rows are copied in while the file is still being validated
(:func:`~demine.store.bulk_stream.load_streamed`): each validated batch goes to the server
while the next is read and checked. A file that turns out to be the row path's (a bad
value, a key already stored) leaves nothing behind: the load is rolled back to its
savepoint. Elsewhere (SQLite) the whole file is validated first, then stored in one bulk
load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import numpy as np

from demine.ingest.column_codes import Undecided
from demine.ingest.columnar import ColumnarFile, ColumnLoad, Validator, load_columns
from demine.ingest.entity_spec import EntitySpec
from demine.store.bulk import Coded, any_stored, indexes_rebuilt, insert_columns
from demine.store.bulk_stream import CopyRefused, load_streamed, streamable
from demine.store.engine import Connection
from demine.store.kept_in_bulk import kept_in_bulk
from demine.store.mapping import TableMapping, mapping_for
from demine.store.register import SaveCounts

log = logging.getLogger(__name__)

#: Rows done so far → shown to the user.
Progress = Callable[[int], None]


def import_columns(
    connection: Connection,
    source: ColumnarFile,
    notes: list[str],
    stamp: tuple[int | None, datetime],
    progress: Progress | None = None,
) -> SaveCounts | None:
    """Validate and store ``source`` column by column; None (nothing stored) when the row
    path must import it. ``stamp``: the import batch and the time the rows carry."""
    mapping: TableMapping[Any] = mapping_for(source.spec.entity_type)
    if source.eligible() and streamable(connection, mapping.table):
        return _streamed(connection, source, notes, stamp, progress)
    load = load_columns(
        source,
        lambda keys: any_stored(connection, mapping.table, mapping.key_column, keys),
        notes,
    )
    if load is None:
        return None
    counts = save_columns(connection, source.spec, load, stamp)
    if progress is not None:
        progress(load.rows)
    return counts


def save_columns(
    connection: Connection, spec: EntitySpec, load: ColumnLoad, stamp: tuple[int | None, datetime]
) -> SaveCounts:
    """Insert the validated new records of a columnar load."""
    columns = {**load.columns, **_stamped(load.rows, stamp)}
    table = mapping_for(spec.entity_type).table
    # The kept figures are added once the indexes are back: the figures' covering index
    # gives the new rows in the groups' order (no sort of a million rows).
    # The values of each coded column are those its rows refer to (the foreign keys'
    # parents are checked and locked from them, without reading the new rows again).
    referred = {name: coded.values for name, coded in columns.items() if isinstance(coded, Coded)}
    with (
        kept_in_bulk(connection, table, referred),
        indexes_rebuilt(connection, table, load.rows),
    ):
        insert_columns(connection, table, columns, binary=True)
    return SaveCounts(inserted=load.rows)


def _stamped(rows: int, stamp: tuple[int | None, datetime]) -> dict[str, Coded]:
    """The columns every row of an import holds alike: its batch and time."""
    batch_id, now = stamp
    constant = np.zeros(rows, dtype=np.int32)
    return {"import_batch_id": Coded([batch_id], constant), "updated_at": Coded([now], constant)}


def _streamed(
    connection: Connection,
    source: ColumnarFile,
    notes: list[str],
    stamp: tuple[int | None, datetime],
    progress: Progress | None,
) -> SaveCounts | None:
    """The rows copied in as each batch is validated (PostgreSQL). Keys already stored
    or given twice are found by the table's unique key, which refuses the ``COPY``."""
    mapping: TableMapping[Any] = mapping_for(source.spec.entity_type)
    found: list[str] = []
    warnings = source.warnings(found)
    try:
        validator = source.validator(warnings)
        validated = _validated(validator, source.batches(), stamp, progress)
        # The first batch is validated before anything is written: a file refused at
        # once costs no savepoint, dropped index or copy.
        first = next(validated, None)
        if first is None:
            raise Undecided("no rows")
        rows = load_streamed(connection, mapping.table, source.rows(), _chained(first, validated))
    except (Undecided, CopyRefused) as reason:
        log.info("%s: imported row by row (%s)", source.path.name, reason)
        return None
    warnings.finish()
    notes.extend(found)
    return SaveCounts(inserted=rows)


def _validated(
    validator: Validator,
    source: Iterator[tuple[Any, Any]],
    stamp: tuple[int | None, datetime],
    progress: Progress | None,
) -> Iterator[dict[str, Any]]:
    for batch, shapes in source:
        columns = validator.add(batch, shapes)
        columns.update(_stamped(batch.num_rows, stamp))
        yield columns
        if progress is not None:
            progress(validator.rows)


def _chained(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest
