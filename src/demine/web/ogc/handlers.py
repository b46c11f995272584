"""OGC API – Features requests answered without any web framework.

Each handler takes plain values (the base URL, the parameters as given, the
collections the caller may see) and returns an :class:`OgcResponse`: status, media
type and body. The web layer only adapts requests and responses. Unknown or malformed
parameters are refused with 400, never silently ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import numpy as np
import shapely

from demine.domain.kinds import Kind
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads.features import extent, feature, feature_page
from demine.store.spatial import BBox
from demine.web.ogc.collections import DateWindow
from demine.web.ogc.schema import SCHEMA_JSON, SCHEMA_REL, feature_schema

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
#: Parameters of an items request; any other is refused, never ignored.
ITEM_PARAMETERS = {"bbox", "datetime", "limit", "offset", "f"}
#: Parameters of a one-feature request.
FEATURE_PARAMETERS = {"f"}
#: The collections a caller may see: their kinds by collection id.
Visible = Mapping[str, Kind]


@dataclass
class OgcResponse:
    status: int
    media_type: str
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def json_bytes(self) -> bytes:
        body = self.body
        if isinstance(body, dict) and body.get("type") == "FeatureCollection":
            rest = _dumps({k: v for k, v in body.items() if k != "features"})
            features = ", ".join(_feature_json(feature) for feature in body["features"])
            return f'{rest[:-1]}, "features": [{features}]}}'.encode()
        if isinstance(body, dict) and body.get("type") == "Feature":
            return _feature_json(body).encode()
        return _dumps(body).encode()


@dataclass(frozen=True)
class RawJson:
    """A value already written as JSON: geometries, written by GEOS all at once.

    ``OgcResponse.json_bytes`` copies the text as it is; any other encoder reads it
    back through :func:`_json_default`.
    """

    text: str


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _feature_json(feature: dict[str, Any]) -> str:
    geometry = feature.get("geometry")
    if not isinstance(geometry, RawJson):
        return _dumps(feature)
    rest = _dumps({k: v for k, v in feature.items() if k != "geometry"})
    return f'{rest[:-1]}, "geometry": {geometry.text}}}'


def _json_default(value: Any) -> Any:
    if isinstance(value, RawJson):
        return json.loads(value.text)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _error(status: int, code: str, description: str) -> OgcResponse:
    return OgcResponse(status, JSON, {"code": code, "description": description})


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
            ],
        },
    )  # fmt: skip


def conformance() -> OgcResponse:
    return OgcResponse(200, JSON, {"conformsTo": CONFORMANCE})


def _collection_document(reader: RegisterReader, base: str, kind: Kind) -> dict[str, Any]:
    url = f"{base}/collections/{kind.collection}"
    document: dict[str, Any] = {
        "id": kind.collection,
        "title": kind.title,
        "description": kind.description,
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "links": [
            {"href": url, "rel": "self", "type": JSON, "title": kind.title},
            {"href": f"{url}/items", "rel": "items", "type": GEOJSON, "title": "Features"},
            {
                "href": f"{url}/items?f=html",
                "rel": "items",
                "type": HTML,
                "title": "Features (HTML)",
            },
            {"href": f"{url}/schema", "rel": SCHEMA_REL, "type": SCHEMA_JSON,
             "title": "Schema of the features"},
        ],
    }  # fmt: skip
    known = extent(reader, kind)
    if known.bbox is not None:
        document["extent"] = {
            "spatial": {"bbox": [known.bbox], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
        }
        if known.start is not None or known.end is not None:
            document["extent"]["temporal"] = {
                "interval": [[_instant(known.start, "00:00:00"), _instant(known.end, "23:59:59")]],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            }
    return document


def _instant(day: date | None, time: str) -> str | None:
    """An RFC 3339 instant of ``day`` (None: an open end)."""
    return f"{day.isoformat()}T{time}Z" if day is not None else None


def collections(reader: RegisterReader, base: str, visible: Visible) -> OgcResponse:
    return OgcResponse(
        200,
        JSON,
        {
            "links": [{"href": f"{base}/collections", "rel": "self", "type": JSON}],
            "collections": [_collection_document(reader, base, kind) for kind in visible.values()],
        },
    )


def _no_collection(collection_id: str) -> OgcResponse:
    return _error(404, "NotFound", _("no collection '{id}'").format(id=collection_id))


def _unknown(parameters: Mapping[str, str], accepted: set[str]) -> OgcResponse | None:
    """A 400 naming the parameters not in ``accepted``, or None when there are none."""
    unknown = sorted(set(parameters) - accepted)
    if not unknown:
        return None
    return _error(
        400,
        "InvalidParameterValue",
        _("unknown parameter(s): {names}").format(names=", ".join(unknown)),
    )


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


def parse_datetime(text: str) -> DateWindow:
    """An RFC 3339 instant or interval (``a/b``, ``../b``, ``a/..``) as a date window."""

    def day(part: str) -> date | None:
        part = part.strip()
        if part in ("", ".."):
            return None
        try:
            if "T" in part:
                return datetime.fromisoformat(part.replace("Z", "+00:00")).date()
            return date.fromisoformat(part)
        except ValueError:
            raise ValueError(
                _("'{part}' is not an RFC 3339 date or date-time").format(part=part)
            ) from None

    if "/" in text:
        first, last = text.split("/", 1)
        window = DateWindow(day(first), day(last))
        if window.start and window.end and window.end < window.start:
            raise ValueError(_("datetime interval ends before it starts"))
        return window
    instant = day(text)
    if instant is None:
        raise ValueError(_("datetime needs a date or an interval"))
    return DateWindow(instant, instant)


def _geojson_geometries(rows: Sequence[Mapping[str, Any]]) -> list[RawJson | None]:
    """The GeoJSON geometries of ``rows``, written by GEOS all at once (faster than one by one)."""
    written = shapely.to_geojson(np.array([row["geometry"] for row in rows], dtype=object))
    return [RawJson(str(text)) if text is not None else None for text in written]


def _feature(
    collection_id: str,
    row: Mapping[str, Any],
    base: str,
    geometry: RawJson | dict[str, Any] | None = None,
) -> dict[str, Any]:
    properties = {k: v for k, v in row.items() if k not in ("id", "geometry")}
    if geometry is None and row["geometry"] is not None:
        geometry = shapely.geometry.mapping(row["geometry"])
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


def items(
    reader: RegisterReader,
    base: str,
    collection_id: str,
    visible: Visible,
    parameters: Mapping[str, str],
) -> OgcResponse:
    """A page of features, honouring bbox, datetime, limit and offset.

    A filter the collection cannot apply (``datetime`` on one without dates) is
    refused with 400, like an unknown parameter.
    """
    if collection_id not in visible:
        return _no_collection(collection_id)
    chosen = visible[collection_id]
    refused = _unknown(parameters, ITEM_PARAMETERS)
    if refused is not None:
        return refused
    if "datetime" in parameters and chosen.dates is None:
        return _error(
            400,
            "InvalidParameterValue",
            _("collection '{id}' has no temporal property; datetime cannot be applied").format(
                id=collection_id
            ),
        )
    try:
        limit = int(parameters.get("limit", DEFAULT_LIMIT))
        offset = int(parameters.get("offset", 0))
        if not 1 <= limit <= MAX_LIMIT or offset < 0:
            raise ValueError(_("limit must be 1..{max} and offset ≥ 0").format(max=MAX_LIMIT))
        bbox = BBox.parse(parameters["bbox"]) if "bbox" in parameters else None
        window = parse_datetime(parameters["datetime"]) if "datetime" in parameters else None
    except ValueError as exc:
        return _error(400, "InvalidParameterValue", str(exc))
    try:
        page = feature_page(
            reader,
            chosen,
            bbox=bbox,
            start=window.start if window else None,
            end=window.end if window else None,
            limit=limit,
            offset=offset,
        )
    except InvalidRequestError as exc:
        return _error(400, "InvalidParameterValue", exc.message)
    url = f"{base}/collections/{collection_id}/items"
    kept = {k: v for k, v in parameters.items() if k not in ("offset", "f")}
    links = [
        {"href": f"{url}?{urlencode({**kept, 'offset': offset})}", "rel": "self", "type": GEOJSON},
        {"href": f"{url}?{urlencode({**kept, 'offset': offset, 'f': 'html'})}", "rel": "alternate",
         "type": HTML},
    ]  # fmt: skip
    if offset + limit < page.total:
        links.append(
            {"href": f"{url}?{urlencode({**kept, 'offset': offset + limit})}", "rel": "next",
             "type": GEOJSON}
        )  # fmt: skip
    if offset > 0:
        links.append(
            {"href": f"{url}?{urlencode({**kept, 'offset': max(0, offset - limit)})}",
             "rel": "prev", "type": GEOJSON}
        )  # fmt: skip
    return OgcResponse(
        200,
        GEOJSON,
        {
            "type": "FeatureCollection",
            "features": [
                _feature(collection_id, row, base, geometry)
                for row, geometry in zip(page.rows, _geojson_geometries(page.rows), strict=True)
            ],
            "numberMatched": page.total,
            "numberReturned": len(page.rows),
            "timeStamp": datetime.now().astimezone().isoformat(timespec="seconds"),
            "links": links,
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
    refused = _unknown(parameters, FEATURE_PARAMETERS)
    if refused is not None:
        return refused
    missing = _error(
        404,
        "NotFound",
        _("no feature '{item}' in '{id}'").format(item=item_id, id=collection_id),
    )
    try:
        key = int(item_id)
    except ValueError:
        return missing
    row = feature(reader, visible[collection_id], key)
    if row is None:
        return missing
    document = _feature(collection_id, row, base)
    document["links"].append(
        {"href": f"{base}/collections/{collection_id}", "rel": "collection", "type": JSON}
    )
    return OgcResponse(200, GEOJSON, document)
