"""Reporting periods: ISO weeks, calendar months and years, or any span of days."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """A reporting period: first and last day (inclusive) and what kind of period it is."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """``2024-W27``, ``2024-07``, ``2024`` or ``2024-07-01..2024-07-10``."""
        if self.kind is PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind is PeriodKind.WEEK:
            return week_of(self.start - timedelta(days=7))
        if self.kind is PeriodKind.MONTH:
            before = self.start - timedelta(days=1)
            return month(before.year, before.month)
        if self.kind is PeriodKind.YEAR:
            return year(self.start.year - 1)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def preceding(self, count: int) -> list[Period]:
        """This period and the ``count - 1`` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return list(reversed(periods))


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) containing ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6), PeriodKind.WEEK)


def month(year_number: int, month_number: int) -> Period:
    last = calendar.monthrange(year_number, month_number)[1]
    return Period(
        date(year_number, month_number, 1), date(year_number, month_number, last), PeriodKind.MONTH
    )


def year(year_number: int) -> Period:
    return Period(date(year_number, 1, 1), date(year_number, 12, 31), PeriodKind.YEAR)


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_iso_week(text: str) -> Period:
    """``2024-W27`` → Monday 1 July to Sunday 7 July 2024."""
    match = _ISO_WEEK.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not an ISO week (use YYYY-Www, e.g. 2024-W27)")
    year_number, week_number = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year_number, week_number, 1)
    except ValueError:
        raise ValueError(f"{year_number} has no week {week_number}") from None
    return week_of(monday)


def parse_month(text: str) -> Period:
    """``2024-07`` → the calendar month."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"'{text}' is not a month (use YYYY-MM, e.g. 2024-07)")
    return month(int(match.group(1)), int(match.group(2)))


def weeks_between(start: date, end: date) -> list[Period]:
    """The ISO weeks of ``start..end``, oldest first.

    As in ISO 8601, a week belongs to the span that holds its Thursday, so 2021-01..2021-12
    runs from 2021-W01 to 2021-W52 and leaves out 2020-W53 (28 Dec 2020 to 3 Jan 2021).
    """
    weeks = []
    current = week_of(start)
    while current.start <= end:
        thursday = current.start + timedelta(days=3)
        if start <= thursday <= end:
            weeks.append(current)
        current = week_of(current.end + timedelta(days=1))
    return weeks
