"""A kind's stored row as the domain entity it holds (the reading half of
:mod:`demine.store.mapping`, without the schema's tables: a report on a plain
connection, :mod:`demine.store.compiled`, makes entities from rows too)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any

from demine.domain.dates import EventDate
from demine.domain.kinds import Field, FieldType, Kind
from demine.domain.kinds.custom import CUSTOM_ATTRIBUTE
from demine.domain.records import parse_declared_models
from demine.domain.vocab import DatePrecision
from demine.store.refs import KeyMap, Refs, key_map_of

#: The JSON column of every kind table holding its records' custom values.
CUSTOM_COLUMN = "custom"


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(";")) if text else ()


def _entity_value(field: Field, stored: Any, refs: Refs) -> Any:
    """A column's ``stored`` value as the entity holds it."""
    kind = field.type
    if kind is FieldType.REFERENCE:
        assert field.references is not None
        keys: KeyMap = key_map_of(refs, field.references)
        return keys.key_of(stored)
    if kind is FieldType.CODE:
        assert field.vocabulary is not None
        return None if stored is None else field.vocabulary(stored)
    if kind is FieldType.CODES:
        assert field.vocabulary is not None
        vocabulary = field.vocabulary
        return tuple(vocabulary(code) for code in stored.split(";")) if stored else ()
    if kind in (FieldType.DISTRICTS, FieldType.TEXT_LIST, FieldType.REFERENCES):
        return tuple(stored) if isinstance(stored, list | tuple) else _split(stored)
    if kind is FieldType.MODEL_COUNTS:
        return parse_declared_models(stored) if stored else ()
    if kind is FieldType.BOOLEAN and field.default is not None:
        return bool(stored)
    return stored


@cache
def _has_country(entity: type) -> bool:
    # A kind table has a country column exactly when its entity has one (kind_tables).
    return "country" in {a.name for a in dataclasses.fields(entity)}


def entity_from_row(kind: Kind, row: Mapping[str, Any], refs: Refs) -> Any:
    """The entity of ``kind`` a stored ``row`` (every column of its table) holds."""
    dates = kind.dates
    arguments: dict[str, Any] = {}
    for field in kind.fields:
        if field.type is FieldType.EVENT_DATE:
            assert dates is not None and dates.precision is not None
            value: Any = EventDate(
                row[dates.earliest], row[dates.latest], DatePrecision(row[dates.precision])
            )
        elif field.stored:
            value = _entity_value(field, row[field.stored_column], refs)
        else:
            value = _entity_value(field, row.get(field.name, ()), refs)
        arguments[field.entity_attribute] = value
    if _has_country(kind.entity):
        arguments["country"] = row["country"]
    if kind.spatial:
        arguments["geometry"] = row["geometry"]
    arguments[CUSTOM_ATTRIBUTE] = dict(row.get(CUSTOM_COLUMN) or {})
    return kind.entity(**arguments)
