"""Counting victims and accidents: headline figures and breakdowns, no database here.

Three rules keep the figures honest:

* An outcome, category, sex or age that is not known is counted as ``unknown``; it is
  never guessed into killed or injured, civilian or military.
* A record dated only to a month or a year is counted in a window only when that whole
  month or year lies inside it; otherwise it is *unplaced*, and the number of unplaced
  records is reported instead of putting them on an invented day.
* A child is a person under 18 (IMAS); women are female victims known to be adults.
  A female victim of unknown age is in neither figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from demine.domain.dates import EventDate
from demine.domain.entities import CHILD_AGE_LIMIT
from demine.domain.vocab import DatePrecision, EOCategory, Outcome, Sex, VictimCategory

UNKNOWN = "unknown"
CHILD = "0-17"
#: Age groups in the order reports show them; ``18+`` is an adult of no finer band.
AGE_GROUPS = (CHILD, "18-59", "60+", "18+", UNKNOWN)
ADULT_GROUPS = frozenset({"18-59", "60+", "18+"})
ELDERLY_AGE = 60

_BAND_GROUPS = {
    "0-17": CHILD, "child": CHILD, "0-4": CHILD, "5-9": CHILD, "10-14": CHILD, "15-17": CHILD,
    "18-59": "18-59", "18-24": "18-59", "25-59": "18-59", "60+": "60+",
    "adult": "18+", "18+": "18+",
}  # fmt: skip


def age_group(age: int | None, band: str | None) -> str:
    """The report's age group of an exact age or a recorded band."""
    if age is not None:
        if age < CHILD_AGE_LIMIT:
            return CHILD
        return "60+" if age >= ELDERLY_AGE else "18-59"
    return _BAND_GROUPS.get(band or "", UNKNOWN)


@dataclass(frozen=True)
class AccidentFacts:
    """What the statistics need of an accident (no coordinates, no narrative)."""

    key: str
    district: str
    occurred: EventDate
    device_category: EOCategory | None
    activity: str | None
    #: Inside a known hazard area: the record's flag, else computed; None if unknowable.
    inside_known_hazard: bool | None


@dataclass(frozen=True)
class VictimFacts:
    """What the statistics need of a victim, with the accident it happened in."""

    accident: AccidentFacts
    sex: Sex
    category: VictimCategory
    outcome: Outcome
    age_group: str

    @property
    def is_child(self) -> bool:
        return self.age_group == CHILD

    @property
    def is_woman(self) -> bool:
        return self.sex is Sex.FEMALE and self.age_group in ADULT_GROUPS


class Placement(Enum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    #: The date range overlaps the window without lying inside it.
    UNPLACED = "unplaced"


def place(when: EventDate, start: date | None, end: date) -> Placement:
    """Where an event dated ``when`` falls against the window ``start..end``."""
    first = start or date.min
    if when.earliest >= first and when.latest <= end:
        return Placement.INSIDE
    if when.latest < first or when.earliest > end:
        return Placement.OUTSIDE
    return Placement.UNPLACED


@dataclass(frozen=True)
class VictimCounts:
    """Headline figures of a set of victims."""

    total: int = 0
    killed: int = 0
    injured: int = 0
    unknown_outcome: int = 0
    civilians: int = 0
    children: int = 0
    women: int = 0

    @classmethod
    def of(cls, victims: Iterable[VictimFacts]) -> VictimCounts:
        chosen = list(victims)
        outcomes = Counter(v.outcome for v in chosen)
        return cls(
            total=len(chosen),
            killed=outcomes[Outcome.KILLED],
            injured=outcomes[Outcome.INJURED],
            unknown_outcome=outcomes[Outcome.UNKNOWN],
            civilians=sum(1 for v in chosen if v.category is VictimCategory.CIVILIAN),
            children=sum(1 for v in chosen if v.is_child),
            women=sum(1 for v in chosen if v.is_woman),
        )

    @property
    def civilian_share(self) -> float | None:
        """Civilians among all victims (those of unknown category count against)."""
        return self.civilians / self.total if self.total else None


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


def _month_of(when: EventDate) -> str:
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
    categories = [c.value for c in EOCategory]
    names = list(district_names.values())
    return {
        "by_year": _ordered(
            Counter(str(v.accident.occurred.earliest.year) for v in victims),
            years_between(first_day, last_day),
        ),
        "by_month": _ordered(
            Counter(_month_of(v.accident.occurred) for v in victims),
            [*months_between(first_day, last_day), UNKNOWN],
        ),
        "by_district": _ordered(
            Counter(district_names.get(v.accident.district, v.accident.district) for v in victims),
            names,
        ),
        "by_device_category": _ordered(
            Counter(
                v.accident.device_category.value if v.accident.device_category else UNKNOWN
                for v in victims
            ),
            [*categories, UNKNOWN],
        ),
        "by_victim_category": _ordered(
            Counter(v.category.value for v in victims), [c.value for c in VictimCategory]
        ),
        "by_sex": _ordered(Counter(v.sex.value for v in victims), [s.value for s in Sex]),
        "by_age_band": _ordered(Counter(v.age_group for v in victims), AGE_GROUPS),
        "by_outcome": _ordered(
            Counter(v.outcome.value for v in victims), [o.value for o in Outcome]
        ),
        "by_activity": _ordered(Counter(v.accident.activity or UNKNOWN for v in victims), []),
    }


def accident_breakdowns(
    accidents: Sequence[AccidentFacts], district_names: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Accidents by district, and inside or outside known hazard areas."""
    location = Counter(
        UNKNOWN
        if a.inside_known_hazard is None
        else ("inside" if a.inside_known_hazard else "outside")
        for a in accidents
    )
    return {
        "accidents_by_district": _ordered(
            Counter(district_names.get(a.district, a.district) for a in accidents),
            list(district_names.values()),
        ),
        "inside_known_hazard": _ordered(location, ["inside", "outside", UNKNOWN]),
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
        key = UNKNOWN if where is None else ("inside" if where else "outside")
        table.setdefault(name, dict.fromkeys(keys, 0))[key] += 1
    return table
