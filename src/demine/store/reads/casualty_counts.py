"""Casualty figures counted by the database: one grouped query per breakdown.

Victims are read from the figures the database keeps (``figures_victims``,
:mod:`demine.store.aggregates`), accidents from their table with the kept answer to
whether each lay inside a known hazard area (:mod:`demine.store.kept_hazard_tests`).
Each query counts the records dated inside a window by the breakdown's keys (accidents
also by where they fall: :data:`INSIDE` it, or :data:`UNPLACED`, a rough date
straddling its edge); the caller names and orders the cells. Only for a reader of the live
register as it stands (:attr:`RegisterReader.reads_kept_figures`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from demine.store.compiled import Parameters, Statement, run
from demine.store.kept_answers import answers_are_current
from demine.store.reader import RegisterReader

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Table

# SQLAlchemy and the schema are imported where statements are built (see
# :mod:`demine.store.compiled`).

INSIDE = "inside"
UNPLACED = "unplaced"

#: What victims can be grouped by (``year`` and ``month`` of the earliest date).
VICTIM_KEYS = (
    "year", "month", "date_precision", "district_id", "device_category", "activity", "sex",
    "category", "outcome", "age", "age_band",
)  # fmt: skip

#: A group of counted records: (*keys, records), accidents' placement first.
Group = tuple[Any, ...]


def _inside(earliest: Any, latest: Any, start: date | None, end: date) -> Any:
    # ``earliest <= end`` follows from the others; stated, it bounds the range of the
    # index by date that the database reads.
    from sqlalchemy import and_

    within = and_(earliest <= end, latest <= end)
    return within if start is None else and_(earliest >= start, within)


def _overlapping(earliest: Any, latest: Any, start: date | None, end: date) -> Any:
    from sqlalchemy import and_

    return earliest <= end if start is None else and_(earliest <= end, latest >= start)


def _placement(earliest: Any, latest: Any, start: date | None, end: date) -> Any:
    from sqlalchemy import case, literal

    inside = _inside(earliest, latest, start, end)
    return case((inside, literal(INSIDE)), else_=literal(UNPLACED))


def _victim_key(kept: Table, name: str, age_bounds: Sequence[int]) -> ColumnElement[Any]:
    from sqlalchemy import case, extract, literal

    if name in ("year", "month"):
        return extract(name, kept.c.occurred_earliest)
    if name == "age" and age_bounds:
        age = kept.c.age
        bounds = sorted(age_bounds, reverse=True)
        return case(
            (age == -1, literal(-1)),
            *((age >= bound, literal(bound)) for bound in bounds),
            else_=literal(0),
        )
    return kept.c[name]


def _kept_victims(reader: RegisterReader, district_id: int | None) -> tuple[Table, list[Any]]:
    """The kept victims' table and the conditions of the reader's country (and district)."""
    if not reader.reads_kept_figures or reader.country is None:
        raise ValueError("kept victim figures serve a reader of one country as it stands")
    from demine.store import schema

    kept = schema.metadata.tables["figures_victims"]
    conditions = [kept.c.country == reader.country]
    if district_id is not None:
        conditions.append(kept.c.district_id == district_id)
    return kept, conditions


def victims_inside(
    reader: RegisterReader,
    district_id: int | None,
    start: date | None,
    end: date,
    *keys: str,
    age_bounds: Sequence[int] = (),
) -> list[Group]:
    """Live victims of live accidents dated inside ``start..end`` (no start: anything up
    to ``end``) by ``keys`` (of :data:`VICTIM_KEYS`; unknown texts ``''``, an unknown
    age ``-1``), as the database keeps them counted: ``(*keys, victims)``. With
    ``age_bounds``, an age is grouped as the greatest bound not above it (0 below them
    all): groups of ages, not one per year of age."""
    shape = {
        "district": district_id is not None,
        "start": start is not None,
        "keys": keys,
        "age_bounds": tuple(age_bounds),
    }
    return run(reader, _VICTIMS_INSIDE, shape, **_window(district_id, start, end))


def _window(district_id: int | None, start: date | None, end: date) -> dict[str, Any]:
    """The values of a window's parameters (those it has)."""
    values: dict[str, Any] = {"end": end}
    if district_id is not None:
        values["district_id"] = district_id
    if start is not None:
        values["start"] = start
    return values


