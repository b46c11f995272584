"""What is counted of victims and accidents, where a date falls, and the headline figures.

No database here (see :mod:`.read`); breakdowns are in :mod:`.breakdowns`.

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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from demine.domain.dates import EventDate
from demine.domain.entities import CHILD_AGE_LIMIT
from demine.domain.vocab import EOCategory, Outcome, Sex, VictimCategory

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


def placer(start: date | None, end: date) -> Callable[[EventDate], Placement]:
    """:func:`place` against one window, remembered per date: thousands of victims and
    accidents share a few thousand dates, and statistics place each several times.
    Remembered by first and last day, all a placement depends on (an event date's own
    hash goes through its precision's, in Python)."""
    known: dict[tuple[date, date], Placement] = {}

    def placed(when: EventDate) -> Placement:
        key = (when.earliest, when.latest)
        found = known.get(key)
        if found is None:
            found = known[key] = place(when, start, end)
        return found

    return placed


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
        total = killed = injured = unknown = civilians = children = women = 0
        for victim in victims:  # one pass: thousands of victims, several counts each
            total += 1
            outcome = victim.outcome
            if outcome is Outcome.KILLED:
                killed += 1
            elif outcome is Outcome.INJURED:
                injured += 1
            elif outcome is Outcome.UNKNOWN:
                unknown += 1
            civilians += victim.category is VictimCategory.CIVILIAN
            children += victim.is_child
            women += victim.is_woman
        return cls(total, killed, injured, unknown, civilians, children, women)

    @classmethod
    def of_groups(cls, groups: Iterable[tuple[str, str, str, str, int]]) -> VictimCounts:
        """The figures of victims counted in groups: (outcome, victim category, sex, age
        group, victims), the values as stored."""
        total = killed = injured = unknown = civilians = children = women = 0
        for outcome, category, sex, group, number in groups:
            total += number
            killed += number if outcome == Outcome.KILLED else 0
            injured += number if outcome == Outcome.INJURED else 0
            unknown += number if outcome == Outcome.UNKNOWN else 0
            civilians += number if category == VictimCategory.CIVILIAN else 0
            children += number if group == CHILD else 0
            women += number if sex == Sex.FEMALE and group in ADULT_GROUPS else 0
        return cls(total, killed, injured, unknown, civilians, children, women)

    @property
    def civilian_share(self) -> float | None:
        """Civilians among all victims (those of unknown category count against)."""
        return self.civilians / self.total if self.total else None
