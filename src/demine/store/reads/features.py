"""The features of the OGC API collections: a page of them, one of them, their extent.

Which kinds are served, under what id and to whom, and what each feature shows come
from the registry of kinds (:mod:`demine.domain.kinds`): every stored field, with
references given as codes (a district's code, not its row id) and free text withheld
from those without the victim-data grant (:meth:`RegisterReader.shown`). Features are
live records with a geometry, read through a :class:`~demine.store.reader.RegisterReader`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from demine.domain.kinds import KINDS, FieldType, Kind
from demine.domain.kinds.custom import custom_fields_of
from demine.store.kind_tables import CUSTOM_COLUMN
from demine.store.reader import SQL_INTEGER_MAX, Page, RecordFilter, RegisterReader, check_offset
from demine.store.spatial import (
    BBox,
    Reach,
    envelope_reach,
    filter_bbox,
    intersecting_ids,
    needs_exact_check,
)

#: The table of a kind, by the kind's name (as the reader gives it).
Tables = Callable[[str], Table]


def _property_columns(kind: Kind, tables: Tables) -> tuple[list[Any], list[Any]]:
    """The feature properties of ``kind``'s fields, with references given as the
    referenced record's code or external id, and the joins they need."""
    table = tables(kind.name)
    columns: list[Any] = []
    joins: list[Any] = []
    for field in kind.fields:
        if not field.stored:
            continue
        if field.type is FieldType.EVENT_DATE:
            dates = kind.dates
            assert dates is not None and dates.precision is not None
            precision = dates.precision
            columns += [table.c[dates.earliest], table.c[dates.latest], table.c[precision]]
        elif field.type is FieldType.REFERENCE:
            assert field.references is not None
            referenced = KINDS[field.references]
            other = aliased(tables(referenced.name), name=f"ref_{field.name}")
            columns.append(other.c[referenced.key].label(field.name))
            joins.append((other, table.c[field.stored_column] == other.c.id, field.always_stored))
        else:
            columns.append(table.c[field.stored_column])
    return columns, joins


def _properties(kind: Kind, tables: Tables) -> Select[Any]:
    """What the features of ``kind`` show: id and geometry first, then its fields."""
    table = tables(kind.name)
    columns, joins = _property_columns(kind, tables)
    statement = select(table.c.id, table.c.geometry, *columns, table.c[CUSTOM_COLUMN])
    statement = statement.select_from(table)
    for other, on, required in joins:
        statement = statement.join(other, on) if required else statement.outerjoin(other, on)
    return statement


#: Kinds whose tables the features' selects read: the served ones and those they name.
_READ = tuple(
    sorted(
        {kind.name for kind in KINDS.values() if kind.collection}
        | {
            field.references
            for kind in KINDS.values()
            if kind.collection
            for field in kind.fields
            if field.references
        }
    )
)


@functools.lru_cache(maxsize=64)
def _cached_select(kind: str, tables: tuple[tuple[str, Table], ...]) -> Select[Any]:
    # Statements are immutable and building one costs: once per kind and set of tables.
    return _properties(KINDS[kind], dict(tables).__getitem__)


def _properties_select(reader: RegisterReader, kind: Kind) -> Select[Any]:
    tables = tuple((name, reader.table(name)) for name in _READ)
    return _cached_select(kind.name, tables)


def _shown(reader: RegisterReader, kind: Kind, row: Mapping[Any, Any]) -> dict[str, Any]:
    """A feature's properties: the stored custom values become the properties of the
    programme's fields of ``kind`` (values of fields it no longer has are not shown)."""
    properties = dict(row)
    kept = properties.pop(CUSTOM_COLUMN, None) or {}
    properties |= {field.name: kept.get(field.name) for field in custom_fields_of(kind)}
    return reader.shown(kind, properties)


def _extra(kind: Kind, table: Table) -> list[ColumnElement[bool]]:
    if kind.collection_where is None:
        return []
    column, value = kind.collection_where
    return [table.c[column] == value]