def _parameters(shape: Mapping[str, Any], values: Parameters) -> tuple[Any, Any]:
    """The district and first day parameters where the statement has them."""
    district = values.district_id if shape["district"] else None
    return district, values.start if shape["start"] else None


def _victims_inside(reader: RegisterReader, shape: Mapping[str, Any], values: Parameters) -> Any:
    from sqlalchemy import func, select

    district_id, start = _parameters(shape, values)
    kept, conditions = _kept_victims(reader, district_id)
    earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
    inside = _inside(earliest, latest, start, values.end)
    keys, bounds = shape["keys"], shape["age_bounds"]
    if "year" not in keys and "month" not in keys:
        grouped = [_victim_key(kept, name, bounds) for name in keys]
        return (
            select(*grouped, func.sum(kept.c.records)).where(*conditions, inside).group_by(*grouped)
        )
    # By year or month: counted by dates first (in the order of the index by date, so
    # without sorting), the year and month taken of those few thousand dates instead of
    # every victim's (SQLite's strftime cost more than the grouping).
    others = {name: _victim_key(kept, name, bounds) for name in keys if name not in _DATED}
    by_dates = (
        select(
            earliest, latest, *(key.label(name) for name, key in others.items()),
            func.sum(kept.c.records).label("records"),
        )
        .where(*conditions, inside)
        .group_by(earliest, latest, *others.values())
        .subquery()
    )  # fmt: skip
    grouped = [_dated_key(by_dates, name) for name in keys]
    return select(*grouped, func.sum(by_dates.c.records)).group_by(*grouped)


#: The keys taken of a victim's accident's earliest date.
_DATED = ("year", "month")


def _dated_key(by_dates: Any, name: str) -> Any:
    from sqlalchemy import extract

    if name in _DATED:
        return extract(name, by_dates.c.occurred_earliest)
    return by_dates.c[name]


_VICTIMS_INSIDE = Statement("casualty_counts.victims_inside", _victims_inside)


def victims_unplaced(
    reader: RegisterReader, district_id: int | None, start: date | None, end: date
) -> int:
    """Live victims of live accidents whose rough date straddles an edge of ``start..end``."""
    shape = {"district": district_id is not None, "start": start is not None}
    return int(run(reader, _VICTIMS_UNPLACED, shape, **_window(district_id, start, end))[0][0])


def _victims_unplaced(reader: RegisterReader, shape: Mapping[str, Any], values: Parameters) -> Any:
    from sqlalchemy import func, select

    district_id, start = _parameters(shape, values)
    kept, conditions = _kept_victims(reader, district_id)
    earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
    return select(func.coalesce(func.sum(kept.c.records), 0)).where(
        *conditions,
        _overlapping(earliest, latest, start, values.end),
        ~_inside(earliest, latest, start, values.end),
    )


_VICTIMS_UNPLACED = Statement("casualty_counts.victims_unplaced", _victims_unplaced)


