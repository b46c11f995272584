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
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, and_, select

from demine.analysis.landrelease.load import Register
from demine.analysis.records import DEFAULT_ACCIDENTS_FROM
from demine.store import schema
from demine.store.live import counted

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

    def to_json(self, names: dict[str, str]) -> dict[str, Any]:
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
    connection: Connection,
    register: Register,
    as_of: date,
    district: str | None = None,
    since: date = DEFAULT_ACCIDENTS_FROM,
) -> UnknownContamination:
    """Accidents and finds outside known areas from ``since`` to ``as_of``."""
    country = register.country
    hazards, records = schema.hazard_areas, schema.minefield_records
    hazard_area = _union(
        list(
            connection.execute(
                select(hazards.c.geometry).where(
                    hazards.c.country == country, counted(hazards), hazards.c.recorded_on <= as_of
                )
            ).scalars()
        )
    )
    record_area = _union(
        list(
            connection.execute(
                select(records.c.geometry).where(
                    records.c.country == country, counted(records), records.c.received_on <= as_of
                )
            ).scalars()
        )
    )
    district_id = register.refs.areas.id_of(district)
    result = UnknownContamination(since, as_of, Evidence())
    by_district: dict[str, Evidence] = defaultdict(Evidence)
    code_of = register.refs.areas.key_by_id
    for district_key, outside, unrecorded in _accidents(
        connection, country, since, as_of, district_id, hazard_area, record_area
    ):
        for evidence in (result.total, by_district[code_of[district_key]]):
            evidence.accidents_located += 1
            evidence.accidents_outside_hazards += int(outside)
            evidence.accidents_outside_hazards_and_records += int(unrecorded)
    for district_key, devices, outside in _finds(
        connection, country, since, as_of, district_id, hazard_area
    ):
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
    connection: Connection,
    country: str,
    since: date,
    as_of: date,
    district_id: int | None,
    hazard_area: BaseGeometry,
    record_area: BaseGeometry,
) -> list[tuple[int, bool, bool]]:
    """Located accidents: district id, outside every hazard, outside hazards and records."""
    table = schema.accidents
    query = select(table.c.min_x, table.c.min_y, table.c.district_id).where(
        table.c.country == country,
        counted(table),
        table.c.min_x.is_not(None),
        table.c.occurred_earliest >= since,
        table.c.occurred_latest <= as_of,
    )
    if district_id is not None:
        query = query.where(table.c.district_id == district_id)
    rows = [(float(x), float(y), int(d)) for x, y, d in connection.execute(query)]
    lon = np.array([r[0] for r in rows], dtype=float)
    lat = np.array([r[1] for r in rows], dtype=float)
    outside = ~_inside(hazard_area, lon, lat)
    unrecorded = outside & ~_inside(record_area, lon, lat)
    return [
        (row[2], out, unknown)
        for row, out, unknown in zip(rows, outside.tolist(), unrecorded.tolist(), strict=True)
    ]


def _finds(
    connection: Connection,
    country: str,
    since: date,
    as_of: date,
    district_id: int | None,
    hazard_area: BaseGeometry,
) -> list[tuple[int, int, bool]]:
    """Located finds: district id, devices, and whether they lie outside known hazards
    (outside every hazard polygon, by work not linked to a recorded hazard)."""
    finds, acts = schema.device_finds, schema.activities
    linked = and_(acts.c.id == finds.c.activity_id, counted(acts))
    query = (
        select(
            finds.c.min_x, finds.c.min_y, finds.c.district_id, finds.c.quantity, acts.c.hazard_id
        )
        .select_from(finds.outerjoin(acts, linked))
        .where(finds.c.country == country, counted(finds), finds.c.min_x.is_not(None))
        .where(finds.c.found_earliest >= since, finds.c.found_latest <= as_of)
    )
    if district_id is not None:
        query = query.where(finds.c.district_id == district_id)
    rows = [
        (float(x), float(y), int(d), int(q), hazard is not None)
        for x, y, d, q, hazard in connection.execute(query)
    ]
    lon = np.array([r[0] for r in rows], dtype=float)
    lat = np.array([r[1] for r in rows], dtype=float)
    inside = _inside(hazard_area, lon, lat)
    return [
        (row[2], row[3], not (is_inside or row[4]))
        for row, is_inside in zip(rows, inside.tolist(), strict=True)
    ]
