"""The drawing frame of a demo minefield record: a rotated rectangle laid out in metres.

A frame has an origin and a bearing in UTM zone 38N; ``u`` runs along the minefield
(0 to ``length``) and ``v`` across it (−``width``/2 to ``width``/2). Declared rows run
along ``u``; strips of worked land cut across it, so each strip holds a stretch of every
row. Shapes are returned in longitude/latitude, like every stored geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from demine.demo.geo import UTM_38N, WGS84, lonlat_to_utm

#: Rows keep this far (metres) from the ends of the rectangle.
ROW_MARGIN = 10.0


@cache
def _to_lonlat() -> Transformer:
    return Transformer.from_crs(UTM_38N, WGS84, always_xy=True)


@dataclass(frozen=True)
class Frame:
    """A rectangle of ``length`` × ``width`` metres at ``origin``, turned by ``angle``."""

    x0: float
    y0: float
    angle: float
    length: float
    width: float

    @classmethod
    def at(cls, lon: float, lat: float, angle: float, length: float, width: float) -> Frame:
        """A frame whose rectangle is centred on ``lon``, ``lat``."""
        x, y = lonlat_to_utm(lon, lat)
        # The origin is the middle of the rectangle's short side at u = 0.
        return cls(
            x - np.cos(angle) * length / 2, y - np.sin(angle) * length / 2, angle, length, width
        )

    def lonlat(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Longitudes and latitudes of frame coordinates."""
        c, s = np.cos(self.angle), np.sin(self.angle)
        x = self.x0 + np.asarray(u) * c - np.asarray(v) * s
        y = self.y0 + np.asarray(u) * s + np.asarray(v) * c
        lon, lat = _to_lonlat().transform(x, y)
        return np.asarray(lon), np.asarray(lat)

    def box(self, u0: float, u1: float, v0: float, v1: float) -> Polygon:
        """The rectangle ``u0``–``u1`` × ``v0``–``v1`` (frame metres) in lon/lat."""
        lon, lat = self.lonlat(np.array([u0, u1, u1, u0]), np.array([v0, v0, v1, v1]))
        return Polygon(np.column_stack([lon, lat]))

    def coverage(self) -> Polygon:
        half = self.width / 2
        return self.box(0.0, self.length, -half, half)

    def surroundings(self, margin: float) -> Polygon:
        """The rectangle grown by ``margin`` metres on every side."""
        half = self.width / 2 + margin
        return self.box(-margin, self.length + margin, -half, half)

    def row(self, v: float) -> LineString:
        lon, lat = self.lonlat(np.array([ROW_MARGIN, self.length - ROW_MARGIN]), np.array([v, v]))
        return LineString(np.column_stack([lon, lat]))

    def point(self, u: float, v: float) -> Point:
        lon, lat = self.lonlat(np.array([u]), np.array([v]))
        return Point(float(lon[0]), float(lat[0]))

    def row_offsets(self, count: int) -> list[float]:
        """``count`` rows evenly across the rectangle, 40 m or more from its sides."""
        half = self.width / 2 - 40.0
        return [float(v) for v in np.linspace(-half, half, count)] if count > 1 else [0.0]

    def worked_share_of_rows(self, u_end: float) -> float:
        """The share of each row's length lying in the strip from u = 0 to ``u_end``."""
        span = self.length - 2 * ROW_MARGIN
        return float(np.clip((u_end - ROW_MARGIN) / span, 0.0, 1.0))


@cache
def _to_utm() -> Transformer:
    return Transformer.from_crs(WGS84, UTM_38N, always_xy=True)


def grow(geometry: BaseGeometry, metres: float) -> BaseGeometry:
    """``geometry`` (lon/lat) grown by ``metres`` on every side, measured in UTM 38N."""

    def there(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(_to_utm().transform(coords[:, 0], coords[:, 1]))

    def back(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(_to_lonlat().transform(coords[:, 0], coords[:, 1]))

    grown = shapely.transform(geometry, there).buffer(metres, join_style="mitre")
    return shapely.transform(grown, back)
