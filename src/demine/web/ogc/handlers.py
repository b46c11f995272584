"""OGC API – Features requests answered without any web framework.

Each handler takes plain values (the base URL, the parameters as given, the
collections the caller may see) and returns an :class:`OgcResponse`: status, media
type and body. The web layer only adapts requests and responses. Unknown or malformed
parameters (an ``f`` other than ``json``/``html`` too) are refused with 400, never
silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import shapely

from demine.domain.geojson import rfc7946
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads.features import extent, feature, feature_page
from demine.web.ogc import tiles
from demine.web.ogc.collections import Collection
from demine.web.ogc.geometry_text import geojson_texts
from demine.web.ogc.parameters import (
    DEFAULT_LIMIT,
    FORMATS,
    MAX_LIMIT,
    ParameterError,
    check_format,
    items_request,
    refuse_unknown,
)
from demine.web.ogc.responses import (
    GEOJSON,
    HTML,
    JSON,
    OPENAPI,
    SCHEMA_JSON,
    OgcResponse,
    RawJson,
    error,
)
from demine.web.ogc.schema import QUERYABLES_REL, SCHEMA_REL, feature_schema, queryables_schema

__all__ = ["GEOJSON", "HTML", "JSON", "OPENAPI", "OgcResponse", "Visible"]

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
]
_CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: Parameters of the other requests (landing page, collections, one feature…).
_FORMAT_ONLY = frozenset({"f"})
#: The collections a caller may see, by id.
Visible = Mapping[str, Collection]


def _refused(exc: ParameterError) -> OgcResponse:
    return error(400, "InvalidParameterValue", str(exc))


def checked(
    parameters: Mapping[str, str], formats: tuple[str, ...] = FORMATS
) -> OgcResponse | None:
    """A 400 when ``parameters`` hold anything but an ``f`` of ``formats`` (None: all
    is well)."""
    try:
        refuse_unknown(parameters, _FORMAT_ONLY)
        check_format(parameters, formats)
    except ParameterError as exc:
        return _refused(exc)
    return None


def landing(base: str, title: str) -> OgcResponse:
    return OgcResponse(
        200,
        JSON,
        {
            "title": title,
            "description": "Mine action register served as OGC API – Features.",
            "links": [
                {"href": f"{base}/", "rel": "self", "type": JSON, "title": "This document"},
                {"href": f"{base}/?f=html", "rel": "alternate", "type": HTML, "title": "HTML"},
                {"href": f"{base}/api", "rel": "service-desc", "type": OPENAPI,
                 "title": "The API definition"},
                {"href": f"{base}/conformance", "rel": "conformance", "type": JSON,
                 "title": "Conformance classes"},
                {"href": f"{base}/collections", "rel": "data", "type": JSON,
                 "title": "Feature collections"},
                *tiles.landing_links(base),
            ],
        },
    )  # fmt: skip


def conformance() -> OgcResponse:
    return OgcResponse(200, JSON, {"conformsTo": [*CONFORMANCE, *tiles.CONFORMANCE]})


def _collection_document(
    reader: RegisterReader, base: str, collection: Collection
) -> dict[str, Any]:
    url = f"{base}/collections/{collection.id}"
    document: dict[str, Any] = {
        "id": collection.id,
        "title": collection.title,
        "description": collection.kind.description,
        "itemType": "feature",
        "crs": [_CRS84],
        "links": [
            {"href": url, "rel": "self", "type": JSON, "title": collection.title},
            {"href": f"{url}?f=html", "rel": "alternate", "type": HTML, "title": "HTML"},
            {"href": f"{url}/items", "rel": "items", "type": GEOJSON, "title": "Features"},
            {"href": f"{url}/items?f=html", "rel": "items", "type": HTML,
             "title": "Features (HTML)"},
            {"href": f"{url}/schema", "rel": SCHEMA_REL, "type": SCHEMA_JSON,
             "title": "Schema of the features"},
            {"href": f"{url}/schema", "rel": "describedby", "type": SCHEMA_JSON,
             "title": "Schema of the features"},
            {"href": f"{url}/queryables", "rel": QUERYABLES_REL, "type": SCHEMA_JSON,
             "title": "Properties to filter and sort by"},
            *tiles.collection_links(url),
        ],
    }  # fmt: skip
    known = extent(reader, collection.layer)
    spans: dict[str, Any] = {}
    if known.bbox is not None:
        spans["spatial"] = {"bbox": [known.bbox], "crs": _CRS84}
    if collection.kind.dates is not None:
        # Open ends (null) while the collection holds no dated feature.
        spans["temporal"] = {
            "interval": [[_instant(known.start, "00:00:00"), _instant(known.end, "23:59:59")]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    if spans:
        document["extent"] = spans
    return document


def _instant(day: date | None, time: str) -> str | None:
    """An RFC 3339 instant of ``day`` (None: an open end)."""
    return f"{day.isoformat()}T{time}Z" if day is not None else None


def collections(reader: RegisterReader, base: str, visible: Visible) -> OgcResponse:
    return OgcResponse(
        200,
        JSON,
        {
            "links": [
                {"href": f"{base}/collections", "rel": "self", "type": JSON},
                {"href": f"{base}/collections?f=html", "rel": "alternate", "type": HTML},
            ],
            "collections": [_collection_document(reader, base, c) for c in visible.values()],
        },
    )


def _no_collection(collection_id: str) -> OgcResponse:
    return error(404, "NotFound", _("no collection '{id}'").format(id=collection_id))


def collection(
    reader: RegisterReader, base: str, collection_id: str, visible: Visible
) -> OgcResponse:
    if collection_id not in visible:
        return _no_collection(collection_id)
    return OgcResponse(200, JSON, _collection_document(reader, base, visible[collection_id]))


def schema(base: str, collection_id: str, visible: Visible) -> OgcResponse:
    """The JSON Schema of the collection's features (with the programme's fields)."""
    if collection_id not in visible:
        return _no_collection(collection_id)
    url = f"{base}/collections/{collection_id}/schema"
    return OgcResponse(200, SCHEMA_JSON, feature_schema(url, visible[collection_id]))


def queryables(base: str, collection_id: str, visible: Visible) -> OgcResponse:
    """The properties the collection's items may be filtered on and sorted by."""
    if collection_id not in visible:
        return _no_collection(collection_id)
    url = f"{base}/collections/{collection_id}/queryables"
    return OgcResponse(200, SCHEMA_JSON, queryables_schema(url, visible[collection_id]))


