"""What an import file of each kind holds, and how its rows become domain entities:
derived from the registry of kinds (:mod:`demine.domain.kinds`), never written twice.

Each :class:`~demine.domain.kinds.Field` becomes a :class:`FieldSpec` whose reader and
writer follow from its type; a row's values become the kind's entity attribute by
attribute (empty values take the field's default, values in a larger unit are scaled).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from typing import Any

from shapely.geometry.base import BaseGeometry

from demine.domain.bounds import bounds_check, nul_problem
from demine.domain.kinds import KINDS, Field, FieldType, Kind
from demine.domain.kinds.custom import CUSTOM_ATTRIBUTE, custom_fields_of
from demine.domain.records import format_declared_models, parse_declared_models
from demine.domain.withheld import WITHHELD_TEXT, is_withheld
from demine.i18n import _
from demine.ingest import fields as f
from demine.ingest.entity_spec import EntitySpec as EntitySpec
from demine.ingest.entity_spec import Values as Values
from demine.ingest.fields import FieldSpec, Formatter, ParseContext, Parser

#: Readers of references, by the kind (and level) they name.
_REFERENCE_PARSERS: dict[tuple[str, str | None], Parser] = {
    ("admin-areas", "district"): f.district,
    ("admin-areas", "settlement"): f.settlement,
    # A parent area is resolved by the importer once the row's level is known.
    ("admin-areas", None): f.text,
    ("organisations", None): f.organisation,
    ("hazards", None): f.hazard,
    ("activities", None): f.activity,
    ("accidents", None): f.accident,
    ("victims", None): f.victim,
    ("minefield-records", None): f.minefield_record,
}


def _reference_parser(kind: str, level: str | None) -> Parser:
    """A reader of its own where the kind has one, else the stored record's key."""
    return _REFERENCE_PARSERS.get((kind, level)) or f.record_of(kind)


#: The readers of a reference that take a stored record's key, stripped, and nothing else.
_KEY_READERS = (f.hazard, f.activity, f.accident, f.victim, f.minefield_record)


def reads_stored_key(field: Field) -> bool:
    """Whether a file's value of ``field`` is read as the key of a stored record of the
    kind it refers to, stripped, and refused if no such record is stored."""
    if field.type is not FieldType.REFERENCE or field.references is None or field.free_text:
        return False
    reader = _REFERENCE_PARSERS.get((field.references, field.level))
    return reader is None or reader in _KEY_READERS


def _text_list(value: Any, _: ParseContext) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(value).split(";") if part.strip())


def _references(read_one: Parser) -> Parser:
    """Several references, separated by ``;``, each read as one reference is."""

    def parse(value: Any, context: ParseContext) -> tuple[str, ...]:
        parts = [part.strip() for part in str(value).split(";") if part.strip()]
        return tuple(dict.fromkeys(read_one(part, context) for part in parts))

    return parse


def _declared_models(value: Any, _: ParseContext) -> Any:
    return parse_declared_models(str(value))


def _format_models(models: Any) -> str | None:
    return format_declared_models(tuple(models)) if models else None


def _iso(value: Any) -> str:
    return str(value.isoformat())


def parser_of(field: Field) -> Parser:
    """How a file's (or a request's) value of ``field`` is read: by its type, then held
    to what both databases store (length, no NUL, integer range); free text never takes
    the marker of withheld text (:mod:`demine.domain.withheld`) as a value."""
    read = _reader_of(field)
    check = bounds_check(field)
    free_text = field.free_text

    def parse(value: Any, context: ParseContext) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(nul_problem(value))
        if free_text and is_withheld(value):
            raise ValueError(
                _(
                    "{marker} stands for text withheld from whoever read it, not a value: "
                    "only the victim-data grant reads (and so exports) free text"
                ).format(marker=WITHHELD_TEXT)
            )
        parsed = read(value, context)
        problem = None if check is None else check(parsed)
        if problem is not None:
            raise ValueError(problem)
        return parsed

    return parse


