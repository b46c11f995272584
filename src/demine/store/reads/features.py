"""The features of the OGC API collections: a page of them, one of them, their extent.

A collection is one geometry layer of a kind (:mod:`demine.domain.kinds.exchange`):
only the records whose geometry is of the layer's types, single parts promoted to
Multi* where the layer declares it. Each feature's properties are the kind's exchange
columns (:func:`~demine.domain.kinds.exchange.exchange_columns`), named and written as
every export writes them: references as the referenced record's code or external id, an
event date as the import file holds it (``2024-05-03``, ``2024-05``, ``2024``) and as its
earliest and latest day and precision; free text withheld from those without the
victim-data grant (:meth:`RegisterReader.shown`). Features are live records with a
geometry, read through a :class:`~demine.store.reader.RegisterReader`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from demine.domain.dates import EventDate
from demine.domain.kinds import KINDS, FieldType, Kind
from demine.domain.kinds.exchange import ExchangeColumn, GeometryLayer, exchange_columns
from demine.domain.vocab import DatePrecision
from demine.store import schema
from demine.store.geometry import StoredWkb
from demine.store.kind_tables import CUSTOM_COLUMN
from demine.store.reader import SQL_INTEGER_MAX, Page, RecordFilter, RegisterReader, check_offset
from demine.store.spatial import (
    BBox,
    filter_bbox,
    intersecting_ids,
    needs_exact_check,
)

#: The table of a kind, by the kind's name (as the reader gives it).
Tables = Callable[[str], Table]
#: Field types a feature request may filter on (equality) and sort by.
_QUERYABLE_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.CODE,
        FieldType.REFERENCE,
        FieldType.INTEGER,
        FieldType.DECIMAL,
        FieldType.BOOLEAN,
        FieldType.DAY,
    }
)
#: The type codes of 2D WKB geometries (the first byte of WKB gives its byte order).
_WKB_CODES = {
    "Point": 1,
    "LineString": 2,
    "Polygon": 3,
    "MultiPoint": 4,
    "MultiLineString": 5,
    "MultiPolygon": 6,
}


@dataclass(frozen=True)
class FeatureQuery:
    """What a page of features is asked for; every part is applied, none ignored."""

    bbox: BBox | None = None
    start: date | None = None
    end: date | None = None
    #: Queryable column → the value it must equal.
    equals: Mapping[str, Any] = field(default_factory=dict)
    #: Queryable columns to sort by, each with whether descending (then by row id).
    sort: Sequence[tuple[str, bool]] = ()
    limit: int = 1_000
    offset: int = 0


def queryables(kind: Kind) -> dict[str, ExchangeColumn]:
    """The exchange columns of ``kind`` a request may filter on and sort by: stored
    columns of simple values (not free text, not the programme's fields) and the
    earliest/latest/precision columns of an event date."""
    return {
        column.name: column
        for column in exchange_columns(kind)
        if column.derived
        or (
            column.field.stored
            and column.field.custom is None
            and not column.field.free_text
            and column.field.type in _QUERYABLE_TYPES
        )
    }


def _property_columns(
    kind: Kind, tables: Tables
) -> tuple[list[Any], list[Any], dict[str, ColumnElement[Any]]]:
    """The stored values behind ``kind``'s exchange columns (references as the
    referenced record's key), the joins they need, and each queryable's expression."""
    table = tables(kind.name)
    columns: list[Any] = []
    joins: list[Any] = []
    expressions: dict[str, ColumnElement[Any]] = {}
    for described in kind.fields:
        if not described.stored:
            continue
        if described.type is FieldType.EVENT_DATE:
            dates = kind.dates
            assert dates is not None and dates.precision is not None
            for name in (dates.earliest, dates.latest, dates.precision):
                expressions[name] = table.c[name]
                columns.append(table.c[name])
        elif described.type is FieldType.REFERENCE:
            assert described.references is not None
            referenced = KINDS[described.references]
            other = aliased(tables(referenced.name), name=f"ref_{described.name}")
            expressions[described.name] = other.c[referenced.key]
            columns.append(other.c[referenced.key].label(described.name))
            on = table.c[described.stored_column] == other.c.id
            joins.append((other, on, described.always_stored))
        else:
            expressions[described.name] = table.c[described.stored_column]
            columns.append(table.c[described.stored_column].label(described.name))
    return columns, joins, expressions


@dataclass(frozen=True)
class _Statement:
    select: Select[Any]
    expressions: dict[str, ColumnElement[Any]]


def _properties(kind: Kind, tables: Tables) -> _Statement:
    """What the features of ``kind`` show: id and geometry first, then its fields."""
    table = tables(kind.name)
    columns, joins, expressions = _property_columns(kind, tables)
    # The geometry as stored (WKB): read once into shapely, and a key for its GeoJSON.
    geometry = type_coerce(table.c.geometry, StoredWkb()).label("geometry")
    statement = select(table.c.id, geometry, *columns, table.c[CUSTOM_COLUMN])
    statement = statement.select_from(table)
    for other, on, required in joins:
        statement = statement.join(other, on) if required else statement.outerjoin(other, on)
    return _Statement(statement, expressions)


#: Kinds whose tables the features' selects read: the served ones and those they name.
_READ = tuple(
    sorted(
        {kind.name for kind in KINDS.values() if kind.collection}
        | {
            described.references
            for kind in KINDS.values()
            if kind.collection
            for described in kind.fields
            if described.references
        }
    )
)


@functools.lru_cache(maxsize=64)
def _cached_select(kind: str, tables: tuple[tuple[str, Table], ...]) -> _Statement:
    # Statements are immutable and building one costs: once per kind and set of tables.
    return _properties(KINDS[kind], dict(tables).__getitem__)


def _properties_select(reader: RegisterReader, kind: Kind) -> _Statement:
    tables = tuple((name, reader.table(name)) for name in _READ)
    return _cached_select(kind.name, tables)


def _event_date(row: Mapping[Any, Any], kind: Kind) -> str | None:
    """An event date as import files hold it (``2024-05-03``, ``2024-05``, ``2024``)."""
    dates = kind.dates
    assert dates is not None and dates.precision is not None
    earliest, latest = _day(row[dates.earliest]), _day(row[dates.latest])
    precision = row[dates.precision]
    if earliest is None or latest is None or precision is None:
        return None
    return EventDate(earliest, latest, DatePrecision(precision)).isoformat()


def _file_value(value: Any) -> Any:
    """A programme's field's value as files hold it (several choices: ``a;b``)."""
    return ";".join(str(v) for v in value) if isinstance(value, list) else value


#: How a feature's property is taken from its row: (row, custom values, aliases) → value.
_Getter = Callable[[Mapping[Any, Any], Mapping[str, Any], Mapping[int, list[str]]], Any]


def _getter(kind: Kind, column: ExchangeColumn) -> _Getter:
    """How ``column``'s value is taken from a row of ``kind``'s features."""
    described = column.field
    name = column.name
    if column.derived:
        return lambda row, _kept, _aliases: row[name]
    if described.custom is not None:
        return lambda _row, kept, _aliases: _file_value(kept.get(name))
    if described.type is FieldType.EVENT_DATE:
        return lambda row, _kept, _aliases: _event_date(row, kind)
    if described.type is FieldType.TEXT_LIST:
        return lambda row, _kept, aliases: ";".join(sorted(aliases.get(row["id"], ()))) or None
    if not described.stored:
        return lambda _row, _kept, _aliases: None
    scale = described.scale
    if scale is not None:
        return lambda row, _kept, _aliases: (
            None if row[name] is None else round(row[name] / scale, 8)
        )
    return lambda row, _kept, _aliases: row[name]


class Feature(dict[str, Any]):
    """A feature (id, geometry, properties) and what its geometry was read from: the
    layer's promotion and the stored WKB, which decide the geometry's written forms."""

    stored_geometry: tuple[bool, bytes] | None = None


def _page(
    reader: RegisterReader, layer: GeometryLayer, rows: Sequence[Mapping[Any, Any]]
) -> list[Mapping[str, Any]]:
    """Each row as a feature: id, geometry (promoted to the layer's type) and the kind's
    exchange columns as its properties, in order (free text withheld from who may not
    read it)."""
    import shapely

    kind = layer.kind
    aliases = _aliases(reader, kind, [row["id"] for row in rows])
    getters = [(column.name, _getter(kind, column)) for column in exchange_columns(kind)]
    stored = [row["geometry"] for row in rows]
    shapes = layer.declared_all(shapely.from_wkb(stored)) if rows else []
    features: list[Mapping[str, Any]] = []
    for row, wkb, shape in zip(rows, stored, shapes, strict=True):
        kept = row[CUSTOM_COLUMN] or {}
        properties = {name: get(row, kept, aliases) for name, get in getters}
        shown = reader.shown(kind, properties)
        feature = Feature({"id": row["id"], "geometry": shape, **shown})
        if wkb is not None:
            feature.stored_geometry = (layer.promotes, wkb)
        features.append(feature)
    return features


def _aliases(reader: RegisterReader, kind: Kind, ids: Sequence[int]) -> dict[int, list[str]]:
    """The other spellings of the areas ``ids`` (only a kind with an alias list has any)."""
    if not ids or not any(f.type is FieldType.TEXT_LIST and not f.stored for f in kind.fields):
        return {}
    table = schema.admin_area_aliases
    found: dict[int, list[str]] = {}
    statement = select(table.c.area_id, table.c.alias).where(table.c.area_id.in_(ids))
    for area_id, alias in reader.connection.execute(statement):
        found.setdefault(area_id, []).append(alias)
    return found


#: The conditions of :func:`_geometry_types`, by the identity of layer and table.
_TYPES: dict[tuple[int, int, str], tuple[GeometryLayer, Table, list[ColumnElement[bool]]]] = {}


def _geometry_types(layer: GeometryLayer, table: Table, dialect: str) -> list[ColumnElement[bool]]:
    """The condition that a row's geometry is of the layer's types (none when the layer
    holds every geometry type its kind allows); built once per layer, table and dialect
    (a page of features builds its statements twice)."""
    known = _TYPES.get((id(layer), id(table), dialect))
    if known is not None and known[0] is layer and known[1] is table:
        return known[2]
    conditions = _types_condition(layer, table, dialect)
    _TYPES[(id(layer), id(table), dialect)] = (layer, table, conditions)
    return conditions


def _types_condition(layer: GeometryLayer, table: Table, dialect: str) -> list[ColumnElement[bool]]:
    if set(layer.holds) >= set(layer.kind.geometry):
        return []
    if dialect == "postgresql":
        return [func.GeometryType(table.c.geometry).in_([t.upper() for t in layer.holds])]
    # SQLite keeps plain WKB: its byte order, then the type (little- or big-endian).
    prefixes = [
        prefix
        for name in layer.holds
        for prefix in (f"01{_WKB_CODES[name]:02X}000000", f"00000000{_WKB_CODES[name]:02X}")
    ]
    return [func.hex(func.substr(table.c.geometry, 1, 5)).in_(prefixes)]


def _extra(kind: Kind, table: Table) -> list[ColumnElement[bool]]:
    if kind.collection_where is None:
        return []
    column, value = kind.collection_where
    return [table.c[column] == value]


def _conditions(reader: RegisterReader, layer: GeometryLayer) -> list[ColumnElement[bool]]:
    """The rows of the layer's collection: live, with a geometry of the layer's types."""
    table = reader.table(layer.kind)
    return [
        table.c.geometry.is_not(None),
        *reader.scope(table),
        *_extra(layer.kind, table),
        *_geometry_types(layer, table, reader.dialect),
    ]


def layer_conditions(reader: RegisterReader, layer: GeometryLayer) -> list[ColumnElement[bool]]:
    """The rows a layer's collection serves (its vector tiles too): live, of the kind's
    collection, with a geometry of the layer's types."""
    return _conditions(reader, layer)


def _filtered(
    reader: RegisterReader,
    layer: GeometryLayer,
    query: FeatureQuery,
    bbox: BBox | None,
) -> Select[Any]:
    kind = layer.kind
    table = reader.table(kind)
    described = _properties_select(reader, kind)
    statement = described.select.where(*_conditions(reader, layer))
    for name, value in query.equals.items():
        statement = statement.where(described.expressions[name] == value)
    statement = reader.filtered(kind, statement, RecordFilter(start=query.start, end=query.end))
    if bbox is not None:
        statement = filter_bbox(statement, table, bbox, reader.dialect)
    return statement


def _order(reader: RegisterReader, layer: GeometryLayer, query: FeatureQuery) -> list[Any]:
    """The requested order, then the row id (pages never overlap nor skip a feature)."""
    expressions = _properties_select(reader, layer.kind).expressions
    order: list[Any] = [
        expressions[name].desc() if descending else expressions[name].asc()
        for name, descending in query.sort
    ]
    return [*order, reader.table(layer.kind).c.id]


def feature_page(reader: RegisterReader, layer: GeometryLayer, query: FeatureQuery) -> Page:
    """One page of the layer's features (in the asked order, then by row id) and how many
    match in all.

    ``start``/``end`` select features whose dates overlap the period; a kind without
    dates refuses them (:class:`~demine.errors.InvalidRequestError`).
    """
    check_offset(query.offset)
    connection, table = reader.connection, reader.table(layer.kind)
    order = _order(reader, layer, query)
    if query.bbox is not None and needs_exact_check(reader.dialect):
        # Ids first (from the R*Tree, exact test only across the box's edge), then the
        # one page of full rows: never every matching geometry and property.
        rough = _filtered(reader, layer, query, query.bbox)
        candidates = rough.with_only_columns(
            table.c.id, table.c.min_x, table.c.min_y, table.c.max_x, table.c.max_y
        )
        matched = intersecting_ids(connection, candidates, table, query.bbox)
        if query.sort:
            kept = set(matched)
            ordered = connection.execute(rough.with_only_columns(table.c.id).order_by(*order))
            matched = [row_id for (row_id,) in ordered if row_id in kept]
        page_ids = matched[query.offset : query.offset + query.limit]
        if not page_ids:
            return Page([], len(matched))
        unfiltered = FeatureQuery(start=query.start, end=query.end, equals=query.equals)
        found = connection.execute(
            _filtered(reader, layer, unfiltered, None).where(table.c.id.in_(page_ids))
        )
        by_id = {row.id: row._mapping for row in found}
        return Page(_page(reader, layer, [by_id[i] for i in page_ids]), len(matched))
    statement = _filtered(reader, layer, query, query.bbox)
    ids = statement.with_only_columns(table.c.id)
    count = select(func.count()).select_from(ids.order_by(None).subquery())
    matched_count = int(connection.execute(count).scalar_one())
    # The page's ids first (the rows skipped by the offset are never joined nor read
    # whole), then their features.
    in_page = ids.order_by(*order).limit(query.limit).offset(query.offset)
    rows = connection.execute(
        _properties_select(reader, layer.kind)
        .select.where(table.c.id.in_(in_page.scalar_subquery()))
        .order_by(*order)
    )
    return Page(_page(reader, layer, [row._mapping for row in rows]), matched_count)


def feature(reader: RegisterReader, layer: GeometryLayer, row_id: int) -> Mapping[str, Any] | None:
    """The feature with row id ``row_id``, or None (also when it is not live, not of the
    layer's geometry types, or the id is larger than any database holds)."""
    if not 0 <= row_id <= SQL_INTEGER_MAX:
        return None
    table = reader.table(layer.kind)
    statement = _filtered(reader, layer, FeatureQuery(), None).where(table.c.id == row_id)
    row = reader.connection.execute(statement).first()
    return _page(reader, layer, [row._mapping])[0] if row is not None else None


@dataclass(frozen=True)
class Extent:
    """Where and when a layer's live features lie (each part None when unknown)."""

    bbox: list[float] | None
    start: date | None = None
    end: date | None = None


def extent(reader: RegisterReader, layer: GeometryLayer) -> Extent:
    """The box around the layer's live features and the span of their dates."""
    kind = layer.kind
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
    statement = select(*bounds).where(*_conditions(reader, layer))
    values = reader.connection.execute(statement).one()
    box = None if any(v is None for v in values[:4]) else [float(v) for v in values[:4]]
    if kind.dates is None:
        return Extent(box)
    return Extent(box, _day(values[4]), _day(values[5]))


def _day(value: Any) -> date | None:
    """A date as SQLite and PostgreSQL give back (aggregates of dates too)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
