"""Metres from longitudes and latitudes: each record is measured in its own UTM zone.

A record is a few hundred metres across, so the UTM zone of its centroid measures its
area and the distances around it to well under a metre per kilometre, anywhere on
Earth. Transformers are cached: there are only a handful of zones in any programme.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
#: A degree of latitude is at least this long (at the equator, 110 574 m); used only to
#: widen search boxes, so erring short keeps them wide enough.
METRES_PER_DEGREE = 110_000.0


def utm_epsg(lon: float, lat: float) -> int:
    """The EPSG code of the WGS 84 UTM zone holding ``lon``, ``lat`` (e.g. 32638)."""
    zone = min(60, max(1, math.floor((lon + 180.0) / 6.0) + 1))
    return (32600 if lat >= 0 else 32700) + zone


@cache
def _to_utm(epsg: int) -> Transformer:
    return Transformer.from_crs(WGS84, f"EPSG:{epsg}", always_xy=True)


def project_xy(lon: np.ndarray, lat: np.ndarray, epsg: int) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes as eastings and northings (metres) in zone ``epsg``."""
    x, y = _to_utm(epsg).transform(lon, lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def project(geometry: BaseGeometry, epsg: int) -> BaseGeometry:
    """A lon/lat geometry in zone ``epsg``'s metres."""
    transformer = _to_utm(epsg)

    def convert(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, convert)


def search_box(
    bounds: tuple[float, float, float, float], metres: float
) -> tuple[float, float, float, float]:
    """``bounds`` (lon/lat) widened by at least ``metres`` on every side."""
    min_x, min_y, max_x, max_y = bounds
    d_lat = metres / METRES_PER_DEGREE
    widest = min(89.0, max(abs(min_y), abs(max_y)) + d_lat)
    d_lon = metres / (METRES_PER_DEGREE * math.cos(math.radians(widest)))
    return (min_x - d_lon, min_y - d_lat, max_x + d_lon, max_y + d_lat)
