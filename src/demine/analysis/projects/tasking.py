"""Clearance productivity and current tasking, measured over the recent months.

Productivity is the area cleared per team-day by clearance activities (clearance and
battle-area clearance) that ended in the window and report their team-days. Current
tasking is how many clearance team-days a district has been getting per week over the
same window. Both are measured by district and nationally; a district where no
clearance team-days were reported borrows the national productivity (and says so),
but never national teams: if no team worked there, nothing will be cleared there at
current tasking.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from demine.analysis.projects.defaults import DEFAULT_WINDOW_MONTHS as DEFAULT_WINDOW_MONTHS
from demine.domain.places import PlaceIndex

DAYS_PER_WEEK = 7


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month_number = divmod(index, 12)
    last = calendar.monthrange(year, month_number + 1)[1]
    return date(year, month_number + 1, min(day.day, last))


class ProductivitySource(StrEnum):
    DISTRICT = "district"
    NATIONAL = "national"
    NONE = "none"


@dataclass
class Productivity:
    """Clearance in the window: area cleared and team-days reported (timed activities)."""

    cleared_m2: float = 0.0
    team_days: float = 0.0

    @property
    def m2_per_team_day(self) -> float | None:
        return self.cleared_m2 / self.team_days if self.team_days > 0 else None


@dataclass
class Tasking:
    """Productivity and tasking in the window ``(start, end]``, by district and national."""

    start: date
    end: date
    months: int
    national: Productivity = field(default_factory=Productivity)
    by_district: dict[str, Productivity] = field(default_factory=dict)

    @property
    def weeks(self) -> float:
        return (self.end - self.start).days / DAYS_PER_WEEK

    def team_days_per_week(self, district: str | None = None) -> float:
        """Clearance team-days per week in ``district`` (nationally when ``None``)."""
        measured = self.national if district is None else self.by_district.get(district)
        if measured is None or self.weeks <= 0:
            return 0.0
        return measured.team_days / self.weeks

    def productivity(self, district: str) -> tuple[float | None, ProductivitySource]:
        """m² cleared per team-day in ``district``, or nationally when it has none."""
        own = self.by_district.get(district)
        if own is not None and own.m2_per_team_day is not None:
            return own.m2_per_team_day, ProductivitySource.DISTRICT
        if self.national.m2_per_team_day is not None:
            return self.national.m2_per_team_day, ProductivitySource.NATIONAL
        return None, ProductivitySource.NONE

    def to_json(self, names: Mapping[str, str]) -> dict[str, Any]:
        def figures(measured: Productivity, district: str | None) -> dict[str, Any]:
            rate = measured.m2_per_team_day
            return {
                "cleared_m2": round(measured.cleared_m2, 1),
                "team_days": round(measured.team_days, 2),
                "cleared_m2_per_team_day": None if rate is None else round(rate, 2),
                "team_days_per_week": round(self.team_days_per_week(district), 2),
            }

        return {
            "window_start": self.start.isoformat(),
            "window_end": self.end.isoformat(),
            "window_months": self.months,
            "national": figures(self.national, None),
            "by_district": [
                {"district": names.get(code, code), "code": code, **figures(measured, code)}
                for code, measured in self.by_district.items()
            ],
        }


def measure_tasking(
    measured: dict[str, Productivity], places: PlaceIndex, start: date, end: date, months: int
) -> Tasking:
    """Productivity and tasking in the window ``(start, end]`` from what each district's
    clearance activities ending in it cleared (``measured``, by district code)."""
    tasking = Tasking(start, end, months)
    for district in measured.values():
        tasking.national.cleared_m2 += district.cleared_m2
        tasking.national.team_days += district.team_days
    ordered = places.in_reporting_order(c for c in measured if c in places.areas)
    tasking.by_district = {code: measured[code] for code in ordered}
    return tasking
