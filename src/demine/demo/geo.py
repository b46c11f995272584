"""Geometry helpers for the demo: metric areas, shapes drawn in metres, random points.

Shapes are drawn in UTM zone 38N (EPSG:32638, which covers the whole region) so that
sizes are in metres, and stored in WGS 84 longitude/latitude.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

UTM_38N = "EPSG:32638"
WGS84 = "EPSG:4326"


@cache
def _to_utm() -> Transformer:
    return Transformer.from_crs(WGS84, UTM_38N, always_xy=True)


@cache
def _to_lonlat() -> Transformer:
    return Transformer.from_crs(UTM_38N, WGS84, always_xy=True)


def lonlat_to_utm(lon: float, lat: float) -> tuple[float, float]:
    """UTM 38N easting and northing (metres) of a longitude/latitude."""
    x, y = _to_utm().transform(lon, lat)
    return float(x), float(y)


def area_m2(geometry: BaseGeometry) -> float:
    """The area of a lon/lat geometry in square metres, measured in UTM 38N."""
    projected = shapely.transform(geometry, _project_coords)
    return float(projected.area)


def _project_coords(coords: np.ndarray) -> np.ndarray:
    x, y = _to_utm().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _unproject_coords(coords: np.ndarray) -> np.ndarray:
    lon, lat = _to_lonlat().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def polygon_from_utm(corners: np.ndarray) -> Polygon:
    """A lon/lat polygon from corners given in UTM 38N metres (an ``(n, 2)`` array)."""
    return Polygon(_unproject_coords(np.asarray(corners, dtype=float)))


def quadrilateral(
    rng: np.random.Generator, centre_lon: float, centre_lat: float, area: float
) -> Polygon:
    """An irregular, convex, rotated quadrilateral of roughly ``area`` m² around a centre."""
    x0, y0 = lonlat_to_utm(centre_lon, centre_lat)
    aspect = rng.uniform(1.0, 3.0)
    width = float(np.sqrt(area * aspect))
    height = area / width
    # Corners of a rectangle, each nudged by up to 8% so the shape is irregular but,
    # with nudges this small, still convex.
    unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
    unit = unit + rng.uniform(-0.08, 0.08, size=(4, 2))
    local = unit * np.array([width, height])
    angle = rng.uniform(0.0, np.pi)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = local @ rotation.T + np.array([x0, y0])
    return polygon_from_utm(corners)


def square_around(centre_lon: float, centre_lat: float, side: float) -> Polygon:
    """An axis-aligned (in UTM) square of ``side`` metres centred on a point."""
    x0, y0 = lonlat_to_utm(centre_lon, centre_lat)
    half = side / 2.0
    corners = np.array(
        [
            [x0 - half, y0 - half],
            [x0 + half, y0 - half],
            [x0 + half, y0 + half],
            [x0 - half, y0 + half],
        ]
    )
    return polygon_from_utm(corners)


def random_points_in(
    rng: np.random.Generator, polygon: BaseGeometry, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` uniformly random (lon, lat) points strictly inside ``polygon``."""
    min_x, min_y, max_x, max_y = polygon.bounds
    shapely.prepare(polygon)
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    found = 0
    for _ in range(1000):
        if found >= count:
            return np.concatenate(lons)[:count], np.concatenate(lats)[:count]
        # Oversample: the polygon fills at least a third of its box for our shapes.
        batch = max(8, 3 * (count - found))
        x = rng.uniform(min_x, max_x, batch)
        y = rng.uniform(min_y, max_y, batch)
        inside = shapely.contains_xy(polygon, x, y)
        lons.append(x[inside])
        lats.append(y[inside])
        found += int(inside.sum())
    if found >= count:
        return np.concatenate(lons)[:count], np.concatenate(lats)[:count]
    raise ValueError("polygon too thin to sample points in")
