"""The schema of a collection's features (OGC API – Features – Part 5: Schemas) and its
queryables (Part 3: Filtering).

JSON Schemas of what each feature's ``properties`` hold: the kind's exchange columns
(:func:`~demine.domain.kinds.exchange.exchange_columns`), the names and types every
export writes (dates as ``format: date``), with the fields the programme's fields file
adds (:mod:`demine.domain.kinds.custom`), their choices titled in the current language.
"""

from __future__ import annotations

from typing import Any

from demine.domain.kinds import FieldType
from demine.domain.kinds.exchange import ColumnType, ExchangeColumn, exchange_columns
from demine.domain.vocab import DatePrecision
from demine.i18n import current_locale
from demine.store.reads.features import queryables
from demine.web.ogc.collections import Collection

#: The link relation from a collection to its schema (Part 5).
SCHEMA_REL = "http://www.opengis.net/def/rel/ogc/1.0/schema"
#: The link relation from a collection to its queryables (Part 3).
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TYPES: dict[ColumnType, dict[str, Any]] = {
    ColumnType.INTEGER: {"type": "integer"},
    ColumnType.DECIMAL: {"type": "number"},
    ColumnType.BOOLEAN: {"type": "boolean"},
    ColumnType.DATE: {"type": "string", "format": "date"},
    ColumnType.DATETIME: {"type": "string", "format": "date-time"},
}
#: An event date as files hold it: a day, a month or a year.
_EVENT_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


def property_schema(column: ExchangeColumn) -> dict[str, Any]:
    """The JSON Schema of one exchange column's values."""
    field = column.field
    title = field.custom.label(current_locale()) if field.custom is not None else field.help
    if column.derived:
        if column.type is ColumnType.DATE:
            return {"title": title, **_TYPES[ColumnType.DATE]}
        return {"type": "string", "enum": [precision.value for precision in DatePrecision]}
    if field.free_text:
        # A text, or the withheld marker for callers without the victim-data grant.
        return {"title": title}
    if field.type is FieldType.EVENT_DATE:
        return {"title": title, **_EVENT_DATE}
    schema = dict(_TYPES.get(column.type, {"type": "string"}))
    if field.custom is not None and field.custom.choices:
        language = current_locale()
        choices = [{"const": c.code, "title": c.label(language)} for c in field.custom.choices]
        if field.type is FieldType.CODE:
            schema["oneOf"] = choices
        else:
            schema["description"] = "; ".join(f"{c['const']}: {c['title']}" for c in choices)
    elif field.type is FieldType.CODE and field.vocabulary is not None:
        schema["enum"] = [code.value for code in field.vocabulary]
    elif field.type is FieldType.TEXT and field.max_length:
        schema["maxLength"] = field.max_length
    return {"title": title, **schema}


def _geometry(collection: Collection) -> dict[str, Any]:
    declared = collection.layer.geometry_type or "any"
    return {"x-ogc-role": "primary-geometry", "format": f"geometry-{declared.lower()}"}


def feature_schema(url: str, collection: Collection) -> dict[str, Any]:
    """The JSON Schema of the features of ``collection``, at ``url``."""
    kind = collection.kind
    return {
        "$schema": _DRAFT,
        "$id": url,
        "type": "object",
        "title": collection.title,
        "description": kind.description,
        "properties": {
            "geometry": _geometry(collection),
            **{column.name: property_schema(column) for column in exchange_columns(kind)},
        },
    }


def queryables_schema(url: str, collection: Collection) -> dict[str, Any]:
    """The queryables of ``collection`` (Part 3): the properties an items request may
    filter on (``?name=value``) and sort by (``sortby``)."""
    return {
        "$schema": _DRAFT,
        "$id": url,
        "type": "object",
        "title": collection.title,
        "properties": {
            name: property_schema(column) for name, column in queryables(collection.kind).items()
        },
        "additionalProperties": False,
    }
