"""The OpenAPI 3.0 definition of the OGC API endpoints (conformance class oas30).

Every path answers ``GET`` and ``HEAD``. The items' parameters are shared components
(``#/components/parameters/limit``…): later GDAL releases read the page size they ask for
from the ``default`` and ``maximum`` of a ``limit`` parameter given by ``$ref``, on the
path of each collection's items, so each collection the caller may read has its own
items path too, with the properties it may be filtered on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from demine.store.reads.features import queryables
from demine.web.ogc import tiles
from demine.web.ogc.collections import Collection
from demine.web.ogc.parameters import DEFAULT_LIMIT, MAX_LIMIT
from demine.web.ogc.schema import property_schema

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
_ONE_FEATURE = {
    "200": {
        "description": "A feature",
        "content": {"application/geo+json": {"schema": {"type": "object"}}},
    },
    **_REFUSED,
}
_ITEM_PARAMETERS = ("bbox", "datetime", "limit", "offset", "properties", "sortby", "f")


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": False}  # fmt: skip


def item_parameters() -> list[dict[str, Any]]:
    """The query parameters of an items request (besides ``f`` and the properties)."""
    return [
        _parameter("bbox", "min_lon,min_lat,max_lon,max_lat (CRS84)",
                   {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}),
        _parameter("datetime", "RFC 3339 instant or interval (a/b, ../b, a/..)",
                   {"type": "string"}),
        _parameter("limit", f"Features per page; a larger value is taken as {MAX_LIMIT:,}",
                   {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT}),
        _parameter("offset", "Features to skip", {"type": "integer", "minimum": 0}),
        _parameter("properties", "Only these properties (names separated by commas)",
                   {"type": "array", "items": {"type": "string"}}),
        _parameter("sortby", "Queryable properties to sort by, '-' before a name: descending",
                   {"type": "array", "items": {"type": "string"}}),
    ]  # fmt: skip


def format_parameter() -> dict[str, Any]:
    """``f``: the answer as JSON (GeoJSON for features) or as a page for people; any
    other value is refused (400)."""
    return _parameter(
        "f", "json (GeoJSON for features) or html", {"type": "string", "enum": ["json", "html"]}
    )


def _components() -> dict[str, Any]:
    parameters = {parameter["name"]: parameter for parameter in item_parameters()}
    parameters["f"] = format_parameter()
    parameters["collectionId"] = {
        "name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}
    }  # fmt: skip
    parameters["featureId"] = {
        "name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}
    }  # fmt: skip
    return {"parameters": parameters}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _operation(summary: str, parameters: list[Any], responses: dict[str, Any]) -> dict[str, Any]:
    """``GET`` and ``HEAD`` (the same headers, no body) of one path."""
    get = {"summary": summary, "parameters": parameters, "responses": responses}
    head = {"summary": f"{summary} (headers only)", "parameters": parameters,
            "responses": {status: {"description": answer["description"]}
                          for status, answer in responses.items()}}  # fmt: skip
    return {"get": get, "head": head}


def _json(description: str, media_type: str = "application/json") -> dict[str, Any]:
    return {"200": {"description": description, "content": {media_type: {}}}}


def _items(parameters: list[Any]) -> dict[str, Any]:
    responses = {"200": {"description": "Features", "content": {
        "application/geo+json": {"schema": _FEATURE_COLLECTION}}}, **_REFUSED}  # fmt: skip
    return _operation("Features", parameters, responses)


def _collection_items(collection: Collection) -> dict[str, Any]:
    """The items path of one collection: the shared parameters and its queryables."""
    filters = [
        _parameter(name, f"Only features whose {name} equals this", property_schema(column))
        for name, column in queryables(collection.kind).items()
    ]
    return _items([*map(_ref, _ITEM_PARAMETERS), *filters])


def openapi_document(base: str, visible: Mapping[str, Collection]) -> dict[str, Any]:
    """The API definition, with every parameter the item queries accept."""
    collection_id = _ref("collectionId")
    schema = _json("A JSON Schema", "application/schema+json")
    paths: dict[str, Any] = {
        "/": _operation("Landing page", [_ref("f")], _json("OK")),
        "/conformance": _operation("Conformance classes", [_ref("f")], _json("OK")),
        "/collections": _operation("Collections", [_ref("f")], _json("OK")),
        "/collections/{collectionId}": _operation(
            "A collection", [collection_id, _ref("f")], {**_json("OK"), **_REFUSED}
        ),
        "/collections/{collectionId}/schema": _operation(
            "The schema of a collection's features", [collection_id], {**schema, **_REFUSED}
        ),
        "/collections/{collectionId}/queryables": _operation(
            "The properties a collection's features may be filtered on and sorted by",
            [collection_id],
            {**schema, **_REFUSED},
        ),
        "/collections/{collectionId}/items": _items([collection_id, *map(_ref, _ITEM_PARAMETERS)]),
        "/collections/{collectionId}/items/{featureId}": _operation(
            "One feature", [collection_id, _ref("featureId"), _ref("f")], _ONE_FEATURE
        ),
    }
    for collection in visible.values():
        paths[f"/collections/{collection.id}/items"] = _collection_items(collection)
    paths.update(tiles.openapi_paths())
    return {
        "openapi": "3.0.3",
        "info": {"title": "Demine OGC API – Features", "version": "1.0.0"},
        "servers": [{"url": base}],
        "paths": paths,
        "components": _components(),
    }
