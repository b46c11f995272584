"""How much of each hazard area remains on any day: the land-release ledger.

The register records a hazard's estimated area, the activities that released land in
it (each with the day it ended) and dated changes of its status. The area remaining on
day D is computed from those, the same way for every report, project and forecast:

- a hazard recorded after D was not yet known: it counts nothing on D;
- a hazard whose status on D is *closed* counts nothing (its status on D is that of
  its last status change on or before D; a hazard with no recorded change keeps its
  present status throughout; one whose changes all come after D was open);
- a failed quality control of a clearance in it (:mod:`demine.domain.quality`) opens
  it again on the day of the inspection: a status change to *open* whose reason is
  the inspection; before it, a hazard with no recorded change had its present status;
- otherwise it counts its estimated area minus the land (cancelled, reduced and
  cleared) released by activities linked to it that ended on or before D, never below
  zero (a clearance a failed QC reopened released nothing). A hazard without an
  estimated area starts from its recorded remaining area; one with neither (an EOD
  spot task) has no area.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from shapely.geometry.base import BaseGeometry

from demine.domain.vocab import HazardClassification, HazardStatus


@dataclass(frozen=True)
class HazardLedger:
    """One hazard area with its status history and the land released in it, by day."""

    key: str
    district: str
    classification: HazardClassification
    recorded_on: date
    #: The area the accounting starts from (see the module docstring), m².
    baseline_m2: float
    status_now: HazardStatus
    #: Status changes in date order.
    changes: tuple[tuple[date, HazardStatus], ...] = ()
    #: Failed quality controls that reopened it: the day and the inspection.
    reopenings: tuple[tuple[date, str], ...] = ()
    #: Days linked activities ended, in order, and the land released by then (m²).
    release_days: tuple[date, ...] = ()
    released_by_day: tuple[float, ...] = ()
    geometry: BaseGeometry | None = field(default=None, compare=False)

    def status_on(self, day: date) -> HazardStatus | None:
        """The hazard's status on ``day``; ``None`` before it was recorded."""
        if day < self.recorded_on:
            return None
        if not self.changes:
            return self.status_now
        position = bisect.bisect_right([d for d, _ in self.changes], day)
        return self.changes[position - 1][1] if position else HazardStatus.OPEN

    def released_by(self, day: date) -> float:
        """Land released in the hazard by activities that ended on or before ``day`` (m²)."""
        position = bisect.bisect_right(self.release_days, day)
        return self.released_by_day[position - 1] if position else 0.0

    def remaining_on(self, day: date) -> float:
        """The hazardous area still to release on ``day`` (m²); see the module docstring."""
        status = self.status_on(day)
        if status is None or status is HazardStatus.CLOSED:
            return 0.0
        return max(0.0, self.baseline_m2 - self.released_by(day))

    def remaining_share_on(self, day: date) -> float:
        """The share (0–1) of the hazard's area still to release on ``day``."""
        if self.baseline_m2 <= 0:
            return 0.0
        return min(1.0, self.remaining_on(day) / self.baseline_m2)


def ledger(
    key: str,
    district: str,
    classification: HazardClassification,
    recorded_on: date,
    status_now: HazardStatus,
    estimated_m2: float | None,
    recorded_remaining_m2: float | None,
    changes: list[tuple[date, HazardStatus]],
    releases: list[tuple[date, float]],
    geometry: BaseGeometry | None = None,
    reopenings: list[tuple[date, str]] | None = None,
) -> HazardLedger:
    """A hazard's ledger from its record, status changes, reopenings by quality control
    and linked releases (any order)."""
    reopened = sorted(reopenings or [])
    if reopened:
        # Before the first reopening, a hazard without recorded changes had its status.
        base = [] if changes else [(recorded_on, status_now)]
        changes = [*base, *changes, *((day, HazardStatus.OPEN) for day, _ in reopened)]
    baseline = estimated_m2 if estimated_m2 is not None else (recorded_remaining_m2 or 0.0)
    days: list[date] = []
    totals: list[float] = []
    running = 0.0
    for day, released in sorted(releases):
        running += released
        if days and days[-1] == day:
            totals[-1] = running
        else:
            days.append(day)
            totals.append(running)
    return HazardLedger(
        key=key,
        district=district,
        classification=classification,
        recorded_on=recorded_on,
        baseline_m2=float(baseline),
        status_now=status_now,
        changes=tuple(sorted(changes, key=lambda change: change[0])),
        reopenings=tuple(reopened),
        release_days=tuple(days),
        released_by_day=tuple(totals),
        geometry=geometry,
    )


@dataclass
class RemainingArea:
    """Remaining hazardous area by classification, with hazard counts by status (m²)."""

    sha_m2: float = 0.0
    cha_m2: float = 0.0
    open: int = 0
    worked_on: int = 0
    closed: int = 0

    @property
    def total_m2(self) -> float:
        return self.sha_m2 + self.cha_m2

    def add(self, hazard: HazardLedger, day: date) -> None:
        status = hazard.status_on(day)
        if status is None:
            return
        if status is HazardStatus.OPEN:
            self.open += 1
        elif status is HazardStatus.WORKED_ON:
            self.worked_on += 1
        else:
            self.closed += 1
        remaining = hazard.remaining_on(day)
        if hazard.classification is HazardClassification.SHA:
            self.sha_m2 += remaining
        elif hazard.classification is HazardClassification.CHA:
            self.cha_m2 += remaining


def remaining_by_district(
    hazards: list[HazardLedger], day: date
) -> tuple[RemainingArea, dict[str, RemainingArea]]:
    """The remaining area on ``day``, nationally and by district (codes)."""
    total = RemainingArea()
    by_district: dict[str, RemainingArea] = {}
    for hazard in hazards:
        total.add(hazard, day)
        by_district.setdefault(hazard.district, RemainingArea()).add(hazard, day)
    return total, by_district
