"""Completion forecasts: when each district's known hazardous area will be released.

The remaining area on the as-of day comes from the land-release ledger; the rate is
the mean weekly release of the last weeks, with a band from the 10th and 90th
percentiles of the weekly rates. A scenario adds (or removes) teams: the rates are
scaled by (teams + N) / teams, where teams is the average number at work per week in
the window; added teams are shared between districts as the current ones are, so every
district's rate scales by the same factor. Unknown contamination is not in any figure:
the evidence of it is reported beside the forecast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from demine.analysis.forecast.completion import Completion
from demine.analysis.forecast.rates import (
    DEFAULT_WEEKS,
    HIGH_PERCENTILE,
    LOW_PERCENTILE,
    TEAM_DAYS_PER_TEAM_WEEK,
    WeeklyRates,
    weekly_rates,
    window_weeks,
)
from demine.analysis.forecast.read import weekly_releases
from demine.analysis.forecast.unknown import UnknownContamination, unknown_contamination
from demine.analysis.landrelease.ledger import HazardLedger, RemainingArea, remaining_by_district
from demine.analysis.landrelease.read import Register, load_ledgers, load_register
from demine.analysis.landrelease.released import hectares
from demine.domain.periods import Period
from demine.errors import InvalidRequestError
from demine.i18n import N_, _
from demine.store.reader import RegisterReader

#: Said in every output, in words people read (see the report) and in the JSON.
NOT_IN_FORECAST = N_(
    "Unknown contamination (ordnance outside recorded hazard areas) is not in this forecast."
)


@dataclass(frozen=True)
class ScopeForecast:
    """One district's (or the country's) forecast: remaining area, rates, dates."""

    code: str | None
    remaining: RemainingArea
    remaining_at_window_start_m2: float
    rates: WeeklyRates
    current: Completion
    scenario: Completion | None

    def to_json(self, names: Mapping[str, str]) -> dict[str, Any]:
        place = {} if self.code is None else {"district": names.get(self.code, self.code)}
        return {
            **place,
            **({"code": self.code} if self.code is not None else {}),
            "remaining_hectares": hectares(self.remaining.total_m2),
            "remaining_sha_hectares": hectares(self.remaining.sha_m2),
            "remaining_cha_hectares": hectares(self.remaining.cha_m2),
            "known_area_change_hectares": hectares(
                self.remaining.total_m2 - self.remaining_at_window_start_m2
            ),
            "released_hectares_in_window": hectares(self.rates.total_m2),
            "teams": round(self.rates.teams, 2),
            **self.current.to_json(),
            "scenario": None if self.scenario is None else self.scenario.to_json(),
        }


@dataclass
class Forecast:
    country: str
    country_name: str
    as_of: date
    weeks: list[Period]
    district: str | None
    teams_change: int
    #: (teams + N) / teams for the scope, ``None`` when no team worked in the window.
    factor: float | None
    total: ScopeForecast
    districts: list[ScopeForecast]
    unknown: UnknownContamination
    names: Mapping[str, str]
    #: Remaining known area (m²) in the scope at the end of each week of the window.
    history: list[tuple[date, float]]

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "as_of": self.as_of.isoformat(),
            "district_filter": self.names.get(self.district or "", None),
            "weeks": len(self.weeks),
            "window_start": self.weeks[0].start.isoformat(),
            "window_end": self.weeks[-1].end.isoformat(),
            "band": f"{LOW_PERCENTILE:g}th-{HIGH_PERCENTILE:g}th percentile of weekly rates",
            "team_days_per_team_week": TEAM_DAYS_PER_TEAM_WEEK,
            "teams_change": self.teams_change,
            "scenario_factor": None if self.factor is None else round(self.factor, 4),
            "excludes_unknown_contamination": True,
            "note": NOT_IN_FORECAST,
            "total": self.total.to_json(self.names),
            "districts": [d.to_json(self.names) for d in self.districts],
            "weekly": [
                {
                    "week": week.label,
                    "period_start": week.start.isoformat(),
                    "period_end": week.end.isoformat(),
                    "released_hectares": hectares(float(released)),
                    "team_days": round(float(days), 2),
                }
                for week, released, days in zip(
                    self.weeks,
                    self.total.rates.released_m2,
                    self.total.rates.team_days,
                    strict=True,
                )
            ],
            "remaining_history": [
                {"day": day.isoformat(), "remaining_hectares": hectares(m2)}
                for day, m2 in self.history
            ],
            "unknown_contamination": self.unknown.to_json(self.names),
        }


def _scope(
    code: str | None,
    remaining: RemainingArea,
    at_start: float,
    rates: WeeklyRates,
    as_of: date,
    factor: float | None,
    teams_change: int,
) -> ScopeForecast:
    current = Completion(as_of, remaining.total_m2, rates.mean_m2, rates.low_m2, rates.high_m2)
    scenario = None if teams_change == 0 or factor is None else current.scaled(factor)
    return ScopeForecast(code, remaining, at_start, rates, current, scenario)


def _factor(teams: float, change: int) -> float | None:
    if teams <= 0:
        return None
    if teams + change < 0:
        raise InvalidRequestError(
            _("--teams {change}: only {teams} teams a week worked in the window").format(
                change=change, teams=f"{teams:.1f}"
            )
        )
    return (teams + change) / teams


def forecast_completion(
    reader: RegisterReader,
    as_of: date,
    district: str | None = None,
    weeks: int = DEFAULT_WEEKS,
    teams_change: int = 0,
    register: Register | None = None,
) -> Forecast:
    """The completion forecast of the reader's country (or one district) on ``as_of``,
    from live records only."""
    if weeks < 1:
        raise InvalidRequestError(_("--weeks must be at least 1"))
    register = register or load_register(reader)
    code = register.district_code(district)
    window = window_weeks(as_of, weeks)
    ledgers: list[HazardLedger] = [
        h for h in load_ledgers(reader, register) if code is None or h.district == code
    ]
    rates = weekly_rates(weekly_releases(reader, register, window), window)
    if code is not None:
        rates = {c: r for c, r in rates.items() if c == code}
    total_now, now_by_district = remaining_by_district(ledgers, as_of)
    # The area known just before the window opened: releases on its first day count in it.
    start_day = window[0].start - timedelta(days=1)
    total_start, start_by_district = remaining_by_district(ledgers, start_day)
    total_rates = WeeklyRates.empty(window)
    for district_rates in rates.values():
        total_rates = total_rates.plus(district_rates)
    factor = _factor(total_rates.teams, teams_change)
    codes = {c for c, area in now_by_district.items() if area.total_m2 > 0} | set(rates)
    ordered = register.places.in_reporting_order(c for c in codes if c in register.places.areas)
    districts = [
        _scope(
            c,
            now_by_district.get(c, RemainingArea()),
            start_by_district.get(c, RemainingArea()).total_m2,
            rates.get(c, WeeklyRates.empty(window)),
            as_of,
            factor,
            teams_change,
        )
        for c in ordered
    ]
    history = [(week.end, remaining_by_district(ledgers, week.end)[0].total_m2) for week in window]
    return Forecast(
        country=register.country,
        country_name=register.country_name,
        as_of=as_of,
        weeks=window,
        district=code,
        teams_change=teams_change,
        factor=factor,
        total=_scope(
            code, total_now, total_start.total_m2, total_rates, as_of, factor, teams_change
        ),
        districts=districts,
        unknown=unknown_contamination(reader, register, as_of, code),
        names=register.names,
        history=history,
    )
