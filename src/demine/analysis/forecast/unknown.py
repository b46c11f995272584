"""Evidence of contamination nobody has recorded: what the forecast cannot count.

A forecast counts only known hazard areas. Ordnance outside them shows how much it
misses: accidents that happened outside every hazard polygon (and outside every
minefield record), and devices found outside every hazard polygon by work not linked to
a recorded hazard (an EOD call-out, a find by a road crew). Accidents and finds are
counted from the end of the 2020 war to the as-of day; hazards recorded and records
received by that day, whatever their status now, count as known ground.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from demine.analysis.forecast.read import known_ground, located_accidents, located_finds
from demine.analysis.landrelease.read import Register
from demine.analysis.records.thresholds import DEFAULT_ACCIDENTS_FROM
from demine.store.reader import RegisterReader
from demine.store.reads.forecast import LocatedFind

POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass
class Evidence:
    """Counts of accidents and finds outside known areas, for one scope."""

    accidents_located: int = 0
    accidents_outside_hazards: int = 0
    accidents_outside_hazards_and_records: int = 0
    find_records_located: int = 0
    find_records_outside_hazards: int = 0
    devices_outside_hazards: int = 0

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class UnknownContamination:
    since: date
    as_of: date
    total: Evidence
    by_district: dict[str, Evidence] = field(default_factory=dict)

    def to_json(self, names: Mapping[str, str]) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "as_of": self.as_of.isoformat(),
            **self.total.to_json(),
            "by_district": [
                {"district": names.get(code, code), "code": code, **evidence.to_json()}
                for code, evidence in self.by_district.items()
            ],
        }


def _union(geometries: list[BaseGeometry]) -> BaseGeometry:
    shapes = [g for g in geometries if g is not None and g.geom_type in POLYGONAL]
    return shapely.union_all(shapes) if shapes else shapely.Polygon()


def _inside(area: BaseGeometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    if area.is_empty or not len(lon):
        return np.zeros(len(lon), dtype=bool)
    shapely.prepare(area)
    return np.asarray(shapely.intersects_xy(area, lon, lat), dtype=bool)


def unknown_contamination(
    reader: RegisterReader,
    register: Register,
    as_of: date,
    district: str | None = None,
    since: date = DEFAULT_ACCIDENTS_FROM,
) -> UnknownContamination:
    """Accidents and finds outside known areas from ``since`` to ``as_of``."""
    hazard_shapes, record_shapes = known_ground(reader, as_of)
    hazard_area, record_area = _union(hazard_shapes), _union(record_shapes)
    district_id = register.refs.areas.id_of(district)
    result = UnknownContamination(since, as_of, Evidence())
    by_district: dict[str, Evidence] = defaultdict(Evidence)
    code_of = register.refs.areas.key_by_id
    accidents = located_accidents(reader, since, as_of, district_id)
    for district_key, outside, unrecorded in _accidents(accidents, hazard_area, record_area):
        for evidence in (result.total, by_district[code_of[district_key]]):
            evidence.accidents_located += 1
            evidence.accidents_outside_hazards += int(outside)
            evidence.accidents_outside_hazards_and_records += int(unrecorded)
    finds = located_finds(reader, since, as_of, district_id)
    for district_key, devices, outside in _finds(finds, hazard_area):
        for evidence in (result.total, by_district[code_of[district_key]]):
            evidence.find_records_located += 1
            evidence.find_records_outside_hazards += int(outside)
            evidence.devices_outside_hazards += devices if outside else 0
    ordered = register.places.in_reporting_order(
        c for c in by_district if c in register.places.areas
    )
    result.by_district = {code: by_district[code] for code in ordered}
    return result


def _accidents(
    rows: list[tuple[float, float, int]], hazard_area: BaseGeometry, record_area: BaseGeometry
) -> list[tuple[int, bool, bool]]:
    """Located accidents (lon, lat, district id): district id, outside every hazard,
    outside hazards and records."""
    lon = np.array([r[0] for r in rows], dtype=float)
    lat = np.array([r[1] for r in rows], dtype=float)
    outside = ~_inside(hazard_area, lon, lat)
    unrecorded = outside & ~_inside(record_area, lon, lat)
    return [
        (row[2], out, unknown)
        for row, out, unknown in zip(rows, outside.tolist(), unrecorded.tolist(), strict=True)
    ]


def _finds(rows: list[LocatedFind], hazard_area: BaseGeometry) -> list[tuple[int, int, bool]]:
    """Located finds: district id, devices, and whether they lie outside known hazards
    (outside every hazard polygon, by work not linked to a recorded hazard)."""
    lon = np.array([r.lon for r in rows], dtype=float)
    lat = np.array([r.lat for r in rows], dtype=float)
    inside = _inside(hazard_area, lon, lat)
    return [
        (row.district_id, row.devices, not (is_inside or row.by_hazard_work))
        for row, is_inside in zip(rows, inside.tolist(), strict=True)
    ]
