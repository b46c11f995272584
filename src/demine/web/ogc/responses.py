"""OGC API answers as plain values (status, media type, body), and their JSON.

Independent of any web framework: :mod:`demine.web.routes_ogc` turns them into HTTP
responses. Feature geometries are written by GEOS all at once (:class:`RawJson`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
#: The media type of a JSON Schema document.
SCHEMA_JSON = "application/schema+json"


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
    back through :func:`json_default`.
    """

    text: str


def error(status: int, code: str, description: str) -> OgcResponse:
    """An OGC API exception: ``code`` and ``description``."""
    return OgcResponse(status, JSON, {"code": code, "description": description})


def _dumps(value: Any) -> str:
    return json.dumps(value, default=json_default, ensure_ascii=False)


def _feature_json(feature: dict[str, Any]) -> str:
    geometry = feature.get("geometry")
    if not isinstance(geometry, RawJson):
        return _dumps(feature)
    rest = _dumps({k: v for k, v in feature.items() if k != "geometry"})
    return f'{rest[:-1]}, "geometry": {geometry.text}}}'


def json_default(value: Any) -> Any:
    """How JSON writes what it does not know: geometries already written, ISO dates."""
    if isinstance(value, RawJson):
        return json.loads(value.text)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
