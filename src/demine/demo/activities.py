"""One week's national totals turned into per-district land-release activities.

Each week the busier districts get more teams; every activity runs Monday to Sunday.
The week's cleared area is split, in whole square metres, over its clearance and
battle-area clearance activities, so the activities add up to the week exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from demine.demo.allocate import split_in_units, split_with_minimum, weighted_indices
from demine.demo.districts import COUNTRY, district_by_code, district_polygons
from demine.demo.geo import random_points_in
from demine.demo.organisations import OPERATOR_WEIGHTS
from demine.demo.series import WeeklyTotals
from demine.demo.sites import HazardIndex, spot_site, worked_area
from demine.domain.entities import SQUARE_METRES_PER_HECTARE, Activity
from demine.domain.vocab import ActivityKind

#: How often each kind of activity is reported (the first of a district is clearance).
KIND_SHARES: tuple[tuple[ActivityKind, float], ...] = (
    (ActivityKind.CLEARANCE, 0.58),
    (ActivityKind.TECHNICAL_SURVEY, 0.14),
    (ActivityKind.NON_TECHNICAL_SURVEY, 0.13),
    (ActivityKind.BATTLE_AREA_CLEARANCE, 0.12),
    (ActivityKind.EOD_SPOT_TASK, 0.03),
)

#: Kinds whose area counts as cleared in the bulletins.
CLEARING_KINDS = (ActivityKind.CLEARANCE, ActivityKind.BATTLE_AREA_CLEARANCE)

#: How much work each district usually gets, relative to the others.
DISTRICT_WEIGHTS: dict[str, float] = {
    "AZ-TAR": 1.0,
    "AZ-AGD": 1.3,
    "AZ-AGR": 0.8,
    "AZ-LAC": 0.7,
    "AZ-FUZ": 1.3,
    "AZ-SHU": 0.4,
    "AZ-KHJ": 0.6,
    "AZ-KHN": 0.25,
    "AZ-KAL": 0.8,
    "AZ-KHV": 1.0,
    "AZ-JAB": 1.1,
    "AZ-GUB": 0.7,
    "AZ-ZAN": 0.7,
    "AZ-GOR": 0.3,
}

#: Khankendi and most of Khojaly, Aghdara and Khojavend became accessible only after
#: September 2023; this is the first Monday the demo sends teams there in earnest.
FULL_ACCESS = date(2023, 10, 2)
_BEFORE_FULL_ACCESS = {"AZ-KHN": 0.0, "AZ-KHJ": 0.0, "AZ-AGR": 0.3, "AZ-KHV": 0.5}
#: Highland districts see little work in the snow months.
_HIGHLANDS = ("AZ-KAL", "AZ-LAC")
_WINTER = (12, 1, 2, 3)


@dataclass(frozen=True)
class PlannedActivity:
    """An activity and the ground on which its device finds are placed."""

    activity: Activity
    site: BaseGeometry


def district_weights(monday: date) -> dict[str, float]:
    """Each district's share of the week's work (zero where teams had no access)."""
    weights = dict(DISTRICT_WEIGHTS)
    if monday < FULL_ACCESS:
        for code, factor in _BEFORE_FULL_ACCESS.items():
            weights[code] *= factor
    if monday.month in _WINTER:
        for code in _HIGHLANDS:
            weights[code] *= 0.4
    return weights


def active_districts(rng: np.random.Generator, totals: WeeklyTotals) -> list[str]:
    """The districts with teams at work this week, in reporting order."""
    if totals.districts_with_finds is not None:
        return list(totals.districts_with_finds)
    weights = {c: w for c, w in district_weights(totals.week_start).items() if w > 0}
    hectares = totals.area_cleared_m2 / SQUARE_METRES_PER_HECTARE
    wanted = round(6 + 8 * min(1.0, hectares / 900) + rng.normal(0.0, 1.0))
    count = int(np.clip(wanted, 4, len(weights)))
    codes = list(weights)
    p = np.array([weights[c] for c in codes])
    chosen = rng.choice(len(codes), size=count, replace=False, p=p / p.sum())
    return [codes[i] for i in sorted(int(i) for i in chosen)]


def _organisation(rng: np.random.Generator, kind: ActivityKind) -> str:
    options = OPERATOR_WEIGHTS[kind]
    weights = np.array([w for _, w in options])
    return options[int(weighted_indices(rng, weights, 1)[0])][0]


def _kinds(rng: np.random.Generator, count: int) -> list[ActivityKind]:
    kinds = [k for k, _ in KIND_SHARES]
    drawn = weighted_indices(rng, np.array([s for _, s in KIND_SHARES]), count - 1)
    return [ActivityKind.CLEARANCE, *(kinds[int(i)] for i in drawn)]


def _team_days(rng: np.random.Generator, kind: ActivityKind, area: float) -> float:
    days = 6 if rng.random() < 0.8 else 5
    if kind in CLEARING_KINDS:
        teams = int(np.clip(np.ceil(area / SQUARE_METRES_PER_HECTARE / 4), 1, 15))
    elif kind is ActivityKind.TECHNICAL_SURVEY:
        teams = int(rng.integers(1, 4))
    else:
        teams = int(rng.integers(1, 3))
    return float(teams * days)


def _survey_area(rng: np.random.Generator, typical: float) -> float:
    """A surveyed area around ``typical`` m², in whole hundreds of square metres."""
    return float(100 * max(1, round(typical * rng.lognormal(0.0, 0.6) / 100)))


def _site_and_link(
    rng: np.random.Generator,
    kind: ActivityKind,
    district: str,
    week: WeeklyTotals,
    index: HazardIndex,
) -> tuple[str | None, BaseGeometry]:
    """The hazard an activity works on (if any) and the ground its finds lie on."""
    start, end = week.week_start, week.week_end
    if kind is ActivityKind.EOD_SPOT_TASK:
        spots = index.spot_tasks(district, start)
        if spots:
            spot = spots[int(rng.integers(len(spots)))]
            assert isinstance(spot.hazard.geometry, Point)
            return spot.hazard.external_id, spot_site(spot.hazard.geometry, district)
        xs, ys = random_points_in(rng, district_polygons()[district], 1)
        return None, spot_site(Point(float(xs[0]), float(ys[0])), district)
    if kind is ActivityKind.NON_TECHNICAL_SURVEY:
        candidates = index.surveyable(district, start)
    else:
        candidates = index.workable(district, start, end)
    if candidates:
        chosen = candidates[int(rng.integers(len(candidates)))]
        assert chosen.hazard.geometry is not None
        return chosen.hazard.external_id, chosen.hazard.geometry
    # No hazard on record to link to: work near a known hazard, else anywhere in the
    # district (a new find outside the register, as happens).
    known = index.known_areas(district, start)
    if known:
        return None, known[int(rng.integers(len(known)))]
    return None, district_polygons()[district]


def plan_week(
    rng: np.random.Generator, week: WeeklyTotals, index: HazardIndex
) -> list[PlannedActivity]:
    """The week's activities, whose cleared areas add up to the week's total exactly."""
    districts = active_districts(rng, week)
    weights = district_weights(week.week_start)
    hectares = week.area_cleared_m2 / SQUARE_METRES_PER_HECTARE
    wanted = round(hectares / 10 * rng.lognormal(0.0, 0.15))
    total = int(np.clip(wanted, max(20, len(districts)), 170))
    counts = split_with_minimum(total, [max(weights[d], 0.1) for d in districts])
    slots = [(d, k) for d, n in zip(districts, counts, strict=True) for k in _kinds(rng, n)]
    clearing = [i for i, (_, kind) in enumerate(slots) if kind in CLEARING_KINDS]
    shares = rng.lognormal(0.0, 0.6, len(clearing))
    shares *= [2.0 if slots[i][1] is ActivityKind.BATTLE_AREA_CLEARANCE else 1.0 for i in clearing]
    cleared = dict(zip(clearing, split_in_units(week.area_cleared_m2, shares, 100), strict=True))
    typical = week.area_cleared_m2 / max(1, len(clearing))
    planned: list[PlannedActivity] = []
    numbers: dict[str, int] = {}
    for i, (district, kind) in enumerate(slots):
        numbers[district] = numbers.get(district, 0) + 1
        hazard, site = _site_and_link(rng, kind, district, week, index)
        area = float(cleared.get(i, 0))
        geometry: Polygon | None = None
        # Some clearance reports come with the polygon actually worked.
        worked = kind is ActivityKind.CLEARANCE and hazard is not None and area > 0
        if worked and isinstance(site, Polygon) and rng.random() < 0.35:
            geometry = worked_area(rng, site, area)
            site = geometry if geometry is not None else site
        short = district_by_code(district).short
        activity = Activity(
            external_id=f"AZ-ACT-{week.label}-{short}-{numbers[district]}",
            country=COUNTRY,
            kind=kind,
            organisation=_organisation(rng, kind),
            district=district,
            start_date=week.week_start,
            end_date=week.week_start + timedelta(days=6),
            hazard=hazard,
            area_cancelled_m2=(
                _survey_area(rng, 2.0 * typical)
                if kind is ActivityKind.NON_TECHNICAL_SURVEY
                else 0.0
            ),
            area_reduced_m2=(
                _survey_area(rng, 1.2 * typical) if kind is ActivityKind.TECHNICAL_SURVEY else 0.0
            ),
            area_cleared_m2=area,
            team_days=_team_days(rng, kind, area),
            geometry=geometry,
        )
        planned.append(PlannedActivity(activity, site))
    return planned
