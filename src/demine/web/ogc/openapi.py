"""The OpenAPI 3.0 definition of the OGC API endpoints (conformance class oas30)."""

from __future__ import annotations

from typing import Any

_FEATURE_COLLECTION = {"type": "object", "required": ["type", "features"]}
#: OGC API's exception body (``code`` and ``description``).
_EXCEPTION = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
            }
        }
    }
}
_REFUSED = {
    "400": {"description": "A parameter is unknown, malformed or cannot be applied", **_EXCEPTION},
    "404": {"description": "No such collection or feature (or not for this caller)", **_EXCEPTION},
}


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": False}  # fmt: skip


def item_parameters() -> list[dict[str, Any]]:
    """The query parameters of an items request (besides ``f``)."""
    return [
        _parameter("bbox", "min_lon,min_lat,max_lon,max_lat (CRS84)",
                   {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}),
        _parameter("datetime", "RFC 3339 instant or interval (a/b, ../b, a/..)",
                   {"type": "string"}),
        _parameter("limit", "Features per page",
                   {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}),
        _parameter("offset", "Features to skip", {"type": "integer", "minimum": 0}),
    ]  # fmt: skip


def format_parameter() -> dict[str, Any]:
    """``f``: the answer as JSON (GeoJSON for features) or as a page for people."""
    return _parameter(
        "f", "json (GeoJSON for features) or html", {"type": "string", "enum": ["json", "html"]}
    )


def openapi_document(base: str) -> dict[str, Any]:
    """The API definition, with every parameter the item queries accept."""
    collection_id = {"name": "collectionId", "in": "path", "required": True,
                     "schema": {"type": "string"}}  # fmt: skip
    json_response = {"200": {"description": "OK", "content": {"application/json": {}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Demine OGC API – Features", "version": "1.0.0"},
        "servers": [{"url": base}],
        "paths": {
            "/": {"get": {"summary": "Landing page", "responses": json_response}},
            "/conformance": {"get": {"summary": "Conformance classes", "responses": json_response}},
            "/collections": {"get": {"summary": "Collections", "responses": json_response}},
            "/collections/{collectionId}": {
                "get": {"summary": "A collection", "parameters": [collection_id],
                        "responses": json_response}
            },
            "/collections/{collectionId}/schema": {
                "get": {"summary": "The schema of a collection's features",
                        "parameters": [collection_id],
                        "responses": {"200": {"description": "A JSON Schema", "content": {
                            "application/schema+json": {"schema": {"type": "object"}}}},
                            **_REFUSED}}
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "summary": "Features",
                    "parameters": [collection_id, *item_parameters()],
                    "responses": {"200": {"description": "Features", "content": {
                        "application/geo+json": {"schema": _FEATURE_COLLECTION}}}, **_REFUSED},
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "summary": "One feature",
                    "parameters": [collection_id, {"name": "featureId", "in": "path",
                                                   "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "A feature", "content": {
                        "application/geo+json": {"schema": {"type": "object"}}}}, **_REFUSED},
                }
            },
        },
    }  # fmt: skip