def _reader_of(field: Field) -> Parser:
    """How a value of ``field`` is read, by its type."""
    simple: dict[FieldType, Parser] = {
        FieldType.TEXT: f.text,
        FieldType.INTEGER: f.integer,
        FieldType.DECIMAL: f.number,
        FieldType.BOOLEAN: f.boolean,
        FieldType.DAY: f.day,
        FieldType.EVENT_DATE: f.event_date,
        FieldType.DISTRICTS: f.districts,
        FieldType.TEXT_LIST: _text_list,
        FieldType.MODEL_COUNTS: _declared_models,
    }
    if field.type in simple:
        return simple[field.type]
    if field.type is FieldType.REFERENCE:
        assert field.references is not None, field.name
        return _reference_parser(field.references, field.level)
    if field.type is FieldType.REFERENCES:
        assert field.references is not None, field.name
        return _references(_reference_parser(field.references, field.level))
    assert field.vocabulary is not None, field.name
    if field.type is FieldType.CODE:
        return f.code_of(field.vocabulary)
    return f.codes_of(field.vocabulary)


def formatter_of(field: Field) -> Formatter:
    """How an entity's value of ``field`` is written into a file."""
    formatters: dict[FieldType, Formatter] = {
        FieldType.CODE: f.format_code,
        FieldType.CODES: f.format_codes,
        FieldType.DAY: f.format_day,
        FieldType.EVENT_DATE: _iso,
        FieldType.BOOLEAN: f.format_bool,
        FieldType.DISTRICTS: f.format_list,
        FieldType.TEXT_LIST: f.format_list,
        FieldType.REFERENCES: f.format_list,
        FieldType.MODEL_COUNTS: _format_models,
    }
    return formatters.get(field.type, lambda value: value)


def to_entity(field: Field, value: Any) -> Any:
    """A parsed value of ``field`` as the entity holds it (its default when empty)."""
    if value is None:
        return field.default
    if field.scale is not None:
        return round(value * field.scale, 4)
    return value


def _to_file(field: Field, value: Any) -> Any:
    if value is not None and field.scale is not None:
        return round(value / field.scale, 8)
    return value


def _custom_stored(value: Any) -> Any:
    """A custom field's parsed value as the record keeps it (JSON: codes, ISO days)."""
    if isinstance(value, tuple):
        return [_custom_stored(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _format_custom(value: Any) -> Any:
    return ";".join(value) if isinstance(value, list) else value


def spec_of(kind: Kind) -> EntitySpec:
    """The import spec of ``kind``, derived from its description (with the programme's
    fields, when ``kind`` is extended by them: :mod:`demine.domain.kinds.custom`)."""
    attributes = {a.name for a in dataclasses.fields(kind.entity)}
    has_country = "country" in attributes
    own = tuple(field for field in kind.fields if field.custom is None)
    custom = custom_fields_of(kind)

    def build(values: Values, geometry: BaseGeometry | None, context: ParseContext) -> Any:
        arguments = {field.entity_attribute: to_entity(field, values[field.name]) for field in own}
        if has_country:
            arguments["country"] = context.country
        if kind.spatial:
            arguments["geometry"] = geometry
        if custom:
            # An empty cell empties the field (None); see store.kind_tables.merged_custom.
            arguments[CUSTOM_ATTRIBUTE] = {
                field.name: _custom_stored(values[field.name]) for field in custom
            }
        return kind.entity(**arguments)

    def flatten(entity: Any) -> Values:
        flat = {
            field.name: _to_file(field, getattr(entity, field.entity_attribute)) for field in own
        }
        kept = getattr(entity, CUSTOM_ATTRIBUTE, {})
        return flat | {field.name: kept.get(field.name) for field in custom}

    return EntitySpec(
        kind=kind.name,
        entity_type=kind.entity,
        help=kind.help,
        fields=tuple(
            FieldSpec(
                field.name,
                parser_of(field),
                field.help,
                field.example,
                field.required,
                _format_custom if field.custom else formatter_of(field),
            )
            for field in kind.fields
        ),
        build=build,
        flatten=flatten,
        check=kind.check,
        register_check=kind.register_check,
        geometry_help=kind.geometry_help,
        infer_district=kind.infer_district,
        repair=kind.repair,
    )


#: Every import kind, in the order records depend on each other.
SPECS: dict[str, EntitySpec] = {name: spec_of(kind) for name, kind in KINDS.items()}

SPEC_BY_TYPE: dict[type, EntitySpec] = {spec.entity_type: spec for spec in SPECS.values()}
