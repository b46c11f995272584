"""Weekly land-release rates over the last weeks, by district and nationally.

A week's rate is the land (cancelled, reduced and cleared) released by activities that
ended in that ISO week, as in the bulletins. The window is the ``weeks`` whole ISO weeks
that end on or before the as-of day. Teams are counted from the team-days activities
report: a team working a six-day week gives six team-days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from demine.analysis.forecast.defaults import DEFAULT_WEEKS as DEFAULT_WEEKS
from demine.domain.periods import Period, week_of
from demine.i18n import _

#: The team-days one team gives in a week (teams work six days a week).
TEAM_DAYS_PER_TEAM_WEEK = 6.0
#: The band around the mean rate: these percentiles of the weekly rates.
LOW_PERCENTILE = 10.0
HIGH_PERCENTILE = 90.0


def window_weeks(as_of: date, weeks: int) -> list[Period]:
    """The ``weeks`` ISO weeks ending on or before ``as_of``, oldest first."""
    if weeks < 1:
        raise ValueError(_("the window must hold at least one week"))
    current = week_of(as_of)
    if current.end > as_of:
        current = week_of(current.start - timedelta(days=1))
    return current.preceding(weeks)


@dataclass(frozen=True)
class WeeklyRates:
    """Land released (m²) and team-days reported in each week of the window."""

    weeks: tuple[Period, ...]
    released_m2: np.ndarray
    team_days: np.ndarray

    @classmethod
    def empty(cls, weeks: list[Period]) -> WeeklyRates:
        return cls(tuple(weeks), np.zeros(len(weeks)), np.zeros(len(weeks)))

    def plus(self, other: WeeklyRates) -> WeeklyRates:
        return WeeklyRates(
            self.weeks, self.released_m2 + other.released_m2, self.team_days + other.team_days
        )

    @property
    def mean_m2(self) -> float:
        return float(self.released_m2.mean()) if len(self.weeks) else 0.0

    @property
    def low_m2(self) -> float:
        return float(np.percentile(self.released_m2, LOW_PERCENTILE)) if len(self.weeks) else 0.0

    @property
    def high_m2(self) -> float:
        return float(np.percentile(self.released_m2, HIGH_PERCENTILE)) if len(self.weeks) else 0.0

    @property
    def total_m2(self) -> float:
        return float(self.released_m2.sum())

    @property
    def teams(self) -> float:
        """Average teams at work per week in the window."""
        if not len(self.weeks):
            return 0.0
        return float(self.team_days.mean()) / TEAM_DAYS_PER_TEAM_WEEK


def weekly_rates(
    releases: Iterable[tuple[str, date, float, float]], weeks: list[Period]
) -> dict[str, WeeklyRates]:
    """Each district's weekly rates over ``weeks`` from ``releases`` (district code, end
    day, m² released, team-days), all ending within ``weeks``; districts with no release
    are left out."""
    index_of = {week.start: number for number, week in enumerate(weeks)}
    released: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(weeks)))
    team_days: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(weeks)))
    for code, end_date, area, days in releases:
        number = index_of[week_of(end_date).start]
        released[code][number] += area
        team_days[code][number] += days
    return {code: WeeklyRates(tuple(weeks), released[code], team_days[code]) for code in released}
