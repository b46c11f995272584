"""A project's footprint in metres, and what lies in it or near it.

A project's footprint is its drawn shape widened by its working buffer, in the UTM zone
of the project's centre (see :mod:`demine.analysis.records.projection`): hazard areas
inside it are measured in square metres there, and finds and accidents within a
distance of it in metres. Candidates are first found by box in longitude/latitude, so
a national register is searched in milliseconds per project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from demine.analysis.records.geometry_index import PointIndex
from demine.analysis.records.projection import project, project_xy, search_box, utm_epsg
from demine.domain.projects import DevelopmentProject
from demine.i18n import _

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Footprint:
    """The ground a project's works need, in metres in zone ``epsg``."""

    epsg: int
    shape: BaseGeometry
    #: The drawn shape's longitude/latitude bounds, to search around.
    bounds: Box
    buffer_m: float

    @property
    def area_m2(self) -> float:
        return float(self.shape.area)

    def search_box(self, distance_m: float = 0.0) -> Box:
        """A lon/lat box holding everything within ``distance_m`` of the footprint."""
        return search_box(self.bounds, self.buffer_m + distance_m)


def footprint_of(project_: DevelopmentProject) -> Footprint:
    """The project's shape in its UTM zone, buffered by its working buffer."""
    geometry = project_.geometry
    if geometry is None or geometry.is_empty:
        raise ValueError(
            _("project {external_id} has no geometry").format(external_id=project_.external_id)
        )
    centre = geometry.centroid
    epsg = utm_epsg(centre.x, centre.y)
    drawn = project(geometry, epsg)
    shape = drawn.buffer(project_.buffer_m) if project_.buffer_m > 0 else drawn
    return Footprint(epsg, shape, geometry.bounds, project_.buffer_m)


class ShapeIndex:
    """Shapes (lon/lat) found by box; measured in metres only when a box holds them."""

    def __init__(self, geometries: Sequence[BaseGeometry]) -> None:
        self.geometries = list(geometries)
        self._tree = shapely.STRtree(self.geometries) if self.geometries else None

    def in_box(self, box: Box) -> list[int]:
        if self._tree is None:
            return []
        return sorted(int(i) for i in self._tree.query(shapely.box(*box)))

    def overlap_m2(self, footprint: Footprint) -> dict[int, float]:
        """Square metres of each shape (by position) that lie inside ``footprint``."""
        found: dict[int, float] = {}
        for index in self.in_box(footprint.search_box()):
            inside = project(self.geometries[index], footprint.epsg).intersection(footprint.shape)
            if not inside.is_empty and inside.area > 0:
                found[index] = float(inside.area)
        return found

    def intersecting(self, footprint: Footprint) -> list[int]:
        """Positions of the shapes that touch ``footprint`` (any geometry type)."""
        return [
            index
            for index in self.in_box(footprint.search_box())
            if project(self.geometries[index], footprint.epsg).intersects(footprint.shape)
        ]


@dataclass(frozen=True)
class Points:
    """Located finds or accidents: longitude, latitude and a weight (devices, or 1)."""

    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[tuple[float, float, int]]) -> Points:
        if not rows:
            empty = np.empty(0, dtype=float)
            return cls(empty, empty, np.empty(0, dtype=np.int64))
        lon, lat, weight = zip(*rows, strict=True)
        return cls(np.array(lon, float), np.array(lat, float), np.array(weight, np.int64))

    def index(self) -> PointIndex:
        return PointIndex(self.lon, self.lat)

    def near(self, index: PointIndex, footprint: Footprint, distance_m: float) -> np.ndarray:
        """Positions of the points within ``distance_m`` of the footprint (or inside it)."""
        chosen = index.in_box(footprint.search_box(distance_m))
        if not len(chosen):
            return chosen
        x, y = project_xy(self.lon[chosen], self.lat[chosen], footprint.epsg)
        close = shapely.dwithin(footprint.shape, shapely.points(x, y), distance_m)
        return np.asarray(chosen[np.asarray(close, dtype=bool)])
