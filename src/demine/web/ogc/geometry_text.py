"""Feature geometries written as GeoJSON once per stored geometry, then reused.

Orienting, rounding (:func:`demine.domain.geojson.rfc7946`) and writing a polygon costs
far more than reading it; the same features are asked for again and again (pages of
overlapping boxes, a map panned back). The text written for a geometry depends only on
its stored WKB and whether its layer promotes single parts to Multi*, so that pair is
the key: an edited geometry is a new key, and the text is byte for byte what writing it
afresh gives. Bounded in characters; least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely

from demine.domain.geojson import rfc7946

#: Characters of GeoJSON kept per process.
KEPT_CHARACTERS = 64 * 1024 * 1024

Key = tuple[bool, bytes]


class GeometryTexts:
    """GeoJSON texts by :data:`Key`, least recently used dropped past ``limit``."""

    def __init__(self, limit: int = KEPT_CHARACTERS) -> None:
        self.limit = limit
        self._texts: OrderedDict[Key, str] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> str | None:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
            return text

    def put(self, key: Key, text: str) -> None:
        with self._lock:
            if key in self._texts or len(text) > self.limit:
                return
            self._texts[key] = text
            self._size += len(text)
            while self._size > self.limit:
                _, dropped = self._texts.popitem(last=False)
                self._size -= len(dropped)


_TEXTS = GeometryTexts()


def geojson_texts(
    features: Sequence[Mapping[str, Any]], kept: GeometryTexts = _TEXTS
) -> list[str | None]:
    """The GeoJSON text of each feature's ``geometry`` (None for none): from ``kept``
    when its stored form was written before, else written by GEOS all at once."""
    texts: list[str | None] = [None] * len(features)
    missing: list[int] = []
    for index, feature in enumerate(features):
        if feature["geometry"] is None:
            continue
        key: Key | None = getattr(feature, "stored_geometry", None)
        text = kept.get(key) if key is not None else None
        if text is None:
            missing.append(index)
        else:
            texts[index] = text
    if missing:
        shapes = np.array([features[i]["geometry"] for i in missing], dtype=object)
        for index, written in zip(missing, shapely.to_geojson(rfc7946(shapes)), strict=True):
            text = str(written)
            texts[index] = text
            key = getattr(features[index], "stored_geometry", None)
            if key is not None:
                kept.put(key, text)
    return texts