def _filtered(
    reader: RegisterReader,
    kind: Kind,
    period: RecordFilter,
    bbox: BBox | None,
    reach: Reach | None = None,
) -> Select[Any]:
    table = reader.table(kind)
    statement = _properties_select(reader, kind).where(
        table.c.geometry.is_not(None), *reader.scope(table), *_extra(kind, table)
    )
    statement = reader.filtered(kind, statement, period)
    if bbox is not None:
        statement = filter_bbox(statement, table, bbox, reader.dialect, reach)
    return statement


def feature_page(
    reader: RegisterReader,
    kind: Kind,
    *,
    bbox: BBox | None,
    start: date | None,
    end: date | None,
    limit: int,
    offset: int,
) -> Page:
    """One page of features (ordered by row id) and how many match in all.

    ``start``/``end`` select features whose dates overlap the period; a kind without
    dates refuses them (:class:`~demine.errors.InvalidRequestError`).
    """
    check_offset(offset)
    connection, table = reader.connection, reader.table(kind)
    period = RecordFilter(start=start, end=end)
    if bbox is not None and needs_exact_check(reader.dialect):
        # Ids first (from the index, exact test only across the box's edge), then the
        # one page of full rows: never every matching geometry and property.
        reach = envelope_reach(connection, table)
        candidates = _filtered(reader, kind, period, bbox, reach).with_only_columns(
            table.c.id, table.c.min_x, table.c.min_y, table.c.max_x, table.c.max_y
        )
        matched = intersecting_ids(connection, candidates, table, bbox)
        page_ids = matched[offset : offset + limit]
        if not page_ids:
            return Page([], len(matched))
        page_rows = connection.execute(
            _filtered(reader, kind, period, None)
            .where(table.c.id.in_(page_ids))
            .order_by(table.c.id)
        )
        return Page([_shown(reader, kind, r._mapping) for r in page_rows], len(matched))
    statement = _filtered(reader, kind, period, bbox).order_by(table.c.id)
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    matched_count = int(connection.execute(count).scalar_one())
    rows = connection.execute(statement.limit(limit).offset(offset))
    return Page([_shown(reader, kind, r._mapping) for r in rows], matched_count)


def feature(reader: RegisterReader, kind: Kind, row_id: int) -> dict[str, Any] | None:
    """The feature with row id ``row_id``, or None (also when it is not live, or the
    id is larger than any database holds)."""
    if not 0 <= row_id <= SQL_INTEGER_MAX:
        return None
    table = reader.table(kind)
    statement = _filtered(reader, kind, RecordFilter(), None).where(table.c.id == row_id)
    row = reader.connection.execute(statement).first()
    return _shown(reader, kind, row._mapping) if row is not None else None


@dataclass(frozen=True)
class Extent:
    """Where and when a kind's live features lie (each part None when unknown)."""

    bbox: list[float] | None
    start: date | None = None
    end: date | None = None


def extent(reader: RegisterReader, kind: Kind) -> Extent:
    """The box around the kind's live features (records with a geometry) and the span
    of their dates."""
    table = reader.table(kind)
    bounds: list[Any] = [
        func.min(table.c.min_x),
        func.min(table.c.min_y),
        func.max(table.c.max_x),
        func.max(table.c.max_y),
    ]
    if kind.dates is not None:
        earliest, latest = reader.date_columns(kind)
        bounds += [func.min(earliest), func.max(latest)]
    statement = select(*bounds).where(
        table.c.geometry.is_not(None), *reader.scope(table), *_extra(kind, table)
    )
    values = reader.connection.execute(statement).one()
    box = None if any(v is None for v in values[:4]) else [float(v) for v in values[:4]]
    if kind.dates is None:
        return Extent(box)
    return Extent(box, _day(values[4]), _day(values[5]))


def _day(value: Any) -> date | None:
    """A date as SQLite and PostgreSQL give back an aggregate of dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
