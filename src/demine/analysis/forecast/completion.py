"""When the known hazardous area will be released, at a weekly rate, with a band.

Weeks needed = remaining area ÷ mean weekly rate; the date is the as-of day plus those
weeks. The band comes from the spread of the weekly rates: the earliest date from the
90th percentile of weekly rates, the latest from the 10th (none when a tenth of the
weeks released nothing). A date more than a century away is reported as beyond reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from demine.analysis.landrelease.released import hectares

HORIZON_YEARS = 100
_HORIZON_DAYS = HORIZON_YEARS * 365


class CompletionStatus(StrEnum):
    #: No known hazardous area remains.
    RELEASED = "released"
    FORECAST = "forecast"
    #: Nothing was released in the window: at this rate it is never finished.
    NO_PROGRESS = "no_progress"
    #: More than a century away.
    BEYOND_HORIZON = "beyond_horizon"


def _date_after(as_of: date, remaining_m2: float, rate_m2_per_week: float) -> date | None:
    if rate_m2_per_week <= 0:
        return None
    # Rounded first, so that a float's noise never adds a day.
    days = math.ceil(round(remaining_m2 / rate_m2_per_week * 7, 6))
    return as_of + timedelta(days=days) if days <= _HORIZON_DAYS else None


@dataclass(frozen=True)
class Completion:
    """A forecast for one scope at one rate (and its band)."""

    as_of: date
    remaining_m2: float
    rate_m2: float
    low_rate_m2: float
    high_rate_m2: float

    @property
    def status(self) -> CompletionStatus:
        if self.remaining_m2 <= 0:
            return CompletionStatus.RELEASED
        if self.rate_m2 <= 0:
            return CompletionStatus.NO_PROGRESS
        if self.completion_date is None:
            return CompletionStatus.BEYOND_HORIZON
        return CompletionStatus.FORECAST

    @property
    def weeks_needed(self) -> float | None:
        if self.remaining_m2 <= 0:
            return 0.0
        return self.remaining_m2 / self.rate_m2 if self.rate_m2 > 0 else None

    @property
    def completion_date(self) -> date | None:
        if self.remaining_m2 <= 0:
            return self.as_of
        return _date_after(self.as_of, self.remaining_m2, self.rate_m2)

    @property
    def earliest(self) -> date | None:
        if self.remaining_m2 <= 0:
            return self.as_of
        return _date_after(self.as_of, self.remaining_m2, self.high_rate_m2)

    @property
    def latest(self) -> date | None:
        if self.remaining_m2 <= 0:
            return self.as_of
        return _date_after(self.as_of, self.remaining_m2, self.low_rate_m2)

    def scaled(self, factor: float) -> Completion:
        """The same remaining area at every rate times ``factor`` (more or fewer teams)."""
        return Completion(
            self.as_of,
            self.remaining_m2,
            self.rate_m2 * factor,
            self.low_rate_m2 * factor,
            self.high_rate_m2 * factor,
        )

    def to_json(self) -> dict[str, Any]:
        weeks = self.weeks_needed

        def iso(day: date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "status": self.status.value,
            "rate_hectares_per_week": hectares(self.rate_m2),
            "rate_p10_hectares_per_week": hectares(self.low_rate_m2),
            "rate_p90_hectares_per_week": hectares(self.high_rate_m2),
            "weeks_needed": None if weeks is None else round(weeks, 2),
            "completion_date": iso(self.completion_date),
            "completion_earliest": iso(self.earliest),
            "completion_latest": iso(self.latest),
        }
