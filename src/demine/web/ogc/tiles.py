"""OGC API – Tiles (Part 1) requests answered without any web framework.

Vector tiles (Mapbox Vector Tile) of every collection the caller may read, in the
WebMercatorQuad tile matrix set only: the set's description, each collection's list of
tilesets and its one tileset, and the tiles. Who may read a collection's tiles is who
may read its features (:func:`demine.web.ogc.collections.collections_for`): a collection
the caller may not read is answered 404, as its items are. A tile outside the matrix
set is 404, a tile without any feature 204 (No Content, as the standard allows: GDAL,
QGIS, MapLibre and Leaflet.VectorGrid draw nothing there). Every tile carries an
``ETag`` (the hash of its bytes) and is answered 304 when the client already holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from demine.domain import tile_matrix
from demine.domain.tile_matrix import Tile, TileError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads.tiles import vector_tile
from demine.web.ogc.collections import Collection
from demine.web.ogc.parameters import ParameterError, check_format, refuse_unknown
from demine.web.ogc.responses import JSON, OgcResponse, error

MVT = "application/vnd.mapbox-vector-tile"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
]
TILESETS_REL = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEME_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
TILE_TEMPLATE = "{tileMatrix}/{tileRow}/{tileCol}"
#: Tiles may be kept, but asked again (revalidated with their ETag) before use: an
#: approval changes them, and they are for their caller only.
CACHE_CONTROL = "private, no-cache"
_GEOMETRY_TYPES = {"Point": "points", "LineString": "lines", "Polygon": "polygons"}
_NONE: frozenset[str] = frozenset()
_FORMAT_ONLY = frozenset({"f"})


def collection_links(url: str) -> list[dict[str, Any]]:
    """The links from a collection's document to its vector tilesets."""
    return [{"href": f"{url}/tiles", "rel": TILESETS_REL, "type": JSON,
             "title": "Vector tilesets"}]  # fmt: skip


def landing_links(base: str) -> list[dict[str, Any]]:
    """The landing page's link to the tile matrix sets."""
    return [{"href": f"{base}/tileMatrixSets", "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
             "type": JSON, "title": "Tile matrix sets"}]  # fmt: skip


def _refused_parameters(
    parameters: Mapping[str, str], allowed: frozenset[str]
) -> OgcResponse | None:
    """A 400 for a parameter not ``allowed`` or an ``f`` other than ``json``."""
    try:
        refuse_unknown(parameters, allowed)
        check_format(parameters, ("json",))
    except ParameterError as exc:
        return error(400, "InvalidParameterValue", str(exc))
    return None


def _set_summary(base: str) -> dict[str, Any]:
    url = f"{base}/tileMatrixSets/{tile_matrix.ID}"
    return {
        "id": tile_matrix.ID,
        "title": "Google Maps Compatible for the World",
        "uri": tile_matrix.URI,
        "crs": tile_matrix.CRS,
        "links": [{"href": url, "rel": "self", "type": JSON, "title": tile_matrix.ID}],
    }


def tile_matrix_sets(base: str, parameters: Mapping[str, str]) -> OgcResponse:
    """The tile matrix sets served (WebMercatorQuad)."""
    refused = _refused_parameters(parameters, _FORMAT_ONLY)
    if refused is not None:
        return refused
    return OgcResponse(200, JSON, {"tileMatrixSets": [_set_summary(base)]})


def tile_matrix_set(matrix_set: str, parameters: Mapping[str, str]) -> OgcResponse:
    """The description of one tile matrix set."""
    refused = _refused_parameters(parameters, _FORMAT_ONLY)
    if refused is not None:
        return refused
    if matrix_set != tile_matrix.ID:
        return _no_matrix_set(matrix_set)
    return OgcResponse(200, JSON, tile_matrix.tile_matrix_set())


def _no_matrix_set(matrix_set: str) -> OgcResponse:
    return error(404, "NotFound", _("no tile matrix set '{id}'").format(id=matrix_set))


def _no_collection(collection_id: str) -> OgcResponse:
    return error(404, "NotFound", _("no collection '{id}'").format(id=collection_id))


def _tileset_summary(base: str, collection: Collection) -> dict[str, Any]:
    url = f"{base}/collections/{collection.id}/tiles/{tile_matrix.ID}"
    return {
        "title": collection.title,
        "dataType": "vector",
        "crs": tile_matrix.CRS,
        "tileMatrixSetURI": tile_matrix.URI,
        "links": [
            {"href": url, "rel": "self", "type": JSON, "title": collection.title},
            {"href": f"{base}/tileMatrixSets/{tile_matrix.ID}", "rel": TILING_SCHEME_REL,
             "type": JSON, "title": tile_matrix.ID},
        ],
    }  # fmt: skip


def _refused(
    parameters: Mapping[str, str],
    allowed: frozenset[str],
    collection_id: str,
    visible: Mapping[str, Collection],
    matrix_set: str | None = None,
) -> OgcResponse | None:
    """The refusal of a request about a collection's tiles: an unknown or malformed
    parameter (400), a collection the caller may not read or that does not exist, or a
    tile matrix set other than ours (404); None when the request may go on."""
    refused = _refused_parameters(parameters, allowed)
    if refused is not None:
        return refused
    if collection_id not in visible:
        return _no_collection(collection_id)
    if matrix_set is not None and matrix_set != tile_matrix.ID:
        return _no_matrix_set(matrix_set)
    return None


