"""National totals ANAMA has published, which the demo series reproduces.

Weekly figures are reproduced exactly; monthly figures are followed approximately
(the synthetic weeks of those months are scaled towards them). Districts are given by
code where a bulletin lists the districts in which devices were found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from demine.domain.entities import SQUARE_METRES_PER_HECTARE, ReportedSummary

SOURCE_NOTE = "published ANAMA figures as reported in news items (see data/bulletins)"
AUTHORITY = "ANAMA"
COUNTRY = "AZ"


@dataclass(frozen=True)
class PublishedWeek:
    """One week's national totals as published (Monday to Sunday)."""

    start: date
    ap_mines: int
    at_mines: int
    uxo: int
    hectares: float
    #: Codes of the districts where devices were found, when the bulletin lists them.
    districts_with_finds: tuple[str, ...] | None = None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def area_cleared_m2(self) -> int:
        # Bulletins give hectares to one decimal, so this is a whole number of m².
        return round(self.hectares * SQUARE_METRES_PER_HECTARE)


@dataclass(frozen=True)
class PublishedMonth:
    """One calendar month's national totals as published."""

    year: int
    month: int
    ap_mines: int
    at_mines: int
    uxo: int
    hectares: float

    @property
    def area_cleared_m2(self) -> int:
        return round(self.hectares * SQUARE_METRES_PER_HECTARE)


#: The districts of the 1–7 July 2024 bulletin: every district but Goranboy.
_JULY_2024_DISTRICTS = (
    "AZ-TAR",
    "AZ-AGD",
    "AZ-AGR",
    "AZ-LAC",
    "AZ-FUZ",
    "AZ-SHU",
    "AZ-KHJ",
    "AZ-KHN",
    "AZ-KAL",
    "AZ-KHV",
    "AZ-JAB",
    "AZ-GUB",
    "AZ-ZAN",
)

PUBLISHED_WEEKS: tuple[PublishedWeek, ...] = (
    PublishedWeek(date(2023, 10, 9), 496, 85, 1732, 631.0),
    PublishedWeek(date(2023, 12, 11), 22, 17, 234, 325.6),
    PublishedWeek(date(2024, 7, 1), 28, 107, 830, 1039.5, _JULY_2024_DISTRICTS),
    PublishedWeek(date(2025, 4, 7), 86, 12, 224, 1245.5),
    PublishedWeek(date(2025, 4, 21), 35, 36, 574, 1925.4),
    PublishedWeek(date(2025, 5, 5), 45, 32, 274, 1315.7),
    PublishedWeek(date(2025, 8, 4), 95, 48, 977, 1504.0),
    PublishedWeek(date(2025, 8, 11), 153, 30, 673, 1362.7),
    PublishedWeek(date(2025, 12, 8), 42, 18, 683, 838.2),
)

PUBLISHED_MONTHS: tuple[PublishedMonth, ...] = (
    PublishedMonth(2021, 4, 364, 148, 1098, 285.0),
    PublishedMonth(2021, 7, 545, 85, 625, 677.0),
    PublishedMonth(2021, 8, 455, 70, 503, 634.0),
    PublishedMonth(2023, 10, 767, 928, 8537, 6687.0),
    PublishedMonth(2023, 11, 228, 247, 4106, 7143.0),
)


def published_week(start: date) -> PublishedWeek | None:
    """The published figures of the week starting on ``start``, if any."""
    for week in PUBLISHED_WEEKS:
        if week.start == start:
            return week
    return None


def published_summaries() -> tuple[ReportedSummary, ...]:
    """The published weeks as reported summaries, for comparing records with sources.

    Not part of the demo register itself: its records already add up to these
    figures, and storing both would invite double counting.
    """
    return tuple(
        ReportedSummary(
            external_id=f"AZ-PUB-{week.start.isoformat()}",
            country=COUNTRY,
            authority=AUTHORITY,
            period_start=week.start,
            period_end=week.end,
            ap_mines=week.ap_mines,
            at_mines=week.at_mines,
            uxo=week.uxo,
            area_cleared_m2=float(week.area_cleared_m2),
            source_reference=SOURCE_NOTE,
        )
        for week in PUBLISHED_WEEKS
    )
