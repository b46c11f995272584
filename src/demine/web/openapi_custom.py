"""The programme's custom fields in the web API's OpenAPI document.

The REST API serves every kind under one path (``/api/{kind}``), so a record's columns
are not a schema of their own; the fields a programme adds to a kind
(:mod:`demine.domain.kinds.custom`) are described as a component per kind,
``<Kind>CustomFields`` (``HazardsCustomFields``), which records of that kind carry
beside their own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI

from demine.domain.kinds import Field, FieldType, Kind
from demine.domain.kinds.custom import CustomType, custom_fields_of

_JSON_TYPES = {
    CustomType.TEXT: {"type": "string"},
    CustomType.INTEGER: {"type": "integer"},
    CustomType.DECIMAL: {"type": "number"},
    CustomType.DATE: {"type": "string", "format": "date"},
}


def component_name(kind: Kind) -> str:
    """``HazardsCustomFields`` for ``hazards``."""
    return "".join(part.title() for part in kind.name.split("-")) + "CustomFields"


def _schema(field: Field) -> dict[str, Any]:
    custom = field.custom
    assert custom is not None
    codes = [choice.code for choice in custom.choices]
    schema: dict[str, Any]
    if field.type is FieldType.CODE:
        schema = {"type": "string", "enum": codes}
    elif field.type is FieldType.CODES:
        schema = {"type": "string", "description": "codes separated by ;"}
    else:
        schema = dict(_JSON_TYPES[custom.type])
    labels = "; ".join(f"{c.code}: {c.label('en')}" for c in custom.choices)
    description = (custom.help or custom.name) + (f" ({labels})" if labels else "")
    if custom.required:
        # Records stored before the field was added may lack it: required on input only.
        description += " (required in imports and new records)"
    return {**schema, "nullable": True, "description": description}


def custom_schemas(kinds: Mapping[str, Kind]) -> dict[str, dict[str, Any]]:
    """A component schema per kind the programme adds fields to."""
    return {
        component_name(kind): {
            "title": component_name(kind),
            "description": f"Fields the programme adds to {kind.name} records",
            "type": "object",
            "properties": {field.name: _schema(field) for field in custom_fields_of(kind)},
        }
        for kind in kinds.values()
        if custom_fields_of(kind)
    }


def with_custom_schemas(app: FastAPI, kinds: Mapping[str, Kind]) -> Callable[[], dict[str, Any]]:
    """``app.openapi`` adding the programme's custom field components to the document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()  # FastAPI keeps it as app.openapi_schema
            schemas = custom_schemas(kinds)
            if schemas:
                document.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
            app.openapi_schema = document
        return app.openapi_schema

    return openapi