def tilesets(
    base: str, collection_id: str, visible: Mapping[str, Collection], parameters: Mapping[str, str]
) -> OgcResponse:
    """The vector tilesets of a collection (one: WebMercatorQuad)."""
    refused = _refused(parameters, _FORMAT_ONLY, collection_id, visible)
    if refused is not None:
        return refused
    url = f"{base}/collections/{collection_id}/tiles"
    return OgcResponse(
        200,
        JSON,
        {
            "links": [{"href": url, "rel": "self", "type": JSON}],
            "tilesets": [_tileset_summary(base, visible[collection_id])],
        },
    )


def tileset(
    base: str,
    collection_id: str,
    matrix_set: str,
    visible: Mapping[str, Collection],
    parameters: Mapping[str, str],
) -> OgcResponse:
    """A collection's tileset: its tiles' template link and the one layer they hold."""
    refused = _refused(parameters, _FORMAT_ONLY, collection_id, visible, matrix_set)
    if refused is not None:
        return refused
    collection = visible[collection_id]
    single = (collection.layer.geometry_type or "").removeprefix("Multi")
    document = _tileset_summary(base, collection)
    url = f"{base}/collections/{collection_id}/tiles/{tile_matrix.ID}"
    document["links"] += [
        {"href": f"{url}/{TILE_TEMPLATE}", "rel": "item", "type": MVT, "templated": True,
         "title": "Mapbox Vector Tiles"},
        {"href": f"{base}/collections/{collection_id}", "rel": "collection", "type": JSON,
         "title": collection.title},
    ]  # fmt: skip
    document["layers"] = [
        {
            "id": collection_id,
            "title": collection.title,
            "dataType": "vector",
            "geometryType": _GEOMETRY_TYPES[single],
            "minTileMatrix": "0",
            "maxTileMatrix": str(tile_matrix.MAX_ZOOM),
        }
    ]
    return OgcResponse(200, JSON, document)


def etag(content: bytes) -> str:
    """The tile's entity tag: the hash of its bytes (any change to a feature in it
    changes it)."""
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def tile(
    reader: RegisterReader,
    collection_id: str,
    matrix_set: str,
    position: tuple[str, str, str],
    visible: Mapping[str, Collection],
    parameters: Mapping[str, str],
    if_none_match: str | None = None,
) -> OgcResponse:
    """One vector tile of a collection: 200 with the tile, 204 when it holds nothing,
    304 when the client's ETag is the tile's, 404 outside the set or the caller's
    collections."""
    refused = _refused(parameters, _NONE, collection_id, visible, matrix_set)
    if refused is not None:
        return refused
    try:
        zoom, row, col = (int(part) for part in position)
        wanted = Tile.of(zoom, row, col)
    except (ValueError, TileError):
        return error(404, "NotFound", _("no tile {tile} in {id}").format(
            tile="/".join(position), id=tile_matrix.ID))  # fmt: skip
    content = vector_tile(reader, visible[collection_id].layer, collection_id, wanted)
    return sent(content, if_none_match)


def sent(content: bytes, if_none_match: str | None = None) -> OgcResponse:
    """The answer for a tile whose bytes are ``content``: 204 when it holds nothing, 304
    when the client's ETag is the tile's, else 200 with the tile."""
    if not content:
        return OgcResponse(204, MVT, b"", {"Cache-Control": CACHE_CONTROL})
    tag = etag(content)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if if_none_match is not None and tag in (t.strip() for t in if_none_match.split(",")):
        return OgcResponse(304, MVT, b"", headers)
    return OgcResponse(200, MVT, content, headers)


def _path_parameter(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string"}}  # fmt: skip


def _get(
    summary: str, parameters: list[dict[str, Any]], responses: dict[str, Any]
) -> dict[str, Any]:
    """``GET`` and ``HEAD`` (the same headers, no body) of one path."""
    head = {status: {"description": answer["description"]} for status, answer in responses.items()}
    return {
        "get": {"summary": summary, "parameters": parameters, "responses": responses},
        "head": {"summary": f"{summary} (headers only)", "parameters": parameters,
                 "responses": head},
    }  # fmt: skip


def openapi_paths() -> dict[str, Any]:
    """The tiles' paths in the OpenAPI definition of the OGC API (conformance class oas30)."""
    json_only = {"$ref": "#/components/parameters/f"}
    collection = {"$ref": "#/components/parameters/collectionId"}
    matrix_set = _path_parameter("tileMatrixSetId", f"The tile matrix set ({tile_matrix.ID})")
    refused = {"400": {"description": "A parameter is unknown or malformed"},
               "404": {"description": "No such collection, tile matrix set or tile"}}  # fmt: skip
    document = {"200": {"description": "OK", "content": {JSON: {}}}, **refused}
    position = [
        _path_parameter("tileMatrix", "The zoom level (0..24)"),
        _path_parameter("tileRow", "The row, from the top"),
        _path_parameter("tileCol", "The column, from the left"),
    ]
    tile_answers = {
        "200": {"description": "A vector tile", "content": {MVT: {}}},
        "204": {"description": "The tile holds no feature"},
        "304": {"description": "The tile is the one the client holds (ETag)"},
        **refused,
    }
    tiles_url = "/collections/{collectionId}/tiles"
    return {
        "/tileMatrixSets": _get("Tile matrix sets", [json_only], document),
        "/tileMatrixSets/{tileMatrixSetId}": _get(
            "A tile matrix set", [matrix_set, json_only], document
        ),
        tiles_url: _get("The vector tilesets of a collection", [collection, json_only], document),
        tiles_url + "/{tileMatrixSetId}": _get(
            "A vector tileset of a collection", [collection, matrix_set, json_only], document
        ),
        tiles_url + "/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": _get(
            "A vector tile of a collection", [collection, matrix_set, *position], tile_answers
        ),
    }
