"""The tables of record kinds, built from the registry of kinds.

A kind's columns follow from its fields (a reference is a foreign key to the kind it
names, an event date its earliest and latest day and precision, a text its declared
length); every kind table adds its row id, its country (where records have one), its
geometry and bounding box (spatial kinds), the values of its programme's custom fields
(one JSON column), its provenance and, for reviewed kinds, the approval workflow's
columns. What is only about storage — which columns are indexed,
covering and partial indexes — is said by :mod:`demine.store.schema` beside each table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from demine.domain.custom_values import CustomValues
from demine.domain.kinds import KINDS, Field, FieldType, Kind
from demine.store.entity_rows import CUSTOM_COLUMN as CUSTOM_COLUMN
from demine.store.geometry import Geometry
from demine.store.types import UtcDateTime

#: Length of a date-precision code (day, month, year).
PRECISION_LENGTH = 10

_SIMPLE_TYPES: dict[FieldType, TypeEngine[Any]] = {
    FieldType.INTEGER: Integer(),
    FieldType.DECIMAL: Float(),
    FieldType.BOOLEAN: Boolean(),
    FieldType.DAY: Date(),
}


def provenance_columns() -> list[Column[Any]]:
    """Which import wrote a row last, and when."""
    return [
        Column("import_batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
        Column("updated_at", UtcDateTime(), nullable=False),
    ]


def review_columns() -> list[Column[Any]]:
    """The approval workflow and soft delete of field reports (see domain/workflow.py).

    Imported records are approved on import; only approved, undeleted rows feed reports.
    ``version`` grows with every change and is the ETag of the web API.
    """
    return [
        Column("review_status", String(20), nullable=False, server_default="approved"),
        Column("review_note", Text),
        Column("created_by", String(100)),
        Column("deleted_at", UtcDateTime()),
        Column("version", Integer, nullable=False, server_default="1"),
    ]


def custom_column() -> Column[Any]:
    """The values of the fields a programme adds to the kind (its fields file), as one
    JSON object: a programme's fields need no migration (:mod:`demine.domain.kinds.custom`)."""
    return Column(CUSTOM_COLUMN, JSON(none_as_null=True))


def custom_stored(values: CustomValues) -> dict[str, Any] | None:
    """A record's custom values as a row to save holds them (an emptied field as None,
    until :func:`merged_custom` drops it); None when it has none."""
    return {name: values[name] for name in sorted(values)} or None


def merged_custom(stored: CustomValues | None, saved: CustomValues | None) -> dict[str, Any] | None:
    """The custom values kept when ``saved`` replaces ``stored``: the fields the save
    names (emptied ones removed), and the others as they were — a file or a request
    read without the programme's fields file (or before a field was added) never
    erases values it did not know of."""
    merged = {**(stored or {}), **(saved or {})}
    return {name: merged[name] for name in sorted(merged) if merged[name] is not None} or None


def bbox_columns() -> list[Column[Any]]:
    return [Column(name, Float) for name in ("min_x", "min_y", "max_x", "max_y")]


def _column_type(field: Field) -> TypeEngine[Any]:
    if field.type in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[field.type]
    return String(field.max_length) if field.max_length else Text()


def field_columns(kind: Kind, field: Field, indexed: Collection[str]) -> list[Column[Any]]:
    """The stored columns of ``field``."""
    if not field.stored:
        return []
    nullable = not (field.always_stored or _inferred_district(kind, field))
    if field.type is FieldType.EVENT_DATE:
        assert kind.dates is not None and kind.dates.precision is not None
        return [
            Column(kind.dates.earliest, Date, nullable=nullable),
            Column(kind.dates.latest, Date, nullable=nullable),
            Column(kind.dates.precision, String(PRECISION_LENGTH), nullable=nullable),
        ]
    name = field.stored_column
    options: dict[str, Any] = {"nullable": nullable}
    if name == kind.key:
        options["unique"] = True
    if name in indexed:
        options["index"] = True
    if field.type is FieldType.BOOLEAN and field.default is not None:
        options["default"] = field.default
    if field.type is FieldType.REFERENCE:
        assert field.references is not None
        target = KINDS[field.references].table
        return [Column(name, Integer, ForeignKey(f"{target}.id"), **options)]
    return [Column(name, _column_type(field), **options)]


def _inferred_district(kind: Kind, field: Field) -> bool:
    """A district the importer takes from the geometry when the file leaves it out."""
    return kind.infer_district and field.type is FieldType.REFERENCE and field.level == "district"


def kind_table(
    metadata: MetaData, kind: Kind, *extra: SchemaItem, indexed: Collection[str] = ()
) -> Table:
    """The table of ``kind``; ``indexed`` names the columns with an index of their own."""
    attributes = {a.name for a in dataclasses.fields(kind.entity)}
    columns: list[SchemaItem] = [Column("id", Integer, primary_key=True)]
    for field in kind.fields:
        columns += field_columns(kind, field, indexed)
    if "country" in attributes:
        columns.append(Column("country", String(2), nullable=False, index="country" in indexed))
    if kind.spatial:
        columns += [Column("geometry", Geometry), *bbox_columns()]
    columns += provenance_columns()
    if kind.reviewed:
        columns += review_columns()
    columns.append(custom_column())
    return Table(kind.table, metadata, *columns, *extra)
