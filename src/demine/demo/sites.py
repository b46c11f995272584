"""Where demo activities happen: which hazards a team could work on, and the ground
on which its finds are placed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from demine.demo.districts import district_polygons
from demine.demo.geo import area_m2, random_points_in, square_around
from demine.demo.hazards import PlannedHazard
from demine.domain.vocab import HazardClassification

#: Side (metres) of the square around an EOD spot task in which its items lie.
_SPOT_SQUARE = 200.0


class HazardIndex:
    """The planned hazards of each district, queried by date."""

    def __init__(self, planned: tuple[PlannedHazard, ...]) -> None:
        self._by_district: dict[str, list[PlannedHazard]] = defaultdict(list)
        for item in planned:
            self._by_district[item.hazard.district].append(item)

    def workable(self, district: str, start: date, end: date) -> list[PlannedHazard]:
        """Area hazards under clearance at some point between ``start`` and ``end``."""
        return [
            p
            for p in self._by_district[district]
            if isinstance(p.hazard.geometry, Polygon)
            and p.worked_from is not None
            and p.worked_from <= end
            and (p.closed_on is None or p.closed_on >= start)
        ]

    def surveyable(self, district: str, start: date) -> list[PlannedHazard]:
        """Suspected areas already recorded and not yet closed: work for surveyors."""
        return [
            p
            for p in self._by_district[district]
            if p.hazard.classification is HazardClassification.SHA
            and p.hazard.recorded_on <= start
            and (p.closed_on is None or p.closed_on >= start)
        ]

    def spot_tasks(self, district: str, start: date) -> list[PlannedHazard]:
        """EOD spot tasks recorded by ``start`` and not closed before it."""
        return [
            p
            for p in self._by_district[district]
            if p.hazard.classification is HazardClassification.EOD_SPOT_TASK
            and p.hazard.recorded_on <= start
            and (p.closed_on is None or p.closed_on >= start)
        ]

    def known_areas(self, district: str, day: date) -> list[Polygon]:
        """Every area hazard of the district recorded by ``day``."""
        return [
            p.hazard.geometry
            for p in self._by_district[district]
            if isinstance(p.hazard.geometry, Polygon) and p.hazard.recorded_on <= day
        ]


def spot_site(point: Point, district: str) -> BaseGeometry:
    """The small square around a spot task, kept inside its district."""
    square = square_around(point.x, point.y, _SPOT_SQUARE)
    return square.intersection(district_polygons()[district])


def worked_area(rng: np.random.Generator, hazard: Polygon, cleared_m2: float) -> Polygon | None:
    """A square of about ``cleared_m2`` inside ``hazard``: the ground a team cleared."""
    side = float(np.sqrt(min(cleared_m2, 0.5 * area_m2(hazard))))
    if side < 10.0:
        return None
    xs, ys = random_points_in(rng, hazard, 1)
    clipped = square_around(float(xs[0]), float(ys[0]), side).intersection(hazard)
    # Clipping a square to a convex quadrilateral leaves one convex polygon; anything
    # else (a sliver, a line) is not worth recording.
    if isinstance(clipped, Polygon) and clipped.is_valid and area_m2(clipped) > 50.0:
        return clipped
    return None
