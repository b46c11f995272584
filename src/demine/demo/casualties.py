"""Synthetic mine accidents and victims since the Second Garabagh War, and the baseline.

As of 7 July 2024 the records and the baseline give ANAMA's published figures exactly
(see :mod:`demine.demo.victims`): the baseline of 9 November 2020 is the published
all-time figures minus the records after it. Accidents go on at the same rate to the
end of 2025. Each accident has a day, a point inside one of the 13 liberated districts
(Goranboy, outside them, has none), a device, what the victims were doing, and whether
it lay inside a hazard area known on that day: more than half lie outside, as the
authority reports ("more than 55% of recent landmine cases have occurred outside the
areas covered").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from demine.demo.districts import COUNTRY, DISTRICTS, district_polygons
from demine.demo.finds import MODELS
from demine.demo.geo import random_points_in
from demine.demo.victims import AFTER_SEED, SINCE_WAR_TO_SEED, Profile, Quotas, victim_profiles
from demine.domain.dates import EventDate
from demine.domain.entities import Accident, CasualtyBaseline, HazardArea, Victim
from demine.domain.vocab import EOCategory, VictimCategory

BASELINE_DATE = date(2020, 11, 9)
SEED_DAY = date(2024, 7, 7)
LAST_DAY = date(2025, 12, 31)
SOURCE = "demo register (synthetic)"

#: Published all-time figures as of the seed day, minus the demo's records since the war.
BASELINE = CasualtyBaseline(
    external_id="AZ-CAS-BASE-2020-11-09",
    country=COUNTRY,
    as_of=BASELINE_DATE,
    total=3_429 - SINCE_WAR_TO_SEED.total,
    killed=595 - SINCE_WAR_TO_SEED.killed,
    children=357 - SINCE_WAR_TO_SEED.children,
    women=38 - SINCE_WAR_TO_SEED.women,
    source_reference="published ANAMA figures (seed bulletin 2024-07-08)",
    source_text=(
        "The total number of landmine victims in Azerbaijan is 3,429, including 357 "
        "children and 38 women. 595 of those people lost their lives. (Baseline = these "
        "all-time figures minus the demo's records from 2020-11-10 to 2024-07-07.)"
    ),
)

#: Spans of accident dates and the victims in each.
SPANS: tuple[tuple[date, date, Quotas], ...] = (
    (BASELINE_DATE + timedelta(days=1), SEED_DAY, SINCE_WAR_TO_SEED),
    (SEED_DAY + timedelta(days=1), LAST_DAY, AFTER_SEED),
)

#: Share of accidents placed inside a hazard area known on their day (when one exists).
INSIDE_SHARE = 0.38
_FRONT = frozenset({"AZ-TAR", "AZ-AGD", "AZ-AGR", "AZ-FUZ", "AZ-KHV", "AZ-JAB"})
_DISTRICTS = tuple(spec.code for spec in DISTRICTS if spec.code != "AZ-GOR")
_DISTRICT_WEIGHTS = np.array([3.0 if code in _FRONT else 1.0 for code in _DISTRICTS])

#: Children younger than this were often playing when the accident happened.
CHILD_PLAY_AGE = 14
#: (activity, weight) of civilian, military and deminer accidents.
_ACTIVITIES: dict[VictimCategory, tuple[tuple[str, float], ...]] = {
    VictimCategory.CIVILIAN: (
        ("farming", 28.0), ("herding livestock", 20.0), ("construction work", 12.0),
        ("collecting firewood", 10.0), ("travelling by vehicle", 10.0),
        ("collecting scrap metal", 8.0), ("visiting family graves", 5.0),
    ),
    VictimCategory.MILITARY: (
        ("military engineering works", 5.0), ("patrolling", 3.0), ("building positions", 2.0),
    ),
    VictimCategory.DEMINER: (("demining", 8.0), ("technical survey", 2.0)),
}  # fmt: skip
#: (device category or None for unknown, weight) by kind of accident.
_DEVICES: dict[VictimCategory, tuple[tuple[EOCategory | None, float], ...]] = {
    VictimCategory.CIVILIAN: (
        (EOCategory.AP_MINE, 50.0), (EOCategory.AT_MINE, 15.0), (EOCategory.UXO, 22.0),
        (EOCategory.SUBMUNITION, 5.0), (None, 8.0),
    ),
    VictimCategory.MILITARY: (
        (EOCategory.AP_MINE, 50.0), (EOCategory.AT_MINE, 35.0), (EOCategory.UXO, 15.0),
    ),
    VictimCategory.DEMINER: (
        (EOCategory.AP_MINE, 80.0), (EOCategory.UXO, 15.0), (EOCategory.AT_MINE, 5.0),
    ),
}  # fmt: skip
_GROUP_SIZES = {
    VictimCategory.CIVILIAN: ((1, 2, 3, 4), (0.62, 0.25, 0.1, 0.03)),
    VictimCategory.MILITARY: ((1, 2, 3), (0.6, 0.3, 0.1)),
    VictimCategory.DEMINER: ((1, 2), (0.85, 0.15)),
}


@dataclass(frozen=True)
class DemoCasualties:
    accidents: tuple[Accident, ...]
    victims: tuple[Victim, ...]
    baselines: tuple[CasualtyBaseline, ...]


T = TypeVar("T")


def _pick(rng: np.random.Generator, options: Sequence[tuple[T, float]]) -> T:
    weights = np.array([w for _, w in options])
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]


def _kind(profile: Profile) -> VictimCategory:
    """The kind of accident a victim was in (people of unknown category: civilian ones)."""
    if profile.category in (VictimCategory.MILITARY, VictimCategory.DEMINER):
        return profile.category
    return VictimCategory.CIVILIAN


def _groups(rng: np.random.Generator, profiles: list[Profile]) -> list[list[Profile]]:
    """The victims split into accidents of one to four people of one kind."""
    groups: list[list[Profile]] = []
    for kind in (VictimCategory.CIVILIAN, VictimCategory.MILITARY, VictimCategory.DEMINER):
        people = [p for p in profiles if _kind(p) is kind]
        sizes, odds = _GROUP_SIZES[kind]
        while people:
            size = int(rng.choice(sizes, p=odds))
            groups.append(people[:size])
            people = people[size:]
    return groups


class _Places:
    """Points inside or outside the hazard areas known on a day, district by district."""

    def __init__(self, hazards: Sequence[HazardArea]) -> None:
        self.known: dict[str, list[tuple[BaseGeometry, date]]] = {c: [] for c in _DISTRICTS}
        for hazard in hazards:
            shape = hazard.geometry
            if shape is not None and shape.geom_type == "Polygon" and hazard.district in self.known:
                self.known[hazard.district].append((shape, hazard.recorded_on))
        self.all_hazards = shapely.union_all(
            [s for shapes in self.known.values() for s, _ in shapes]
        )
        shapely.prepare(self.all_hazards)

    def point(
        self, rng: np.random.Generator, district: str, day: date, inside: bool
    ) -> tuple[Point, bool]:
        known = [shape for shape, recorded in self.known[district] if recorded <= day]
        if inside and known:
            shape = known[int(rng.integers(len(known)))]
            xs, ys = random_points_in(rng, shape, 1)
            return Point(round(float(xs[0]), 6), round(float(ys[0]), 6)), True
        while True:
            xs, ys = random_points_in(rng, district_polygons()[district], 1)
            point = Point(round(float(xs[0]), 6), round(float(ys[0]), 6))
            if not self.all_hazards.intersects(point):
                return point, False


def _accident(
    rng: np.random.Generator, places: _Places, group: list[Profile], day: date
) -> Accident:
    kind = _kind(group[0])
    activity = _pick(rng, _ACTIVITIES[kind])
    if any(p.age is not None and p.age < CHILD_PLAY_AGE for p in group) and rng.random() < 0.5:
        activity = "playing"
    weights = _DISTRICT_WEIGHTS / _DISTRICT_WEIGHTS.sum()
    district = _DISTRICTS[int(rng.choice(len(_DISTRICTS), p=weights))]
    point, inside = places.point(rng, district, day, bool(rng.random() < INSIDE_SHARE))
    category = _pick(rng, _DEVICES[kind])
    model = None
    if category is not None and category in MODELS:
        model = _pick(rng, MODELS[category])
    elif category is EOCategory.SUBMUNITION:
        model = "cluster submunition"
    return Accident(
        external_id="",  # numbered once all accidents are in date order
        country=COUNTRY,
        district=district,
        occurred=EventDate.on(day),
        device_category=category,
        device_model=model,
        activity_at_time=activity,
        demining_accident=kind is VictimCategory.DEMINER,
        inside_known_hazard=inside,
        source=SOURCE,
        geometry=point,
    )


def plan_casualties(seed: int, hazards: Sequence[HazardArea]) -> DemoCasualties:
    """The demo's accidents, victims and baseline; the same seed gives the same records."""
    rng = np.random.default_rng([seed, 7])
    places = _Places(hazards)
    planned: list[tuple[Accident, list[Profile]]] = []
    for first, last, quotas in SPANS:
        groups = _groups(rng, victim_profiles(rng, quotas))
        days = rng.integers(0, (last - first).days + 1, size=len(groups))
        for group, offset in zip(groups, days, strict=True):
            day = first + timedelta(days=int(offset))
            planned.append((_accident(rng, places, group, day), group))
    planned.sort(key=lambda item: item[0].occurred.earliest)
    accidents: list[Accident] = []
    victims: list[Victim] = []
    numbers: dict[int, int] = {}
    for accident, group in planned:
        year = accident.occurred.earliest.year
        numbers[year] = numbers.get(year, 0) + 1
        key = f"AZ-ACC-{year}-{numbers[year]:04d}"
        accidents.append(replace(accident, external_id=key))
        victims += [
            Victim(
                external_id=f"{key}-V{number}",
                accident=key,
                sex=person.sex,
                category=person.category,
                outcome=person.outcome,
                age=person.age,
                age_band=person.age_band,
            )
            for number, person in enumerate(group, start=1)
        ]
    return DemoCasualties(tuple(accidents), tuple(victims), (BASELINE,))
