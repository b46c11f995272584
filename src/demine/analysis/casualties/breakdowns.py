"""Breakdowns of counted victims and accidents: by year, month, district, category….

Every breakdown lists its expected cells in report order, zeros included, so that a
reader sees an empty month or district rather than a missing one; a value recorded but
not expected (a new activity) follows, by count. Unknowns are a cell of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from demine.analysis.casualties.count import AGE_GROUPS, UNKNOWN, AccidentFacts, VictimFacts
from demine.domain.dates import EventDate
from demine.domain.vocab import DatePrecision, EOCategory, Outcome, Sex, VictimCategory

#: The victim breakdowns, in report order.
VICTIM_BREAKDOWNS = (
    "by_year", "by_month", "by_district", "by_device_category", "by_victim_category",
    "by_sex", "by_age_band", "by_outcome", "by_activity",
)  # fmt: skip


def _ordered(counter: Counter[str], keys: Sequence[str]) -> dict[str, int]:
    """Every key in order (zeros included), then any other key seen, by count."""
    result = {key: counter.get(key, 0) for key in keys}
    extra = sorted((k for k in counter if k not in result), key=lambda k: (-counter[k], k))
    result.update({key: counter[key] for key in extra})
    return result


def years_between(start: date, end: date) -> list[str]:
    return [str(year) for year in range(start.year, end.year + 1)]


def months_between(start: date, end: date) -> list[str]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_of(when: EventDate) -> str:
    """The month a date is counted in (``2024-02``), or ``unknown`` for a year only."""
    if when.precision is DatePrecision.YEAR:
        return UNKNOWN
    return f"{when.earliest.year:04d}-{when.earliest.month:02d}"


def victim_breakdowns(
    victims: Sequence[VictimFacts],
    first_day: date,
    last_day: date,
    district_names: Mapping[str, str],
) -> dict[str, dict[str, int]]:
    """Victims by year, month, district, device, category, sex, age group, outcome, activity."""
    return ordered_victim_breakdowns(
        victim_cells(victims, district_names), first_day, last_day, district_names
    )


def victim_cells(
    victims: Sequence[VictimFacts], district_names: Mapping[str, str]
) -> dict[str, Counter[str]]:
    """The victims counted in every breakdown's cells (in no order)."""
    # One pass over the victims for all nine breakdowns (a national register has
    # thousands of victims, and a bulletin asks for all of them each week).
    cells: dict[str, Counter[str]] = {name: Counter() for name in VICTIM_BREAKDOWNS}
    years, months, districts, devices = (
        cells["by_year"], cells["by_month"], cells["by_district"], cells["by_device_category"],
    )  # fmt: skip
    categories, sexes, ages, outcomes, activities = (
        cells["by_victim_category"], cells["by_sex"], cells["by_age_band"], cells["by_outcome"],
        cells["by_activity"],
    )  # fmt: skip
    for victim in victims:
        accident = victim.accident
        occurred = accident.occurred
        years[str(occurred.earliest.year)] += 1
        months[month_of(occurred)] += 1
        districts[district_names.get(accident.district, accident.district)] += 1
        devices[accident.device_category.value if accident.device_category else UNKNOWN] += 1
        categories[victim.category.value] += 1
        sexes[victim.sex.value] += 1
        ages[victim.age_group] += 1
        outcomes[victim.outcome.value] += 1
        activities[accident.activity or UNKNOWN] += 1
    return cells


def ordered_victim_breakdowns(
    cells: Mapping[str, Counter[str]],
    first_day: date,
    last_day: date,
    district_names: Mapping[str, str],
) -> dict[str, dict[str, int]]:
    """Every breakdown of :func:`victim_cells`' counts with its expected cells, in order."""
    expected = {
        "by_year": years_between(first_day, last_day),
        "by_month": [*months_between(first_day, last_day), UNKNOWN],
        "by_district": list(district_names.values()),
        "by_device_category": [*(c.value for c in EOCategory), UNKNOWN],
        "by_victim_category": [c.value for c in VictimCategory],
        "by_sex": [s.value for s in Sex],
        "by_age_band": AGE_GROUPS,
        "by_outcome": [o.value for o in Outcome],
        "by_activity": [],
    }
    return {name: _ordered(cells[name], expected[name]) for name in VICTIM_BREAKDOWNS}


def location_of(inside_known_hazard: bool | None) -> str:
    """The ``inside_known_hazard`` cell of an accident's answer."""
    if inside_known_hazard is None:
        return UNKNOWN
    return "inside" if inside_known_hazard else "outside"


def accident_breakdowns(
    accidents: Sequence[AccidentFacts], district_names: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Accidents by district, and inside or outside known hazard areas."""
    return ordered_accident_breakdowns(
        Counter(district_names.get(a.district, a.district) for a in accidents),
        Counter(location_of(a.inside_known_hazard) for a in accidents),
        district_names,
    )


def ordered_accident_breakdowns(
    districts: Counter[str], locations: Counter[str], district_names: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Accidents counted by district name and by location, with their expected cells."""
    return {
        "accidents_by_district": _ordered(districts, list(district_names.values())),
        "inside_known_hazard": _ordered(locations, ["inside", "outside", UNKNOWN]),
    }


def outcomes_by_district(
    victims: Sequence[VictimFacts], district_names: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Killed, injured and unknown-outcome victims of each district (by name)."""
    table = {name: {o.value: 0 for o in Outcome} for name in district_names.values()}
    for victim in victims:
        name = district_names.get(victim.accident.district, victim.accident.district)
        row = table.setdefault(name, {o.value: 0 for o in Outcome})
        row[victim.outcome.value] += 1
    return table


def locations_by_district(
    accidents: Sequence[AccidentFacts], district_names: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Accidents inside, outside known hazard areas, or unknown, of each district."""
    keys = ("inside", "outside", UNKNOWN)
    table = {name: dict.fromkeys(keys, 0) for name in district_names.values()}
    for accident in accidents:
        name = district_names.get(accident.district, accident.district)
        where = accident.inside_known_hazard
        table.setdefault(name, dict.fromkeys(keys, 0))[location_of(where)] += 1
    return table
