"""Everything the land-release report shows: land released in a period by method and
district, step by step, the hazardous area remaining at its start and end, efficiency
figures and the hazards' status for the map."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shapely.geometry.base import BaseGeometry

from demine.analysis.landrelease.ledger import RemainingArea, remaining_by_district
from demine.analysis.landrelease.read import (
    Register,
    clearance_work,
    load_ledgers,
    load_register,
    released_by_day,
    released_by_district,
)
from demine.analysis.landrelease.released import (
    Efficiency,
    Released,
    clearance_efficiency,
    hectares,
)
from demine.domain.periods import Period, PeriodKind, month, week_of
from demine.domain.vocab import HazardClassification, HazardStatus
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader

#: Periods up to this many weeks are charted week by week; longer ones by month.
WEEKLY_STEPS_UP_TO = 26


def remaining_json(area: RemainingArea) -> dict[str, Any]:
    return {
        "remaining_sha_hectares": hectares(area.sha_m2),
        "remaining_cha_hectares": hectares(area.cha_m2),
        "remaining_hectares": hectares(area.total_m2),
        "hazards_open": area.open,
        "hazards_worked_on": area.worked_on,
        "hazards_closed": area.closed,
    }


@dataclass(frozen=True)
class HazardOnMap:
    """A hazard as the map draws it: its shape, class and status at the period's end."""

    geometry: BaseGeometry
    classification: HazardClassification
    status: HazardStatus


@dataclass
class LandReleaseFigures:
    country: str
    country_name: str
    period: Period
    district: str | None
    names: Mapping[str, str]
    released: Released
    by_district: dict[str, Released]
    steps: list[tuple[Period, Released]]
    efficiency: Efficiency
    remaining_start: RemainingArea
    remaining_end: RemainingArea
    remaining_by_district: dict[str, tuple[RemainingArea, RemainingArea]]
    hazards: list[HazardOnMap]
    districts: list[tuple[str, BaseGeometry]]

    def to_json(self) -> dict[str, Any]:
        """Hectares (4 decimals) and ISO dates; ``hectares_cleared`` is the summary's."""
        day_before = self.period.start - timedelta(days=1)
        return {
            "country": self.country,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "district_filter": self.names.get(self.district or "", None),
            **self.released.to_json(),
            "efficiency": self.efficiency.to_json(),
            "remaining_at_start": {
                "day": day_before.isoformat(),
                **remaining_json(self.remaining_start),
            },
            "remaining_at_end": {
                "day": self.period.end.isoformat(),
                **remaining_json(self.remaining_end),
            },
            "steps": [
                {
                    "period": step.label,
                    "period_start": step.start.isoformat(),
                    "period_end": step.end.isoformat(),
                    **released.to_json(),
                }
                for step, released in self.steps
            ],
            "by_district": [
                {
                    "district": self.names.get(code, code),
                    "code": code,
                    **self.by_district.get(code, Released()).to_json(),
                    "remaining_hectares_at_start": hectares(start.total_m2),
                    **remaining_json(end),
                }
                for code, (start, end) in self.remaining_by_district.items()
            ],
        }


def _steps(period: Period) -> list[Period]:
    """The weeks (or, for long periods, months) of ``period``, clipped to it."""
    steps: list[Period] = []
    weekly = period.days <= WEEKLY_STEPS_UP_TO * 7
    current = week_of(period.start) if weekly else month(period.start.year, period.start.month)
    while current.start <= period.end:
        kind = (
            current.kind
            if current.start >= period.start and current.end <= period.end
            else PeriodKind.CUSTOM
        )
        steps.append(Period(max(current.start, period.start), min(current.end, period.end), kind))
        following = current.end + timedelta(days=1)
        current = week_of(following) if weekly else month(following.year, following.month)
    return steps


def _released_by_step(
    period: Period, releases: Iterable[tuple[date, float, float, float]]
) -> list[tuple[Period, Released]]:
    """``releases`` (end day, cancelled, reduced, cleared) added up by step of ``period``."""
    steps = _steps(period)
    totals = [Released() for _step in steps]
    ends = [step.end for step in steps]
    for end_date, cancelled, reduced, cleared in releases:
        index = next(i for i, last in enumerate(ends) if end_date <= last)
        totals[index].add(cancelled, reduced, cleared)
    return list(zip(steps, totals, strict=True))


def land_release_figures(
    reader: RegisterReader,
    start: date,
    end: date,
    district: str | None = None,
    register: Register | None = None,
) -> LandReleaseFigures:
    """The land-release figures of the reader's country (or one district) over
    ``start..end``, counting live records only."""
    if end < start:
        raise InvalidRequestError(
            _("the period ends ({end}) before it starts ({start})").format(end=end, start=start)
        )
    register = register or load_register(reader)
    code = register.district_code(district)
    district_id = register.refs.areas.id_of(code)
    period = Period(start, end)
    code_of = register.refs.areas.key_by_id
    by_district = released_by_district(reader, start, end, code_of, district_id)
    total = Released()
    for released in by_district.values():
        total.add(
            released.cancelled_m2, released.reduced_m2, released.cleared_m2, released.activities
        )
    ledgers = [h for h in load_ledgers(reader, register) if code is None or h.district == code]
    day_before = start - timedelta(days=1)
    remaining_start, start_by_district = remaining_by_district(ledgers, day_before)
    remaining_end, end_by_district = remaining_by_district(ledgers, end)
    codes = set(by_district) | set(end_by_district)
    ordered = register.places.in_reporting_order(c for c in codes if c in register.places.areas)
    hazards = [
        HazardOnMap(h.geometry, h.classification, status)
        for h in ledgers
        if h.geometry is not None and (status := h.status_on(end)) is not None
    ]
    return LandReleaseFigures(
        country=register.country,
        country_name=register.country_name,
        period=period,
        district=code,
        names=register.names,
        released=total,
        by_district={c: by_district[c] for c in ordered if c in by_district},
        steps=_released_by_step(period, released_by_day(reader, start, end, district_id)),
        efficiency=clearance_efficiency(clearance_work(reader, start, end, district_id), total),
        remaining_start=remaining_start,
        remaining_end=remaining_end,
        remaining_by_district={
            c: (start_by_district.get(c, RemainingArea()), end_by_district.get(c, RemainingArea()))
            for c in ordered
        },
        hazards=hazards,
        districts=[
            (name, area.geometry)
            for name, area in register.district_geometries(code)
            if area.geometry is not None
        ],
    )
