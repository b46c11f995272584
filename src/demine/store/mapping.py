"""Domain entities to table rows and back: derived from the registry of kinds.

Each field's type says how its value is stored: a reference as the referenced
record's row id, an event date as its earliest and latest day and precision (the
columns the kind's :class:`~demine.domain.kinds.DateSpan` names), codes as their
values, lists joined with ``;``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from demine.domain.kinds import KINDS, Field, FieldType, Kind
from demine.domain.records import format_declared_models
from demine.store import schema
from demine.store.entity_rows import entity_from_row
from demine.store.kind_tables import CUSTOM_COLUMN, custom_stored
from demine.store.refs import Refs, key_map_of
from demine.store.table_mapping import Row as Row
from demine.store.table_mapping import TableMapping as TableMapping
from demine.store.table_mapping import bbox_columns

E = TypeVar("E")


def _joined(values: Any) -> str | None:
    return ";".join(values) or None


def _stored(field: Field, value: Any, refs: Refs) -> Any:
    """``value`` (as the entity holds it) as the field's column holds it."""
    kind = field.type
    if kind is FieldType.REFERENCE:
        assert field.references is not None
        return key_map_of(refs, field.references).id_of(value)
    if value is None:
        return None
    if kind is FieldType.CODE:
        return value.value
    if kind is FieldType.CODES:
        return ";".join(code.value for code in value) or None
    if kind in (FieldType.DISTRICTS, FieldType.TEXT_LIST, FieldType.REFERENCES):
        return _joined(value)
    if kind is FieldType.MODEL_COUNTS:
        return format_declared_models(value)
    return value


#: Types whose values a column holds as the entity holds them (see :func:`_stored`).
_AS_HELD = frozenset(
    {FieldType.TEXT, FieldType.INTEGER, FieldType.DECIMAL, FieldType.BOOLEAN, FieldType.DAY}
)


def stored_as_held(field: Field) -> bool:
    """Whether ``field``'s column holds its values as the entity holds them."""
    return field.type in _AS_HELD and field.stored


def stored_columns(kind: Kind, field: Field, value: Any, refs: Refs) -> Row:
    """The columns ``field`` of ``kind`` is stored in, holding ``value`` (as the entity
    holds it): one column, or an event date's earliest and latest day and precision."""
    if field.type is FieldType.EVENT_DATE:
        dates = kind.dates
        assert dates is not None and dates.precision is not None
        return {
            dates.earliest: value.earliest,
            dates.latest: value.latest,
            dates.precision: value.precision.value,
        }
    return {field.stored_column: _stored(field, value, refs)}


def mapping_of(kind: Kind) -> TableMapping[Any]:
    """How ``kind`` is stored, from its description."""
    table = schema.metadata.tables[kind.table]
    attributes = {a.name for a in dataclasses.fields(kind.entity)}
    has_country = "country" in attributes and "country" in table.c
    key_field = next(f for f in kind.fields if f.stored_column == kind.key)

    def to_row(entity: Any, refs: Refs) -> Row:
        row: Row = {}
        for field in kind.fields:
            if field.stored:
                row |= stored_columns(kind, field, getattr(entity, field.entity_attribute), refs)
        if has_country:
            row["country"] = entity.country
        if kind.spatial:
            row["geometry"] = entity.geometry
            row.update(bbox_columns(entity.geometry))
        row[CUSTOM_COLUMN] = custom_stored(entity.custom)
        return row

    def from_row(row: Mapping[str, Any], refs: Refs) -> Any:
        return entity_from_row(kind, row, refs)

    key_attribute = key_field.entity_attribute
    key_of: Callable[[Any], str] = lambda entity: getattr(entity, key_attribute)  # noqa: E731
    return TableMapping(table, kind.key, key_of, to_row, from_row)


MAPPINGS: dict[type, TableMapping[Any]] = {kind.entity: mapping_of(kind) for kind in KINDS.values()}


def mapping_for(entity_type: type[E]) -> TableMapping[E]:
    return MAPPINGS[entity_type]
