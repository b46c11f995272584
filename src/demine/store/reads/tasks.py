"""What a task's dossier and its land release certificate read: the task, its hazards
and their status changes, its activities, and the records of other kinds around it —
live rows only, of the reader's country, as entities of the registry's kinds.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from demine.domain.kinds import kind_named
from demine.store.mapping import TableMapping, mapping_for
from demine.store.reader import RecordFilter, RegisterReader
from demine.store.refs import Refs
from demine.store.spatial import BBox


def _entities(reader: RegisterReader, kind: str, rows: Any, refs: Refs) -> list[Any]:
    mapping: TableMapping[Any] = mapping_for(kind_named(kind).entity)
    return [mapping.from_row(row, refs) for row in rows]


def by_keys(reader: RegisterReader, kind: str, keys: Collection[str], refs: Refs) -> list[Any]:
    """The live records of ``kind`` whose keys are among ``keys``, by key."""
    if not keys:
        return []
    described = kind_named(kind)
    table = reader.table(described)
    column = table.c[described.key]
    statement = reader.select(described).where(column.in_(sorted(keys))).order_by(column)
    rows = (dict(row._mapping) for row in reader.connection.execute(statement))
    return _entities(reader, kind, rows, refs)


def in_box(reader: RegisterReader, kind: str, box: BBox, refs: Refs) -> list[Any]:
    """The live records of ``kind`` whose geometry may touch ``box`` (an envelope test:
    the caller measures exact distances)."""
    rows = reader.rows(kind, RecordFilter(bbox=box))
    return _entities(reader, kind, rows, refs)


def referring_to(
    reader: RegisterReader, kind: str, column: str, keys: Collection[str], refs: Refs
) -> list[Any]:
    """The live records of ``kind`` whose reference ``column`` names one of ``keys``
    (an activity's hazard, a status change's hazard)."""
    field = kind_named(kind).field(column)
    assert field.references is not None, column
    ids = [
        refs.of(field.references).id_by_key[k]
        for k in keys
        if k in refs.of(field.references).id_by_key
    ]
    if not ids:
        return []
    table = reader.table(kind)
    statement = reader.select(kind).where(table.c[field.stored_column].in_(ids))
    rows = (dict(row._mapping) for row in reader.connection.execute(statement.order_by(table.c.id)))
    return _entities(reader, kind, rows, refs)