def accident_groups(
    reader: RegisterReader, district_id: int | None, start: date | None, end: date
) -> list[Group] | None:
    """Live accidents dated over ``start..end`` by placement, district id and whether
    they lay inside a known hazard area (None: unknowable); None when the kept answers
    are not current or miss an accident (the caller decides in memory).

    The accidents are counted from the figures the database keeps (``figures_accidents``)
    and only the few whose answer is not "outside" are read with their dates: every
    other accident of a cell lay outside. The kept answers are those of every live
    accident when current; they are checked to be as many."""
    if not answers_are_current(reader):
        return None
    (answers, accidents), *_rest = run(reader, _ANSWERED)
    if answers != accidents:
        return None
    shape = {"district": district_id is not None, "start": start is not None}
    window = _window(district_id, start, end)
    cells: dict[tuple[str, int], int] = {}
    for district, inside, unplaced in run(reader, _ACCIDENT_CELLS, shape, **window):
        cells[(INSIDE, district)], cells[(UNPLACED, district)] = int(inside), int(unplaced)
    groups: list[Group] = []
    for placed, district, inside, number in run(reader, _NOT_OUTSIDE, shape, **window):
        key = (placed, district)
        cells[key] = cells.get(key, 0) - int(number)
        groups.append((placed, district, None if inside is None else bool(inside), int(number)))
    if any(number < 0 for number in cells.values()):
        return None
    groups.extend((*key, False, number) for key, number in cells.items() if number)
    return groups


def _answered(reader: RegisterReader, _shape: Mapping[str, Any], _values: Parameters) -> Any:
    """How many kept answers the reader's country has, and how many live accidents."""
    from sqlalchemy import func, select

    from demine.store import schema

    answers, kept = schema.accident_hazard_tests, schema.metadata.tables["figures_accidents"]
    return select(
        select(func.count()).where(answers.c.country == reader.country).scalar_subquery(),
        select(func.coalesce(func.sum(kept.c.records), 0))
        .where(kept.c.country == reader.country)
        .scalar_subquery(),
    )


def _accident_cells(reader: RegisterReader, shape: Mapping[str, Any], values: Parameters) -> Any:
    """Live accidents dated over the window by district id: inside it, and unplaced
    (kept figures; grouped by the district alone, which SQLite sorts three times
    faster than by placement and district)."""
    from sqlalchemy import case, func, literal, select

    from demine.store import schema

    district_id, start = _parameters(shape, values)
    kept = schema.metadata.tables["figures_accidents"]
    earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
    inside = _inside(earliest, latest, start, values.end)
    query = (
        select(
            kept.c.district_id,
            func.sum(case((inside, kept.c.records), else_=literal(0))),
            func.sum(case((inside, literal(0)), else_=kept.c.records)),
        )
        .where(kept.c.country == reader.country, _overlapping(earliest, latest, start, values.end))
        .group_by(kept.c.district_id)
    )
    if district_id is not None:
        query = query.where(kept.c.district_id == district_id)
    return query


def _not_outside(reader: RegisterReader, shape: Mapping[str, Any], values: Parameters) -> Any:
    """Live accidents dated over the window whose kept answer is "inside" or unknown, by
    placement, district id and answer: driven by the few such answers, each accident
    looked up by row id. The accidents are not narrowed by country: a country's
    current answers are those of its live accidents, and with the country SQLite would
    read every accident of it by its index of dates instead."""
    from sqlalchemy import false, func, or_, select

    from demine.store import schema

    district_id, start = _parameters(shape, values)
    end = values.end
    accidents, answers = reader.table("accidents"), schema.accident_hazard_tests
    earliest, latest = accidents.c.occurred_earliest, accidents.c.occurred_latest
    grouped = [_placement(earliest, latest, start, end), accidents.c.district_id, answers.c.inside]
    query = (
        select(*grouped, func.count())
        .select_from(answers.join(accidents, accidents.c.id == answers.c.accident_id))
        .where(
            answers.c.country == reader.country,
            or_(answers.c.inside.is_(None), answers.c.inside != false()),
            reader.visible(accidents),
            _overlapping(earliest, latest, start, end),
        )
        .group_by(*grouped)
    )
    if district_id is not None:
        query = query.where(accidents.c.district_id == district_id)
    return query


_ANSWERED = Statement("casualty_counts.answered", _answered)
_ACCIDENT_CELLS = Statement("casualty_counts.accident_cells", _accident_cells)
_NOT_OUTSIDE = Statement("casualty_counts.not_outside", _not_outside)
