"""Synthetic hazard areas: many along the former line of contact, the rest scattered.

Hazards are irregular quadrilaterals of 2–200 ha (and a few EOD spot tasks as points),
each wholly inside its district and clear of the others. Areas are measured in metres
(UTM 38N), so a hazard's estimated area matches its polygon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from shapely.geometry import LineString, Point, Polygon

from demine.demo.districts import COUNTRY, DISTRICTS, district_by_code, district_polygons
from demine.demo.geo import area_m2, quadrilateral, random_points_in
from demine.domain.entities import HazardArea, HazardStatusChange
from demine.domain.vocab import EOCategory, HazardClassification, HazardStatus

HAZARD_COUNT = 240

#: (lon, lat) of the former line of contact, north to south, roughly: Tartar, Aghdam,
#: Khojavend, Fuzuli, Jabrayil.
LINE_OF_CONTACT = LineString(
    [(46.93, 40.34), (46.93, 39.99), (47.11, 39.79), (47.15, 39.60), (47.03, 39.40)]
)

#: Share of hazards along the line of contact, and their spread (degrees) across it.
_FRONT_SHARE = 0.65
_FRONT_SPREAD = 0.04

FIRST_RECORD = date(2021, 1, 11)
LAST_RECORD = date(2022, 12, 30)
#: Status changes stop short of the demo's horizon (the last week is 2025-W52).
LAST_CHANGE = date(2025, 12, 20)

_EVIDENCE_FRONT = (
    "former front-line minefield (military engineering records)",
    "minefield marking and fencing observed",
    "mine incident reported by residents",
    "devices visible on the surface",
)
_EVIDENCE_SCATTERED = (
    "shelling impact area reported by residents",
    "cluster munition strike reported",
    "abandoned military position",
    "suspected mined approach road",
)


@dataclass(frozen=True)
class PlannedHazard:
    """A hazard with its status history, and when it was open to clearance work."""

    hazard: HazardArea
    changes: tuple[HazardStatusChange, ...]
    #: First day of work on the hazard (``None``: never worked, or only cancelled).
    worked_from: date | None
    #: The day it was closed, if it was.
    closed_on: date | None


def _front_point(rng: np.random.Generator) -> tuple[float, float]:
    """A point near the line of contact, spread across it."""
    along = LINE_OF_CONTACT.interpolate(rng.uniform(0.0, 1.0), normalized=True)
    return (
        along.x + rng.normal(0.0, _FRONT_SPREAD),
        along.y + rng.normal(0.0, _FRONT_SPREAD / 2),
    )


def _district_of(lon: float, lat: float) -> str | None:
    point = Point(lon, lat)
    for code, polygon in district_polygons().items():
        if polygon.contains(point):
            return code
    return None


def _contamination(
    rng: np.random.Generator, front: bool, classification: HazardClassification
) -> tuple[EOCategory, ...]:
    if classification is HazardClassification.EOD_SPOT_TASK:
        return (EOCategory.SUBMUNITION,) if rng.random() < 0.3 else (EOCategory.UXO,)
    odds = (
        {EOCategory.AP_MINE: 0.85, EOCategory.AT_MINE: 0.7, EOCategory.UXO: 0.4}
        if front
        else {
            EOCategory.AP_MINE: 0.3,
            EOCategory.AT_MINE: 0.2,
            EOCategory.UXO: 0.8,
            EOCategory.SUBMUNITION: 0.3,
        }
    )
    chosen = tuple(category for category, p in odds.items() if rng.random() < p)
    return chosen or (EOCategory.UXO,)


def _classification(rng: np.random.Generator, front: bool) -> HazardClassification:
    shares = (0.35, 0.62, 0.03) if front else (0.55, 0.37, 0.08)
    index = int(rng.choice(3, p=shares))
    return list(HazardClassification)[index]


def _place(
    rng: np.random.Generator, front: bool, spot: bool, placed: dict[str, list[Polygon]]
) -> tuple[str, Polygon | Point]:
    """A district and a shape for a new hazard, inside the district and clear of others."""
    weights = np.array([1.0 + p.area * 10 for p in district_polygons().values()])
    for attempt in range(200):
        if front:
            lon, lat = _front_point(rng)
        else:
            spec = DISTRICTS[int(rng.choice(len(DISTRICTS), p=weights / weights.sum()))]
            xs, ys = random_points_in(rng, district_polygons()[spec.code], 1)
            lon, lat = float(xs[0]), float(ys[0])
        code = _district_of(lon, lat)
        if code is None:
            continue
        if spot:
            return code, Point(lon, lat)
        # Log-uniform sizes; shrink after repeated failures to fit.
        # (The quadrilateral's nudged corners change its area by up to ~10%, hence the
        # margins inside 2–200 ha.)
        low, high = (5.0, 180.0) if front else (2.3, 80.0)
        hectares = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        hectares = max(2.3, hectares / (1 + attempt // 20))
        shape = quadrilateral(rng, lon, lat, hectares * 10_000)
        district = district_polygons()[code]
        if district.contains(shape) and not any(shape.intersects(p) for p in placed[code]):
            placed[code].append(shape)
            return code, shape
    raise RuntimeError("could not place a hazard area")


def _history(
    rng: np.random.Generator, hazard_id: str, recorded_on: date, kind: HazardClassification
) -> tuple[HazardStatus, list[HazardStatusChange], date | None, date | None]:
    """Current status, status changes, start of work and closing date of one hazard."""
    roll = rng.random()
    if kind is HazardClassification.EOD_SPOT_TASK:
        roll = 1.0 - roll / 5  # spot tasks are mostly done
    if roll < 0.30:
        return HazardStatus.OPEN, [], None, None
    changes: list[HazardStatusChange] = []
    if kind is HazardClassification.SHA and rng.random() < 0.4:
        cancelled = recorded_on + timedelta(days=int(rng.integers(30, 700)))
        reason = "cancelled by non-technical survey"
        changes.append(
            HazardStatusChange(f"{hazard_id}-S1", hazard_id, cancelled, HazardStatus.CLOSED, reason)
        )
        return HazardStatus.CLOSED, changes, None, cancelled
    worked_from = recorded_on + timedelta(days=int(rng.integers(14, 500)))
    changes.append(
        HazardStatusChange(
            f"{hazard_id}-S1", hazard_id, worked_from, HazardStatus.WORKED_ON, "clearance began"
        )
    )
    closed_on = worked_from + timedelta(days=int(rng.integers(30, 700)))
    if roll < 0.65 or closed_on > LAST_CHANGE:
        return HazardStatus.WORKED_ON, changes, worked_from, None
    if kind is HazardClassification.SHA:
        reason = "reduced by technical survey and cleared"
    else:
        reason = "released by clearance"
    changes.append(
        HazardStatusChange(f"{hazard_id}-S2", hazard_id, closed_on, HazardStatus.CLOSED, reason)
    )
    return HazardStatus.CLOSED, changes, worked_from, closed_on


def plan_hazards(seed: int, count: int = HAZARD_COUNT) -> tuple[PlannedHazard, ...]:
    """``count`` hazards with their histories, in district order then by number."""
    rng = np.random.default_rng([seed, 2])
    placed: dict[str, list[Polygon]] = {spec.code: [] for spec in DISTRICTS}
    numbers: dict[str, int] = {spec.code: 0 for spec in DISTRICTS}
    planned: list[PlannedHazard] = []
    record_span = (LAST_RECORD - FIRST_RECORD).days
    for _ in range(count):
        front = bool(rng.random() < _FRONT_SHARE)
        classification = _classification(rng, front)
        spot = classification is HazardClassification.EOD_SPOT_TASK
        code, shape = _place(rng, front, spot, placed)
        numbers[code] += 1
        spec = district_by_code(code)
        hazard_id = f"AZ-HAZ-{spec.short}-{numbers[code]:03d}"
        # Most hazards were recorded in the first survey year after the 2020 war.
        recorded_on = FIRST_RECORD + timedelta(days=int(record_span * rng.random() ** 2))
        status, changes, worked_from, closed_on = _history(
            rng, hazard_id, recorded_on, classification
        )
        estimated = None if spot else float(round(area_m2(shape)))
        remaining = _remaining(rng, status, estimated)
        evidence = _EVIDENCE_FRONT if front else _EVIDENCE_SCATTERED
        hazard = HazardArea(
            external_id=hazard_id,
            country=COUNTRY,
            district=code,
            classification=classification,
            status=status,
            recorded_on=recorded_on,
            name=f"{spec.name} {classification.value}-{numbers[code]:03d}",
            evidence=evidence[int(rng.integers(len(evidence)))],
            contamination=_contamination(rng, front, classification),
            estimated_area_m2=estimated,
            remaining_area_m2=remaining,
            geometry=shape,
        )
        planned.append(PlannedHazard(hazard, tuple(changes), worked_from, closed_on))
    order = {spec.code: spec.reporting_order for spec in DISTRICTS}
    planned.sort(key=lambda p: (order[p.hazard.district], p.hazard.external_id))
    return tuple(planned)


def _remaining(
    rng: np.random.Generator, status: HazardStatus, estimated: float | None
) -> float | None:
    if estimated is None:
        return None
    if status is HazardStatus.CLOSED:
        return 0.0
    if status is HazardStatus.WORKED_ON:
        return float(round(estimated * rng.uniform(0.15, 0.85)))
    return estimated
