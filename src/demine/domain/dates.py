"""Dates as sources give them: a day, or only a month or a year (never an invented day)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from demine.domain.vocab import DatePrecision


@dataclass(frozen=True)
class EventDate:
    """The interval in which an event happened, as precisely as its source knows it."""

    earliest: date
    latest: date
    precision: DatePrecision

    @classmethod
    def on(cls, day: date) -> EventDate:
        return cls(day, day, DatePrecision.DAY)

    @classmethod
    def in_year(cls, year: int) -> EventDate:
        return cls(date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR)

    @classmethod
    def in_month(cls, year: int, month: int) -> EventDate:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), DatePrecision.MONTH)

    def isoformat(self) -> str:
        """``2024-07-03``, ``2024-07`` or ``2005``, as precise as known."""
        if self.precision is DatePrecision.YEAR:
            return f"{self.earliest.year:04d}"
        if self.precision is DatePrecision.MONTH:
            return f"{self.earliest.year:04d}-{self.earliest.month:02d}"
        return self.earliest.isoformat()


_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


def parse_day(value: object) -> date:
    """A day from an ISO string, ``dd.mm.yyyy`` / ``dd/mm/yyyy``, or a date object."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    try:
        return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def parse_event_date(value: object) -> EventDate:
    """An :class:`EventDate` from a day, ``YYYY-MM`` or ``YYYY``."""
    if isinstance(value, int):
        return EventDate.in_year(value)
    text = str(value).strip()
    if _YEAR.match(text):
        return EventDate.in_year(int(text))
    match = _MONTH.match(text)
    if match:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a month (use YYYY-MM)")
        return EventDate.in_month(int(match.group(1)), month)
    return EventDate.on(parse_day(value))
