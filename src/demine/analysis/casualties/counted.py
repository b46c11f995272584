"""Casualty statistics counted by the database, for a reader of the register as it stands.

The victims the database keeps counted hardly group at national scale (each accident
has its own day, district and victims), so building one fact per victim and counting
nine breakdowns in Python cost more than the database's reading. Here each breakdown is
one grouped query (:mod:`demine.store.reads.casualty_counts`) and only its cells are
named and ordered; the figures are those :func:`.statistics.summarise_casualties`
counts from facts (a test checks both agree).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from demine.analysis.casualties.all_time import CountWindow
from demine.analysis.casualties.breakdowns import VICTIM_BREAKDOWNS, location_of
from demine.analysis.casualties.count import (
    ELDERLY_AGE,
    UNKNOWN,
    Placement,
    VictimCounts,
    age_group,
    placer,
)
from demine.analysis.casualties.read import CasualtyRecords, read_accidents
from demine.domain.entities import CHILD_AGE_LIMIT
from demine.domain.vocab import DatePrecision, EOCategory
from demine.store.reader import RegisterReader
from demine.store.reads import casualty_counts as reads

_DEVICES = frozenset(member.value for member in EOCategory)
#: What a victim's headline figures are counted by.
_HEADLINE_KEYS = ("outcome", "category", "sex", "age", "age_band")
#: Where :func:`.count.age_group` changes group: ages between are counted together.
_AGE_BOUNDS = (CHILD_AGE_LIMIT, ELDERLY_AGE)


@dataclass(frozen=True)
class AccidentCells:
    """Accidents of a window: how many fall in it, straddle its edge, and their cells."""

    placed: int
    unplaced: int
    by_district: Counter[str]
    by_location: Counter[str]


def _age_group(age: int, band: str) -> str:
    return age_group(None if age == -1 else age, band or None)


def _inside(groups: Iterable[reads.Group]) -> Iterable[reads.Group]:
    """The keys and count of each group of accidents inside the window."""
    return (group[1:] for group in groups if group[0] == reads.INSIDE)


def _unplaced(groups: Iterable[reads.Group]) -> int:
    return sum(int(group[-1]) for group in groups if group[0] == reads.UNPLACED)


def _headline(
    reader: RegisterReader, records: CasualtyRecords, start: date | None, end: date
) -> list[reads.Group]:
    """Victims inside the window by outcome, category, sex, age group (ages grouped at
    the bounds of :func:`.count.age_group`) and age band."""
    return reads.victims_inside(
        reader, records.district_id, start, end, *_HEADLINE_KEYS, age_bounds=_AGE_BOUNDS
    )


def _counts(headline: Iterable[reads.Group]) -> VictimCounts:
    return VictimCounts.of_groups(
        (outcome, category, sex, _age_group(age, band), int(number))
        for outcome, category, sex, age, band, number in headline
    )


def counter(reader: RegisterReader, records: CasualtyRecords) -> CountWindow:
    """:data:`CountWindow` by the database, for ``records``' district (or country)."""

    def count(start: date | None, end: date) -> tuple[VictimCounts, int]:
        unplaced = reads.victims_unplaced(reader, records.district_id, start, end)
        return _counts(_headline(reader, records, start, end)), unplaced

    return count


@dataclass(frozen=True)
class VictimFigures:
    """Victims of a window: headline figures, how many straddle its edges, every
    breakdown's cells, and the first month any of them falls in (None: none does)."""

    counts: VictimCounts
    unplaced: int
    cells: dict[str, Counter[str]]
    first_month: date | None


def victim_figures(
    reader: RegisterReader, records: CasualtyRecords, start: date | None, end: date
) -> VictimFigures:
    """The victims over ``start..end``: three grouped queries give the headline figures
    and the nine breakdowns (outcome, category, sex and age from one; year and month
    from one; district, device and activity from one), a fourth counts the unplaced."""
    district_id, codes, names = records.district_id, records.area_codes, records.district_names
    cells: dict[str, Counter[str]] = {name: Counter() for name in VICTIM_BREAKDOWNS}
    headline = _headline(reader, records, start, end)
    for outcome, category, sex, age, band, number in headline:
        cells["by_outcome"][outcome] += int(number)
        cells["by_victim_category"][category] += int(number)
        cells["by_sex"][sex] += int(number)
        cells["by_age_band"][_age_group(age, band)] += int(number)
    months: list[tuple[int, int]] = []
    for year, month, precision, number in reads.victims_inside(
        reader, district_id, start, end, "year", "month", "date_precision"
    ):
        year, month = int(year), int(month)
        months.append((year, month))
        cells["by_year"][str(year)] += int(number)
        # As :func:`.breakdowns.month_of`: a date known only to its year has no month.
        shown = UNKNOWN if precision == DatePrecision.YEAR else f"{year:04d}-{month:02d}"
        cells["by_month"][shown] += int(number)
    for district, device, activity, number in reads.victims_inside(
        reader, district_id, start, end, "district_id", "device_category", "activity"
    ):
        code = codes[district]
        cells["by_district"][names.get(code, code)] += int(number)
        cells["by_device_category"][device if device in _DEVICES else UNKNOWN] += int(number)
        cells["by_activity"][activity or UNKNOWN] += int(number)
    first = min(months, default=None)
    return VictimFigures(
        counts=_counts(headline),
        unplaced=reads.victims_unplaced(reader, district_id, start, end),
        cells={name: +cell for name, cell in cells.items()},
        first_month=None if first is None else date(first[0], first[1], 1),
    )


def accident_cells(
    reader: RegisterReader, records: CasualtyRecords, start: date | None, end: date
) -> AccidentCells:
    """The accidents over ``start..end``: counted by the database when it keeps current
    answers to whether each lay inside a known hazard area, else read and decided."""
    groups = reads.accident_groups(reader, records.district_id, start, end)
    if groups is None:
        groups = _accident_groups(reader, records, start, end)
    names, codes = records.district_names, records.area_codes
    by_district: Counter[str] = Counter()
    by_location: Counter[str] = Counter()
    for district_id, inside, number in _inside(groups):
        code = codes[district_id]
        by_district[names.get(code, code)] += number
        by_location[location_of(inside)] += number
    return AccidentCells(
        placed=by_district.total(),
        unplaced=_unplaced(groups),
        by_district=by_district,
        by_location=by_location,
    )


def _accident_groups(
    reader: RegisterReader, records: CasualtyRecords, start: date | None, end: date
) -> list[reads.Group]:
    """:func:`reads.accident_groups`' groups from the accidents read one by one."""
    ids = {code: area_id for area_id, code in records.area_codes.items()}
    placed = placer(start, end)
    where = {Placement.INSIDE: reads.INSIDE, Placement.UNPLACED: reads.UNPLACED}
    counted = Counter(
        (where[placement], ids[accident.district], accident.inside_known_hazard)
        for accident in read_accidents(reader, records.district_id, records.area_codes).values()
        if (placement := placed(accident.occurred)) is not Placement.OUTSIDE
    )
    return [(*key, number) for key, number in counted.items()]