def _geojson_geometries(rows: Sequence[Mapping[str, Any]]) -> list[RawJson | None]:
    """The GeoJSON geometries of ``rows``: written before, or by GEOS all at once."""
    return [RawJson(text) if text is not None else None for text in geojson_texts(rows)]


def _feature(
    collection_id: str,
    row: Mapping[str, Any],
    base: str,
    geometry: RawJson | dict[str, Any] | None = None,
    shown: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    properties = {k: v for k, v in row.items() if k not in ("id", "geometry")}
    if shown is not None:
        properties = {name: properties[name] for name in shown}
    if geometry is None and row["geometry"] is not None:
        geometry = shapely.geometry.mapping(rfc7946(row["geometry"]))
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": geometry,
        "properties": properties,
        "links": [
            {"href": f"{base}/collections/{collection_id}/items/{row['id']}", "rel": "self",
             "type": GEOJSON},
        ],
    }  # fmt: skip


def _page_links(
    url: str, parameters: Mapping[str, str], limit: int, offset: int, returned: int, total: int
) -> list[dict[str, Any]]:
    """self, alternate, next and prev links of a page (each in GeoJSON and HTML).

    The GeoJSON ``next`` page holds at least :data:`DEFAULT_LIMIT` features: a client
    that follows ``next`` links wants the rest of the features, and GDAL 3.6 asks
    for 10 at a time whatever the server, which takes thousands of requests to read a
    layer; the standard leaves the ``next`` link to the server, and each page still
    holds no more than its own ``limit`` asks. Pages for people keep their size.
    """
    kept = {k: v for k, v in parameters.items() if k not in ("offset", "f", "limit")}

    def link(rel: str, start: int, size: int, kind: str) -> dict[str, Any]:
        query = {**kept, "limit": size, "offset": start}
        if kind == HTML:
            query["f"] = "html"
        return {"href": f"{url}?{urlencode(query)}", "rel": rel, "type": kind}

    links = [link("self", offset, limit, GEOJSON), link("alternate", offset, limit, HTML)]
    following = offset + returned
    if returned and following < total:
        links.append(link("next", following, min(max(limit, DEFAULT_LIMIT), MAX_LIMIT), GEOJSON))
        links.append(link("next", following, limit, HTML))
    if offset > 0:
        links.append(link("prev", max(0, offset - limit), limit, GEOJSON))
        links.append(link("prev", max(0, offset - limit), limit, HTML))
    return links


def items(
    reader: RegisterReader,
    base: str,
    collection_id: str,
    visible: Visible,
    parameters: Mapping[str, str],
) -> OgcResponse:
    """A page of features: filtered by bbox, datetime and queryable properties, sorted,
    with only the asked properties; ``limit`` capped at :data:`MAX_LIMIT`.

    A filter the collection cannot apply (``datetime`` on one without dates, a property
    it has not or cannot filter on) is refused with 400, like an unknown parameter.
    """
    if collection_id not in visible:
        return _no_collection(collection_id)
    chosen = visible[collection_id]
    try:
        request = items_request(chosen.kind, parameters)
    except ParameterError as exc:
        return _refused(exc)
    query = request.query
    try:
        page = feature_page(reader, chosen.layer, query)
    except InvalidRequestError as exc:
        return error(400, "InvalidParameterValue", exc.message)
    url = f"{base}/collections/{collection_id}/items"
    features = [
        _feature(collection_id, row, base, geometry, request.properties)
        for row, geometry in zip(page.rows, _geojson_geometries(page.rows), strict=True)
    ]
    return OgcResponse(
        200,
        GEOJSON,
        {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": page.total,
            "numberReturned": len(page.rows),
            "timeStamp": datetime.now().astimezone().isoformat(timespec="seconds"),
            "links": _page_links(
                url, parameters, query.limit, query.offset, len(page.rows), page.total
            ),
        },
    )


def item(
    reader: RegisterReader,
    base: str,
    collection_id: str,
    item_id: str,
    visible: Visible,
    parameters: Mapping[str, str],
) -> OgcResponse:
    if collection_id not in visible:
        return _no_collection(collection_id)
    refused = checked(parameters)
    if refused is not None:
        return refused
    missing = error(
        404,
        "NotFound",
        _("no feature '{item}' in '{id}'").format(item=item_id, id=collection_id),
    )
    try:
        key = int(item_id)
    except ValueError:
        return missing
    row = feature(reader, visible[collection_id].layer, key)
    if row is None:
        return missing
    document = _feature(collection_id, row, base)
    document["links"].append(
        {"href": f"{base}/collections/{collection_id}", "rel": "collection", "type": JSON}
    )
    return OgcResponse(200, GEOJSON, document)
