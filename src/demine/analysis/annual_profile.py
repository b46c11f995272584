"""The annual profile of a mine action programme, as Article 7 reports and the Landmine
Monitor tabulate it: hazardous areas known at the start and end of the year, land
released during it by method, devices destroyed by type, people reached by risk
education and casualties.

Every figure comes from the code the other reports use, so that they agree: the land
figures from :mod:`demine.analysis.landrelease` (as the land-release report and, for
hectares cleared, the bulletins), devices from the bulletins' find totals, risk
education from :mod:`demine.analysis.eore`, casualties from the casualty statistics.
Only live records count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from demine.analysis.casualties import casualty_statistics
from demine.analysis.casualties.count import ADULT_GROUPS, CHILD, UNKNOWN
from demine.analysis.eore import Reach, reach
from demine.analysis.landrelease.figures import land_release_figures
from demine.analysis.landrelease.ledger import RemainingArea
from demine.analysis.landrelease.released import Released
from demine.domain.periods import Period, year
from demine.domain.places import shown_names
from demine.domain.vocab import EOCategory, Outcome, Sex, VictimCategory
from demine.store.reader import RegisterReader
from demine.store.reads import figures as reads

#: Square metres are given to the centimetre (sums of decimals drift beyond it).
M2_DECIMALS = 2


def _m2(value: float) -> float:
    return round(value, M2_DECIMALS)


@dataclass(frozen=True)
class KnownHazards:
    """Hazardous areas still to release on a day: how many, and their area."""

    day: date
    hazards: int
    sha_m2: float
    cha_m2: float

    @classmethod
    def of(cls, day: date, area: RemainingArea) -> KnownHazards:
        return cls(day, area.open + area.worked_on, area.sha_m2, area.cha_m2)

    @property
    def total_m2(self) -> float:
        return self.sha_m2 + self.cha_m2

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "hazards": self.hazards,
            "area_m2": _m2(self.total_m2),
            "sha_m2": _m2(self.sha_m2),
            "cha_m2": _m2(self.cha_m2),
        }


@dataclass(frozen=True)
class Casualties:
    """Victims of accidents in the year, by outcome, sex, age, category and device."""

    by_outcome: dict[str, int]
    by_sex: dict[str, int]
    by_age: dict[str, int]
    by_category: dict[str, int]
    by_device: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_outcome.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "victims": self.total,
            "by_outcome": self.by_outcome,
            "by_sex": self.by_sex,
            "by_age": self.by_age,
            "by_category": self.by_category,
            "by_device": self.by_device,
        }


@dataclass(frozen=True)
class AnnualProfile:
    country: str
    country_name: str
    period: Period
    known_at_start: KnownHazards
    known_at_end: KnownHazards
    released: Released
    devices: dict[str, int]
    risk_education: Reach
    casualties: Casualties
    #: The country in the reader's language (for the document, not the JSON).
    shown_country_name: str = ""

    def to_json(self) -> dict[str, Any]:
        released = self.released
        return {
            "country": self.country,
            "country_name": self.country_name,
            "year": self.period.start.year,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "hazardous_areas_at_start": self.known_at_start.to_json(),
            "hazardous_areas_at_end": self.known_at_end.to_json(),
            "released": {
                "cancelled_m2": _m2(released.cancelled_m2),
                "reduced_m2": _m2(released.reduced_m2),
                "cleared_m2": _m2(released.cleared_m2),
                "total_m2": _m2(released.total_m2),
                "activities": released.activities,
            },
            "devices_destroyed": {**self.devices, "total": sum(self.devices.values())},
            "risk_education": self.risk_education.to_json(),
            "casualties": self.casualties.to_json(),
        }


def _age(by_age_band: dict[str, int]) -> dict[str, int]:
    """Children (under 18) and adults, from the casualty statistics' age groups."""
    ages: Counter[str] = Counter()
    for band, count in by_age_band.items():
        group = "child" if band == CHILD else "adult" if band in ADULT_GROUPS else UNKNOWN
        ages[group] += count
    return {group: ages[group] for group in ("child", "adult", UNKNOWN)}


def _cells(breakdown: dict[str, int], expected: tuple[str, ...]) -> dict[str, int]:
    """Every expected cell (zeros included), then any other one recorded."""
    return {**{cell: breakdown.get(cell, 0) for cell in expected}, **breakdown}


def _casualties(reader: RegisterReader, period: Period) -> Casualties:
    statistics = casualty_statistics(
        reader, period.end, period.start, with_shapes=False, with_facts=False
    )
    breakdowns = statistics.breakdowns
    return Casualties(
        by_outcome=_cells(breakdowns["by_outcome"], tuple(o.value for o in Outcome)),
        by_sex=_cells(breakdowns["by_sex"], tuple(s.value for s in Sex)),
        by_age=_age(breakdowns["by_age_band"]),
        by_category=_cells(
            breakdowns["by_victim_category"], tuple(c.value for c in VictimCategory)
        ),
        by_device=_cells(
            breakdowns["by_device_category"], (*(c.value for c in EOCategory), UNKNOWN)
        ),
    )


def _devices(reader: RegisterReader, period: Period) -> dict[str, int]:
    """Devices found (and destroyed) in the year by category, every category listed."""
    found: Counter[str] = Counter()
    for _district, category, devices in reads.find_totals(reader, period.start, period.end, None):
        found[category] += devices
    return {category.value: found[category.value] for category in EOCategory}


def annual_profile(reader: RegisterReader, year_number: int) -> AnnualProfile:
    """The profile of the reader's country for the calendar year ``year_number``."""
    period = year(year_number)
    land = land_release_figures(reader, period.start, period.end)
    return AnnualProfile(
        country=land.country,
        country_name=land.country_name,
        shown_country_name=shown_names(land.names).get(land.country, land.country_name),
        period=period,
        known_at_start=KnownHazards.of(period.start - timedelta(days=1), land.remaining_start),
        known_at_end=KnownHazards.of(period.end, land.remaining_end),
        released=land.released,
        devices=_devices(reader, period),
        risk_education=reach(reader, period.start, period.end),
        casualties=_casualties(reader, period),
    )
