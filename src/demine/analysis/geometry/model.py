"""What the geometry checks work on and what they find."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from demine.domain.entities import AdminArea
from demine.domain.vocab import AdminLevel

#: Consecutive vertices further apart than this are most likely a mistyped coordinate.
DEFAULT_MAX_GAP_M = 5_000.0
#: Two hazards sharing more than this share of the smaller one are probably one area
#: recorded twice (its remaining area counted twice).
DEFAULT_OVERLAP_SHARE = 0.10
#: A point whose coordinates equal a district centre's to this many decimals (about a
#: centimetre) is on it.
PLACEHOLDER_DECIMALS = 7


class GeometryProblem(StrEnum):
    """The faults the checks find, in the order a report lists them."""

    INVALID = "invalid"
    TOO_FEW_VERTICES = "too_few_vertices"
    DUPLICATE = "duplicate"
    OVERLAP = "overlap"
    VERTEX_GAP = "vertex_gap"
    OUTSIDE_COUNTRY = "outside_country"
    OUTSIDE_DISTRICT = "outside_district"
    PLACEHOLDER_POINT = "placeholder_point"


@dataclass(frozen=True)
class Located:
    """A record's shape: its kind, key, geometry and the district it names (if any)."""

    kind: str
    key: str
    geometry: BaseGeometry
    district: str | None = None


@dataclass(frozen=True)
class Limits:
    """The thresholds of the checks."""

    max_gap_m: float = DEFAULT_MAX_GAP_M
    overlap_share: float = DEFAULT_OVERLAP_SHARE


def _rounded(point: Point) -> tuple[float, float]:
    return (round(point.x, PLACEHOLDER_DECIMALS), round(point.y, PLACEHOLDER_DECIMALS))


@dataclass(frozen=True)
class Places:
    """The country's outline, its districts' shapes and the points that stand for a
    district when no location is known (centroids, gazetteer centres)."""

    country: BaseGeometry | None = None
    districts: Mapping[str, BaseGeometry] = field(default_factory=dict)
    #: District code → its placeholder points.
    centres: Mapping[str, tuple[Point, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        country: str,
        areas: Iterable[AdminArea],
        known_centres: Mapping[str, Point] | None = None,
    ) -> Places:
        """The places of ``country`` from its admin areas; each district's centroid and
        representative point (and ``known_centres``, such as a gazetteer's) are the
        points a placeholder location takes."""
        outline: BaseGeometry | None = None
        districts: dict[str, BaseGeometry] = {}
        for area in areas:
            if area.country != country or area.geometry is None or area.geometry.is_empty:
                continue
            if area.level is AdminLevel.COUNTRY:
                outline = area.geometry
            elif area.level is AdminLevel.DISTRICT:
                districts[area.code] = area.geometry
        known = known_centres or {}
        for shape in (outline, *districts.values()):
            if shape is not None:
                shapely.prepare(shape)  # many records are tested against each
        centres = {
            code: tuple(
                point
                for point in (shape.centroid, shape.representative_point(), known.get(code))
                if point is not None
            )
            for code, shape in districts.items()
        }
        return cls(outline, districts, centres)

    @cached_property
    def placeholders(self) -> dict[tuple[float, float], str]:
        """District codes by the rounded coordinates of their centres."""
        return {_rounded(point): code for code, points in self.centres.items() for point in points}

    def placeholder_district(self, point: Point) -> str | None:
        """The district whose centre ``point`` is on, if any."""
        return self.placeholders.get(_rounded(point))

    def district_at(self, point: BaseGeometry) -> str | None:
        """The district covering ``point``, if exactly one does."""
        found = [code for code, shape in self.districts.items() if shape.covers(point)]
        return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Finding:
    """One fault of one record: what it is, where, and how it may be mended."""

    kind: str
    key: str
    problem: GeometryProblem
    detail: str
    repair: str
    #: The record's shape (drawn on the finding's map).
    geometry: BaseGeometry
    #: The spot of the fault (a gap's segment, an overlap, a self-intersection).
    spot: BaseGeometry | None = None
    #: The other record of a duplicate or an overlap, and its shape.
    other: str | None = None
    other_geometry: BaseGeometry | None = None

    @property
    def location(self) -> tuple[float, float] | None:
        """A point of the fault (longitude, latitude), for a reader to go and look."""
        shape = self.spot if self.spot is not None else self.geometry
        if shape.is_empty:
            return None
        point = shape.representative_point() if shape.is_valid else shape.centroid
        return (round(point.x, 6), round(point.y, 6))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "problem": self.problem.value,
            "detail": self.detail,
            "repair": self.repair,
            "other": self.other,
            "location": list(self.location) if self.location else None,
        }
