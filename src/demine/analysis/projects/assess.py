"""What stands between each project and a safe start: hazards, evidence, effort, date.

For each project, on the as-of day:

- the hazardous area in its footprint: for every hazard polygon it overlaps, the
  overlap (m², in the project's UTM zone) times the share of that hazard still to be
  released on the day (see :mod:`demine.analysis.landrelease.ledger`): the register
  does not say where inside a hazard the released part lies, so it is taken as spread
  evenly; a closed hazard counts nothing;
- devices found and accidents within ``distance_m`` of the footprint, and the minefield
  records that overlap it;
- the clearance effort in team-days: each district's share of that area divided by the
  district's recent productivity (national when the district has none);
- the earliest day it could be clear: the as-of day plus, for each district, its effort
  divided by the team-days per day the district has been getting, taking the longest
  (districts are worked in parallel), as if all those teams worked on this project.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shapely.geometry.base import BaseGeometry

from demine.analysis.landrelease.ledger import HazardLedger
from demine.analysis.projects.defaults import DEFAULT_DISTANCE_M as DEFAULT_DISTANCE_M
from demine.analysis.projects.footprint import Points, ShapeIndex, footprint_of
from demine.analysis.projects.tasking import DAYS_PER_WEEK, ProductivitySource, Tasking
from demine.domain.projects import DevelopmentProject
from demine.domain.vocab import HazardClassification, HazardStatus
from demine.i18n import _

#: Overlaps smaller than this are rounding slivers where two edges coincide.
MIN_OVERLAP_M2 = 0.01


@dataclass(frozen=True)
class ProjectInputs:
    """What lies around the projects on the as-of day (read by :mod:`.read`)."""

    projects: list[DevelopmentProject]
    #: Area hazards (polygons) recorded by the as-of day.
    hazards: list[HazardLedger]
    finds: Points
    accidents: Points
    #: Minefield records received by the as-of day: (external id, lon/lat shape).
    records: list[tuple[str, BaseGeometry]]


@dataclass(frozen=True)
class HazardInFootprint:
    key: str
    district: str
    classification: HazardClassification
    status: HazardStatus
    overlap_m2: float
    remaining_share: float

    @property
    def hazardous_m2(self) -> float:
        return self.overlap_m2 * self.remaining_share


@dataclass(frozen=True)
class DistrictEffort:
    """One district's part of a project: its hazardous area, and the work it needs there."""

    district: str
    hazardous_m2: float
    m2_per_team_day: float | None
    productivity_source: ProductivitySource
    team_days_per_week: float

    @property
    def effort_team_days(self) -> float | None:
        if self.m2_per_team_day is None:
            return None
        return self.hazardous_m2 / self.m2_per_team_day

    @property
    def days(self) -> float | None:
        """Calendar days to clear it with the district's current teams; ``None``: never."""
        effort = self.effort_team_days
        if effort is None or self.team_days_per_week <= 0:
            return None
        return effort / (self.team_days_per_week / DAYS_PER_WEEK)


class ClearStatus(StrEnum):
    NO_KNOWN_HAZARD = "no_known_hazard"
    ESTIMATED = "estimated"
    NO_PRODUCTIVITY = "no_productivity"
    NO_TEAMS = "no_teams"


@dataclass(frozen=True)
class ProjectAssessment:
    project: DevelopmentProject
    as_of: date
    footprint_m2: float
    hazards: tuple[HazardInFootprint, ...]
    efforts: tuple[DistrictEffort, ...]
    devices_nearby: int
    finds_nearby: int
    accidents_nearby: int
    records: tuple[str, ...]

    def _area(self, classification: HazardClassification) -> float:
        return sum(h.hazardous_m2 for h in self.hazards if h.classification is classification)

    @property
    def sha_m2(self) -> float:
        return self._area(HazardClassification.SHA)

    @property
    def cha_m2(self) -> float:
        return self._area(HazardClassification.CHA)

    @property
    def hazardous_m2(self) -> float:
        return self.sha_m2 + self.cha_m2

    @property
    def effort_team_days(self) -> float | None:
        efforts = [e.effort_team_days for e in self.efforts]
        if any(e is None for e in efforts):
            return None
        return sum(e for e in efforts if e is not None)

    @property
    def clear_status(self) -> ClearStatus:
        if not self.efforts:
            return ClearStatus.NO_KNOWN_HAZARD
        if any(e.m2_per_team_day is None for e in self.efforts):
            return ClearStatus.NO_PRODUCTIVITY
        if any(e.days is None for e in self.efforts):
            return ClearStatus.NO_TEAMS
        return ClearStatus.ESTIMATED

    @property
    def clear_by(self) -> date | None:
        """The earliest day the footprint could be clear; ``None`` when it never would be."""
        status = self.clear_status
        if status is ClearStatus.NO_KNOWN_HAZARD:
            return self.as_of
        if status is not ClearStatus.ESTIMATED:
            return None
        longest = max(e.days or 0.0 for e in self.efforts)
        # Rounded first: 22.000000001 days of work (a float's noise) is 22 days, not 23.
        return self.as_of + timedelta(days=math.ceil(round(longest, 6)))


def assess_projects(
    inputs: ProjectInputs, tasking: Tasking, as_of: date, distance_m: float = DEFAULT_DISTANCE_M
) -> list[ProjectAssessment]:
    """Every project of ``inputs`` assessed on ``as_of`` (see the module docstring)."""
    if distance_m < 0:
        raise ValueError(_("the distance must not be negative"))
    hazard_shapes = ShapeIndex([h.geometry for h in inputs.hazards if h.geometry is not None])
    record_shapes = ShapeIndex([geometry for _, geometry in inputs.records])
    find_index, accident_index = inputs.finds.index(), inputs.accidents.index()
    assessed = []
    for project in inputs.projects:
        footprint = footprint_of(project)
        hazards = []
        for position, overlap in hazard_shapes.overlap_m2(footprint).items():
            hazard = inputs.hazards[position]
            status = hazard.status_on(as_of)
            if status is None or overlap < MIN_OVERLAP_M2:
                continue
            hazards.append(
                HazardInFootprint(
                    hazard.key,
                    hazard.district,
                    hazard.classification,
                    status,
                    overlap,
                    hazard.remaining_share_on(as_of),
                )
            )
        finds = inputs.finds.near(find_index, footprint, distance_m)
        accidents = inputs.accidents.near(accident_index, footprint, distance_m)
        assessed.append(
            ProjectAssessment(
                project=project,
                as_of=as_of,
                footprint_m2=footprint.area_m2,
                hazards=tuple(sorted(hazards, key=lambda h: h.key)),
                efforts=_efforts(hazards, tasking),
                devices_nearby=int(inputs.finds.weight[finds].sum()),
                finds_nearby=len(finds),
                accidents_nearby=len(accidents),
                records=tuple(inputs.records[i][0] for i in record_shapes.intersecting(footprint)),
            )
        )
    return assessed


def _efforts(hazards: list[HazardInFootprint], tasking: Tasking) -> tuple[DistrictEffort, ...]:
    by_district: dict[str, float] = defaultdict(float)
    for hazard in hazards:
        if hazard.hazardous_m2 > 0:
            by_district[hazard.district] += hazard.hazardous_m2
    efforts = []
    for district in sorted(by_district):
        rate, source = tasking.productivity(district)
        efforts.append(
            DistrictEffort(
                district, by_district[district], rate, source, tasking.team_days_per_week(district)
            )
        )
    return tuple(efforts)
