"""Synthetic risk education sessions (EORE) held in 2024.

Every week of 2024 has a few sessions: school talks by ANAMA's and the NGOs' risk
educators, briefings of returning families and of farmers and herders before the
ploughing and grazing seasons, community focal points passing the messages on, and a
few radio broadcasts and online sessions. Beneficiaries are counted by sex and age band
as IMAS 12.10 asks; broadcasts count no beneficiaries (their audience is not known).
Every session, place and figure is invented; the same seed gives the same sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
from shapely.geometry import Point

from demine.demo.districts import COUNTRY, DISTRICTS, district_polygons
from demine.demo.geo import random_points_in
from demine.demo.organisations import ANAMA, AZCBL, IRELI, MES
from demine.domain.eore import EoreSession
from demine.domain.vocab import EoreMethod, EoreTargetGroup

YEAR = 2024
#: Sessions in a week (fewer in the winter months, more from spring to autumn).
WINTER_SESSIONS = (1, 3)
SEASON_SESSIONS = (3, 6)

Counts = tuple[int, int, int, int, int]
Audience = Callable[[np.random.Generator], Counts]


def _school(rng: np.random.Generator) -> Counts:
    girls, boys = (int(n) for n in rng.integers(8, 31, 2))
    women, men = int(rng.integers(1, 4)), int(rng.integers(0, 2))
    return girls, boys, women, men, int(rng.integers(0, 3))


def _returnees(rng: np.random.Generator) -> Counts:
    girls, boys, women, men = (int(n) for n in rng.integers(2, 16, 4))
    return girls, boys, women, men, int(rng.integers(0, 3))


def _farmers(rng: np.random.Generator) -> Counts:
    return 0, int(rng.integers(0, 3)), int(rng.integers(1, 8)), int(rng.integers(10, 31)), 0


def _workers(rng: np.random.Generator) -> Counts:
    return 0, 0, int(rng.integers(0, 3)), int(rng.integers(12, 41)), 0


def _teachers(rng: np.random.Generator) -> Counts:
    return 0, 0, int(rng.integers(10, 26)), int(rng.integers(2, 9)), int(rng.integers(0, 2))


def _broadcast(_rng: np.random.Generator) -> Counts:
    return 0, 0, 0, 0, 0


#: (operator, method, target group, audience, weight): what a session may be.
SESSION_TYPES: tuple[tuple[str, EoreMethod, EoreTargetGroup, Audience, float], ...] = (
    (ANAMA, EoreMethod.FACE_TO_FACE, EoreTargetGroup.SCHOOLCHILDREN, _school, 6.0),
    (IRELI, EoreMethod.FACE_TO_FACE, EoreTargetGroup.SCHOOLCHILDREN, _school, 3.0),
    (ANAMA, EoreMethod.FACE_TO_FACE, EoreTargetGroup.RETURNEES, _returnees, 5.0),
    (AZCBL, EoreMethod.COMMUNITY_FOCAL_POINT, EoreTargetGroup.RETURNEES, _returnees, 3.0),
    (AZCBL, EoreMethod.FACE_TO_FACE, EoreTargetGroup.FARMERS, _farmers, 3.0),
    (IRELI, EoreMethod.COMMUNITY_FOCAL_POINT, EoreTargetGroup.HERDERS, _farmers, 2.0),
    (ANAMA, EoreMethod.FACE_TO_FACE, EoreTargetGroup.CONSTRUCTION_WORKERS, _workers, 2.0),
    (IRELI, EoreMethod.DIGITAL, EoreTargetGroup.TEACHERS, _teachers, 1.0),
    (MES, EoreMethod.MEDIA, EoreTargetGroup.GENERAL_PUBLIC, _broadcast, 1.0),
)


def _weeks(year: int) -> list[date]:
    """The Mondays of ``year``'s ISO weeks."""
    monday = date.fromisocalendar(year, 1, 1)
    weeks = []
    while monday.isocalendar().year == year:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def demo_eore_sessions(seed: int) -> tuple[EoreSession, ...]:
    """The risk education sessions of 2024, week by week, in every district."""
    rng = np.random.default_rng([seed, 12])
    polygons = district_polygons()
    codes = [spec.code for spec in DISTRICTS]
    weights = np.array([kind[4] for kind in SESSION_TYPES])
    sessions: list[EoreSession] = []
    for monday in _weeks(YEAR):
        low, high = SEASON_SESSIONS if 3 <= monday.month <= 11 else WINTER_SESSIONS
        for _ in range(int(rng.integers(low, high + 1))):
            operator, method, group, audience, _weight = SESSION_TYPES[
                int(rng.choice(len(SESSION_TYPES), p=weights / weights.sum()))
            ]
            district = codes[int(rng.integers(len(codes)))]
            held_on = monday + timedelta(days=int(rng.integers(0, 6)))
            girls, boys, women, men, disabled = audience(rng)
            lons, lats = random_points_in(rng, polygons[district], 1)
            sessions.append(
                EoreSession(
                    external_id=f"EORE-{held_on.year}-{len(sessions) + 1:04d}",
                    country=COUNTRY,
                    district=district,
                    held_on=held_on,
                    organisation=operator,
                    method=method,
                    target_group=group,
                    girls=girls,
                    boys=boys,
                    women=women,
                    men=men,
                    persons_with_disabilities=disabled,
                    geometry=None
                    if method is EoreMethod.MEDIA
                    else Point(round(float(lons[0]), 5), round(float(lats[0]), 5)),
                )
            )
    return tuple(sessions)
