"""The schema of a collection's features (OGC API – Features – Part 5: Schemas).

A JSON Schema of what each feature's ``properties`` hold, derived from the kind's
fields as :mod:`demine.store.reads.features` shows them: references as the referenced
record's code, an event date as its earliest and latest day and precision, and the
fields the programme's fields file adds (:mod:`demine.domain.kinds.custom`), their
choices titled in the current language.
"""

from __future__ import annotations

from typing import Any

from demine.domain.kinds import Field, FieldType, Kind
from demine.domain.vocab import DatePrecision
from demine.i18n import current_locale

#: The media type of a JSON Schema document.
SCHEMA_JSON = "application/schema+json"
#: The link relation from a collection to its schema.
SCHEMA_REL = "http://www.opengis.net/def/rel/ogc/1.0/schema"

_TYPES: dict[FieldType, dict[str, Any]] = {
    FieldType.INTEGER: {"type": "integer"},
    FieldType.DECIMAL: {"type": "number"},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.DAY: {"type": "string", "format": "date"},
}


def _property(field: Field) -> dict[str, Any]:
    if field.free_text:
        # A text, or the withheld marker for callers without the victim-data grant.
        return {"title": field.help}
    schema = dict(_TYPES.get(field.type, {"type": "string"}))
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
    title = field.custom.label(current_locale()) if field.custom is not None else field.help
    return {"title": title, **schema}


def _properties(kind: Kind) -> dict[str, dict[str, Any]]:
    properties: dict[str, dict[str, Any]] = {}
    for field in kind.fields:
        if field.type is FieldType.EVENT_DATE and kind.dates is not None:
            dates = kind.dates
            properties[dates.earliest] = {"title": field.help, "type": "string", "format": "date"}
            properties[dates.latest] = {"title": field.help, "type": "string", "format": "date"}
            if dates.precision is not None:
                precisions = [precision.value for precision in DatePrecision]
                properties[dates.precision] = {"type": "string", "enum": precisions}
        elif field.stored or field.custom is not None:
            properties[field.name] = _property(field)
    return properties


def feature_schema(url: str, kind: Kind) -> dict[str, Any]:
    """The JSON Schema of ``kind``'s features, at ``url``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": kind.title,
        "description": kind.description,
        "properties": {
            "geometry": {"x-ogc-role": "primary-geometry", "format": "geometry-any"},
            **_properties(kind),
        },
    }
