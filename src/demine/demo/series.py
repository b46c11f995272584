"""Weekly national totals for 2021-W01 to 2025-W52: published where known, else synthetic.

Synthetic weeks follow a trend drawn through ANAMA's published figures (few hectares
and many finds in 2021; 800–1,900 ha a week by 2024–2025) with seeded random noise.
In months whose totals were published, synthetic weeks are scaled towards them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from demine.demo.published import PUBLISHED_MONTHS, PublishedWeek, published_week

FIRST_MONDAY = date.fromisocalendar(2021, 1, 1)
LAST_MONDAY = date.fromisocalendar(2025, 52, 1)

#: Typical weekly values (hectares, AP, AT, UXO) at dates through the period; weeks in
#: between are interpolated on a log scale. Drawn by eye through the published figures.
_TREND: tuple[tuple[date, float, float, float, float], ...] = (
    (date(2021, 1, 4), 40, 70, 30, 260),
    (date(2021, 4, 15), 70, 85, 35, 255),
    (date(2021, 7, 15), 160, 125, 20, 145),
    (date(2021, 8, 15), 140, 105, 16, 115),
    (date(2021, 12, 15), 260, 90, 25, 220),
    (date(2022, 6, 15), 450, 80, 25, 300),
    (date(2022, 12, 15), 600, 70, 25, 350),
    (date(2023, 6, 15), 850, 60, 25, 450),
    (date(2023, 10, 15), 1500, 90, 200, 1500),
    (date(2023, 12, 15), 900, 40, 30, 500),
    (date(2024, 6, 15), 1100, 45, 35, 600),
    (date(2025, 6, 15), 1450, 70, 30, 550),
    (date(2025, 12, 28), 1100, 50, 20, 500),
)

#: Spread of the week-to-week noise (log scale) for hectares, AP, AT and UXO.
_NOISE_SIGMA = np.array([0.18, 0.45, 0.5, 0.4])

#: Less land is cleared in winter (snow in Kalbajar and Lachin, short days).
_SEASON = {1: 0.8, 2: 0.85, 3: 0.95, 12: 0.9}

#: Devices are counted on working days, Monday to Saturday.
_WORKING_DAYS = 6


@dataclass(frozen=True)
class WeeklyTotals:
    """One ISO week's national totals: devices found and area cleared."""

    week_start: date
    ap_mines: int
    at_mines: int
    uxo: int
    area_cleared_m2: int
    published: bool = False
    #: Where the devices were found, when a bulletin says so.
    districts_with_finds: tuple[str, ...] | None = None

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def label(self) -> str:
        """``2024W27``: the ISO year and week, used in external ids."""
        year, week, _ = self.week_start.isocalendar()
        return f"{year}W{week:02d}"


def iso_week_starts() -> list[date]:
    """The Monday of every ISO week from 2021-W01 to 2025-W52."""
    count = (LAST_MONDAY - FIRST_MONDAY).days // 7 + 1
    return [FIRST_MONDAY + timedelta(weeks=i) for i in range(count)]


def _trend(mondays: list[date]) -> np.ndarray:
    """Typical (hectares, AP, AT, UXO) for each week: a ``(weeks, 4)`` array."""
    days = np.array([m.toordinal() for m in mondays], dtype=float)
    anchor_days = np.array([row[0].toordinal() for row in _TREND], dtype=float)
    anchors = np.log(np.array([row[1:] for row in _TREND], dtype=float))
    columns = [np.interp(days, anchor_days, anchors[:, k]) for k in range(4)]
    trend: np.ndarray = np.exp(np.column_stack(columns))
    season = np.array([_SEASON.get((m + timedelta(days=6)).month, 1.0) for m in mondays])
    trend[:, 0] *= season
    return trend


def _scale_hectares(mondays: list[date], values: np.ndarray, fixed: np.ndarray) -> None:
    """Scale free weeks so each published month's hectares add up (week = its Sunday's)."""
    for month in PUBLISHED_MONTHS:
        in_month = np.array(
            [
                (s.year, s.month) == (month.year, month.month)
                for s in (m + timedelta(days=6) for m in mondays)
            ]
        )
        free = in_month & ~fixed
        remaining = month.hectares - values[in_month & fixed, 0].sum()
        # A published week larger than its month would make the rest negative: keep a
        # small positive remainder instead.
        values[free, 0] *= max(remaining, 0.05 * month.hectares) / values[free, 0].sum()


def _scale_finds(mondays: list[date], values: np.ndarray, fixed: np.ndarray) -> None:
    """Scale free weeks so each published month's finds add up, pro rata by working day."""
    weights: dict[tuple[int, int], np.ndarray] = defaultdict(lambda: np.zeros(len(mondays)))
    for i, monday in enumerate(mondays):
        for offset in range(_WORKING_DAYS):
            day = monday + timedelta(days=offset)
            weights[(day.year, day.month)][i] += 1 / _WORKING_DAYS
    factors = np.ones((len(mondays), 3))
    for month in PUBLISHED_MONTHS:
        share = weights[(month.year, month.month)]
        targets = np.array([month.ap_mines, month.at_mines, month.uxo], dtype=float)
        fixed_part = (share[fixed, None] * values[fixed, 1:]).sum(axis=0)
        free_part = (share[~fixed, None] * values[~fixed, 1:]).sum(axis=0)
        scale = np.maximum(targets - fixed_part, 0.05 * targets) / free_part
        # A week spanning two months gets each month's factor for its days in that month.
        factors += share[:, None] * (scale - 1.0)
    values[~fixed, 1:] *= factors[~fixed]


def weekly_series(seed: int) -> tuple[WeeklyTotals, ...]:
    """National totals for every week, published figures exact, the rest seeded noise."""
    mondays = iso_week_starts()
    rng = np.random.default_rng([seed, 1])
    noise = np.exp(rng.normal(0.0, 1.0, size=(len(mondays), 4)) * _NOISE_SIGMA)
    values = _trend(mondays) * noise
    published: list[PublishedWeek | None] = [published_week(m) for m in mondays]
    fixed = np.array([p is not None for p in published])
    for i, week in enumerate(published):
        if week is not None:
            values[i] = (week.hectares, week.ap_mines, week.at_mines, week.uxo)
    _scale_hectares(mondays, values, fixed)
    _scale_finds(mondays, values, fixed)
    series: list[WeeklyTotals] = []
    for monday, week, row in zip(mondays, published, values, strict=True):
        if week is not None:
            series.append(
                WeeklyTotals(
                    monday,
                    week.ap_mines,
                    week.at_mines,
                    week.uxo,
                    week.area_cleared_m2,
                    published=True,
                    districts_with_finds=week.districts_with_finds,
                )
            )
            continue
        # Synthetic hectares to one decimal, as bulletins give them: whole 1,000 m².
        tenths_of_hectare = max(1, round(float(row[0]) * 10))
        series.append(
            WeeklyTotals(
                monday,
                round(float(row[1])),
                round(float(row[2])),
                round(float(row[3])),
                tenths_of_hectare * 1_000,
            )
        )
    return tuple(series)
