"""The queries behind the register's figures: summaries, bulletins, weekly series.

Every query reads live rows (approved, not deleted) of the reader's country through a
:class:`RegisterReader`. A record dated only to a month or a year counts in a period
only when its whole date range lies inside it, so the queries select records by both
ends of their dates. Two shapes of the same totals:

- one period's totals by district (``*_totals``), for a single summary;
- the same totals also grouped by day (``*_by_day``) over a span, from which a bulletin
  slices its period, the one before, the trend and the cumulative series in Python —
  one query per table instead of one per period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from demine.domain.entities import AdminArea
from demine.domain.kinds import kind_named
from demine.store.compiled import Parameters, Statement, run, run_mappings
from demine.store.entity_reads import load_all
from demine.store.reader import RecordFilter, RegisterReader
from demine.store.refs import Refs, load_admin_area_refs

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry
    from sqlalchemy import ColumnElement, Select, Table

# SQLAlchemy and the schema are imported where statements are built: the bulletin's
# reads run as compiled statements (:mod:`demine.store.compiled`) without them.


def district_lookups(
    reader: RegisterReader, *, with_geometry: bool = True
) -> tuple[Refs, list[AdminArea]]:
    """The key map of areas and every stored area, with its aliases
    (and its shape, ``with_geometry``)."""
    refs = load_admin_area_refs(reader.connection)
    return refs, load_all(reader.connection, AdminArea, refs, with_geometry=with_geometry)


def _whole_years(start: date, end: date) -> bool:
    """Whether ``start..end`` is whole calendar years (January 1st to December 31st)."""
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)


def _within(earliest: Any, latest: Any, start: Any, end: Any) -> ColumnElement[bool]:
    # ``earliest <= end`` follows from the others (earliest <= latest); stated, it bounds
    # the index range the database reads to the period instead of everything after it.
    return _dated(earliest, latest, start, end, end)


def _dated(earliest: Any, latest: Any, first: Any, last: Any, until: Any) -> ColumnElement[bool]:
    """Records whose earliest date is in ``first..last`` and latest on or before ``until``
    (dates, or years when the columns are years)."""
    from sqlalchemy import and_

    return and_(earliest >= first, earliest <= last, latest <= until)


def _in_district(
    reader: RegisterReader, kind: str, statement: Select[Any], district_id: int | None
) -> Select[Any]:
    return reader.filtered(kind, statement, RecordFilter(district_id=district_id))


# -- one period, by district ----------------------------------------------------------


@dataclass(frozen=True)
class ActivityTotals:
    """Land released by some activities, and how many they are."""

    cleared_m2: float
    reduced_m2: float
    cancelled_m2: float
    activities: int


def find_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, str, int]]:
    """``(district id, category, devices)`` of the finds dated inside ``start..end``."""
    from sqlalchemy import func

    if reader.reads_kept_figures:
        first: date | int
        last: date | int
        if _whole_years(start, end):
            # A few hundred rows by year instead of some 20,000 a year by day.
            kept = _kept("figures_finds_by_year")
            earliest, latest = kept.c.first_year, kept.c.last_year
            first, last = start.year, end.year
        else:
            kept = _kept("figures_finds")
            earliest, latest = kept.c.found_earliest, kept.c.found_latest
            first, last = start, end
        keys = (kept.c.district_id, kept.c.category)
        statement = _kept_select(reader, kept, district_id, *keys, func.sum(kept.c.devices))
        grouped = statement.where(_within(earliest, latest, first, last)).group_by(*keys)
        return [(d, c, int(q)) for d, c, q in reader.connection.execute(grouped)]
    finds = reader.table("finds")
    statement = reader.select(
        "finds", finds.c.district_id, finds.c.category, func.sum(finds.c.quantity)
    ).where(_within(finds.c.found_earliest, finds.c.found_latest, start, end))
    statement = _in_district(reader, "finds", statement, district_id)
    grouped = statement.group_by(finds.c.district_id, finds.c.category)
    return [(d, c, int(q)) for d, c, q in reader.connection.execute(grouped)]


def activity_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, ActivityTotals]]:
    """Land released by district, of the activities that ended in ``start..end``."""

    from demine.store.reads.reopened import released, reopened

    acts = reader.table("activities")
    statement = _in_district(
        reader, "activities", reader.select("activities", acts.c.district_id, *_released(acts)),
        district_id,
    ).where(acts.c.end_date.between(start, end))  # fmt: skip
    if reader.reads_kept_figures:
        if _whole_years(start, end):
            kept = _kept("figures_activities_by_year")
            ended = kept.c.end_year.between(start.year, end.year)
        else:
            kept = _kept("figures_activities")
            ended = kept.c.end_date.between(start, end)
        kept_rows = _kept_select(
            reader, kept, district_id, kept.c.district_id, *_kept_released(kept)
        ).where(ended)
        # As in :func:`activities_by_day`: the few activities a failed QC reopened are
        # read from the records and taken away.
        rows = _without(
            reader.connection.execute(kept_rows.group_by(kept.c.district_id)),
            reader.connection.execute(
                statement.where(reopened(reader, acts)).group_by(acts.c.district_id)
            ),
        )
    else:
        grouped = statement.where(released(reader, acts)).group_by(acts.c.district_id)
        rows = [tuple(row) for row in reader.connection.execute(grouped)]
    return [(d, _activity_totals(*sums)) for d, *sums in rows]


def _released(acts: Table) -> tuple[Any, ...]:
    from sqlalchemy import func

    return (
        func.sum(acts.c.area_cleared_m2),
        func.sum(acts.c.area_reduced_m2),
        func.sum(acts.c.area_cancelled_m2),
        func.count(),
    )


def _kept_released(kept: Table) -> tuple[Any, ...]:
    from sqlalchemy import func

    return (
        func.sum(kept.c.cleared_m2),
        func.sum(kept.c.reduced_m2),
        func.sum(kept.c.cancelled_m2),
        func.sum(kept.c.records),
    )


def _activity_totals(cleared: Any, reduced: Any, cancelled: Any, number: Any) -> ActivityTotals:
    return ActivityTotals(
        float(cleared or 0), float(reduced or 0), float(cancelled or 0), int(number)
    )


def accident_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, int]]:
    """``(district id, accidents)`` of the accidents dated inside ``start..end``."""
    from sqlalchemy import func

    if reader.reads_kept_figures:
        kept = _kept("figures_accidents")
        earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
        statement = _kept_select(
            reader, kept, district_id, kept.c.district_id, func.sum(kept.c.records)
        ).where(_within(earliest, latest, start, end))
        grouped = statement.group_by(kept.c.district_id)
        return [(d, int(n)) for d, n in reader.connection.execute(grouped)]
    accidents = reader.table("accidents")
    statement = reader.select("accidents", accidents.c.district_id, func.count()).where(
        _within(accidents.c.occurred_earliest, accidents.c.occurred_latest, start, end)
    )
    grouped = _in_district(reader, "accidents", statement, district_id).group_by(
        accidents.c.district_id
    )
    return [(d, int(n)) for d, n in reader.connection.execute(grouped)]


def unattributable_count(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> int:
    """Records dated only roughly whose date range overlaps the period but is not inside it."""
    from sqlalchemy import func, text

    from demine.store.schema import ROUGH_DATES

    total = 0
    for kind in ("finds", "accidents"):
        earliest, latest = reader.date_columns(kind_named(kind))
        statement = (
            reader.select(kind, func.count())
            # A day-dated record is inside the period or outside it (and this condition,
            # written as the partial index's, lets the database use that index).
            .where(text(ROUGH_DATES))
            .where(earliest <= end, latest >= start)
            .where(~_within(earliest, latest, start, end))
        )
        statement = _in_district(reader, kind, statement, district_id)
        total += int(reader.connection.execute(statement).scalar_one())
    return total


def hazards_recorded(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> int:
    """Hazardous areas recorded in ``start..end``."""
    from sqlalchemy import func

    hazards = reader.table("hazards")
    statement = reader.select("hazards", func.count()).where(
        hazards.c.recorded_on.between(start, end)
    )
    statement = _in_district(reader, "hazards", statement, district_id)
    return int(reader.connection.execute(statement).scalar_one())


def published_within(reader: RegisterReader, start: date, end: date) -> list[dict[str, Any]]:
    """Published totals whose period lies inside ``start..end``, in the order stored."""
    return run_mappings(reader, _PUBLISHED_WITHIN, start=start, end=end)


def _published_within(reader: RegisterReader, _shape: Shape, values: Parameters) -> Any:
    table = reader.table("summaries")
    return (
        reader.select("summaries")
        .where(_within(table.c.period_start, table.c.period_end, values.start, values.end))
        .order_by(table.c.id)
    )


_PUBLISHED_WITHIN = Statement("figures.published_within", _published_within)


# -- by day, over a span ----------------------------------------------------------------


@dataclass(frozen=True)
class DatedFinds:
    """Devices of one category found over the same dates (in one district, when grouped
    by district)."""

    earliest: date
    latest: date
    district_id: int | None
    category: str
    quantity: int


@dataclass(frozen=True)
class DatedRecords:
    """How many records share the same dates (in one district, when grouped by it)."""

    earliest: date
    latest: date
    district_id: int | None
    records: int


@dataclass(frozen=True)
class DayActivities:
    """Land released by the activities that ended on one day (in one district, when
    grouped by district)."""

    end_date: date
    district_id: int | None
    totals: ActivityTotals


def _month_start(reader: RegisterReader, column: Any) -> Any:
    """The first day of ``column``'s month, in the database's own words."""
    from sqlalchemy import Date, cast, func, type_coerce

    if reader.dialect == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return type_coerce(func.date(column, "start of month"), Date)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _grain(reader: RegisterReader, by_month: bool, *columns: Any) -> tuple[Any, ...]:
    """The date columns to group by: as stored, or their months ``by_month``."""
    return tuple(_month_start(reader, c) for c in columns) if by_month else columns


def finds_by_day(
    reader: RegisterReader,
    first: date,
    last: date,
    *,
    until: date,
    district_id: int | None,
    by_district: bool,
    by_month: bool = False,
) -> list[DatedFinds]:
    """Devices by dates and category (and district) of the finds whose earliest date is
    in ``first..last`` and latest on or before ``until``. ``by_month`` (national only):
    grouped by the months of their dates instead, as the first and last days of those
    months, which sum any whole months exactly in a tenth of the rows."""
    shape = _span_shape(district_id, by_district, by_month)
    rows = run(
        reader, _FINDS_BY_DAY, shape, first=first, last=last, until=until,
        **_district_value(district_id),
    )  # fmt: skip
    if by_district:
        return [DatedFinds(e, la, d, c, int(q)) for e, la, c, d, q in rows]
    if by_month:
        return [DatedFinds(e, _month_end(la), None, c, int(q)) for e, la, c, q in rows]
    return [DatedFinds(e, la, None, c, int(q)) for e, la, c, q in rows]


Shape = Mapping[str, Any]


def _span_shape(district_id: int | None, by_district: bool, by_month: bool) -> dict[str, bool]:
    return {"district": district_id is not None, "by_district": by_district, "by_month": by_month}


def _district_value(district_id: int | None) -> dict[str, int]:
    return {} if district_id is None else {"district_id": district_id}


def _district_of(shape: Shape, values: Parameters) -> Any:
    """The district parameter where the statement has one (else no district condition)."""
    return values.district_id if shape["district"] else None


def _finds_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    by_district, by_month = shape["by_district"], shape["by_month"]
    district_id = _district_of(shape, values)
    if reader.reads_kept_figures:
        kept = _kept("figures_finds")
        earliest, latest = kept.c.found_earliest, kept.c.found_latest
        dates = _grain(reader, by_month, earliest, latest)
        keys = (*dates, kept.c.category, *_district_key(kept, by_district))
        statement = _kept_select(reader, kept, district_id, *keys, func.sum(kept.c.devices))
    else:
        finds = reader.table("finds")
        earliest, latest = finds.c.found_earliest, finds.c.found_latest
        dates = _grain(reader, by_month, earliest, latest)
        keys = (*dates, finds.c.category, *_district_key(finds, by_district))
        statement = _in_district(
            reader, "finds", reader.select("finds", *keys, func.sum(finds.c.quantity)), district_id
        )
    dated = _dated(earliest, latest, values.first, values.last, values.until)
    return statement.where(dated).group_by(*keys)


_FINDS_BY_DAY = Statement("figures.finds_by_day", _finds_by_day)


def _kept(name: str) -> Table:
    """An aggregate table kept by triggers (:mod:`demine.store.aggregates`)."""
    from demine.store import schema

    return schema.metadata.tables[name]


def _kept_select(
    reader: RegisterReader, kept: Table, district_id: int | None, *columns: Any
) -> Select[Any]:
    """``columns`` of the kept figures of the reader's country (and one district)."""
    from sqlalchemy import select

    statement = select(*columns).select_from(kept)
    if reader.country is not None:
        statement = statement.where(kept.c.country == reader.country)
    if district_id is not None:
        statement = statement.where(kept.c.district_id == district_id)
    return statement


def _district_key(table: Table, by_district: bool) -> tuple[Any, ...]:
    return (table.c.district_id,) if by_district else ()


def activities_by_day(
    reader: RegisterReader,
    first: date,
    last: date,
    *,
    district_id: int | None,
    by_district: bool,
    by_month: bool = False,
) -> list[DayActivities]:
    """Land released by end day (and district) of the activities that ended in
    ``first..last``; ``by_month``, by the first day of the month they ended in."""
    shape = _span_shape(district_id, by_district, by_month)
    values = {"first": first, "last": last, **_district_value(district_id)}
    if reader.reads_kept_figures:
        # The kept figures count every live activity; those a failed QC reopened (few)
        # are read from the records and taken away.
        rows = _without(
            run(reader, _KEPT_ACTIVITIES_BY_DAY, shape, **values),
            run(reader, _ACTIVITIES_BY_DAY, {**shape, "reopened": True}, **values),
        )
    else:
        rows = run(reader, _ACTIVITIES_BY_DAY, {**shape, "reopened": False}, **values)
    if by_district:
        return [DayActivities(day, d, _activity_totals(*sums)) for day, d, *sums in rows]
    return [DayActivities(day, None, _activity_totals(*sums)) for day, *sums in rows]


def _activities_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    """Activities ended in the span by day (and district): those a failed QC reopened
    (``reopened``), else those whose land counts as released."""
    from demine.store.reads.reopened import released, reopened

    acts = reader.table("activities")
    keys = (
        *_grain(reader, shape["by_month"], acts.c.end_date),
        *_district_key(acts, shape["by_district"]),
    )
    statement = _in_district(
        reader, "activities", reader.select("activities", *keys, *_released(acts)),
        _district_of(shape, values),
    ).where(acts.c.end_date.between(values.first, values.last))  # fmt: skip
    counted = reopened(reader, acts) if shape["reopened"] else released(reader, acts)
    return statement.where(counted).group_by(*keys)


def _kept_activities_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    kept = _kept("figures_activities")
    keys = (
        *_grain(reader, shape["by_month"], kept.c.end_date),
        *_district_key(kept, shape["by_district"]),
    )
    statement = _kept_select(
        reader, kept, _district_of(shape, values), *keys, *_kept_released(kept)
    )
    return statement.where(kept.c.end_date.between(values.first, values.last)).group_by(*keys)


_ACTIVITIES_BY_DAY = Statement("figures.activities_by_day", _activities_by_day)
_KEPT_ACTIVITIES_BY_DAY = Statement("figures.kept_activities_by_day", _kept_activities_by_day)


def _without(
    rows: Iterable[Sequence[Any]], taken: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` of ``(*keys, cleared, reduced, cancelled, count)`` less the ``taken``
    ones of the same keys (rows left with no activity are dropped)."""
    less = {tuple(row[:-4]): [float(v or 0) for v in row[-4:]] for row in taken}
    result = []
    for row in rows:
        key, sums = tuple(row[:-4]), [float(v or 0) for v in row[-4:]]
        minus = less.get(key, [0.0] * 4)
        left = [value - other for value, other in zip(sums, minus, strict=True)]
        if left[-1] > 0:
            result.append((*key, *left))
    return result


def accidents_by_day(
    reader: RegisterReader,
    first: date,
    last: date,
    *,
    until: date,
    district_id: int | None,
    by_district: bool,
    by_month: bool = False,
) -> list[DatedRecords]:
    """Accidents by dates (and district) whose earliest date is in ``first..last`` and
    latest on or before ``until`` (``by_month``: as :func:`finds_by_day`)."""
    shape = _span_shape(district_id, by_district, by_month)
    rows = run(
        reader, _ACCIDENTS_BY_DAY, shape, first=first, last=last, until=until,
        **_district_value(district_id),
    )  # fmt: skip
    return [
        DatedRecords(
            row[0],
            _month_end(row[1]) if by_month else row[1],
            row[2] if by_district else None,
            int(row[-1]),
        )
        for row in rows
    ]


def _accidents_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    by_district, by_month = shape["by_district"], shape["by_month"]
    district_id = _district_of(shape, values)
    if reader.reads_kept_figures:
        kept = _kept("figures_accidents")
        earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
        keys = (*_grain(reader, by_month, earliest, latest), *_district_key(kept, by_district))
        statement = _kept_select(reader, kept, district_id, *keys, func.sum(kept.c.records))
    else:
        accidents = reader.table("accidents")
        earliest, latest = accidents.c.occurred_earliest, accidents.c.occurred_latest
        keys = (
            *_grain(reader, by_month, earliest, latest),
            *_district_key(accidents, by_district),
        )
        statement = _in_district(
            reader, "accidents", reader.select("accidents", *keys, func.count()), district_id
        )
    dated = _dated(earliest, latest, values.first, values.last, values.until)
    return statement.where(dated).group_by(*keys)


_ACCIDENTS_BY_DAY = Statement("figures.accidents_by_day", _accidents_by_day)


def roughly_dated(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[DatedRecords]:
    """Finds and accidents dated only to a month or a year whose dates overlap
    ``start..end``, grouped by their dates and district (few rows: a partial index)."""
    result: list[DatedRecords] = []
    for kind in ("finds", "accidents"):
        shape = {"kind": kind, "district": district_id is not None}
        rows = run(
            reader, _ROUGHLY_DATED, shape, start=start, end=end, **_district_value(district_id)
        )
        result.extend(DatedRecords(e, la, d, int(n)) for e, la, d, n in rows)
    return result


def _roughly_dated(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func, text

    from demine.store.schema import ROUGH_DATES

    kind = shape["kind"]
    table = reader.table(kind)
    earliest, latest = reader.date_columns(kind_named(kind))
    keys = (earliest, latest, table.c.district_id)
    statement = (
        reader.select(kind, *keys, func.count())
        .where(text(ROUGH_DATES))
        .where(earliest <= values.end, latest >= values.start)
    )
    return _in_district(reader, kind, statement, _district_of(shape, values)).group_by(*keys)


_ROUGHLY_DATED = Statement("figures.roughly_dated", _roughly_dated)


def hazards_by_day(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[date, int]]:
    """``(day, hazardous areas recorded)`` for each day of ``start..end`` with any."""
    shape = {"district": district_id is not None}
    rows = run(reader, _HAZARDS_BY_DAY, shape, start=start, end=end, **_district_value(district_id))
    return [(day, int(n)) for day, n in rows]


def _hazards_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    hazards = reader.table("hazards")
    statement = reader.select("hazards", hazards.c.recorded_on, func.count()).where(
        hazards.c.recorded_on.between(values.start, values.end)
    )
    return _in_district(reader, "hazards", statement, _district_of(shape, values)).group_by(
        hazards.c.recorded_on
    )


_HAZARDS_BY_DAY = Statement("figures.hazards_by_day", _hazards_by_day)


def first_day(reader: RegisterReader) -> date | None:
    """The earliest day of any find, activity's end or published total of the country."""
    days = []
    for kind, column in (
        ("finds", "found_earliest"),
        ("activities", "end_date"),
        ("summaries", "period_start"),
    ):
        rows = run(reader, _FIRST_DAY, {"kind": kind, "column": column})
        days.append(rows[0][0] if rows else None)
    known = [day for day in days if day is not None]
    return min(known) if known else None


def _first_day(reader: RegisterReader, shape: Shape, _values: Parameters) -> Any:
    from sqlalchemy import func

    return reader.select(shape["kind"], func.min(reader.table(shape["kind"]).c[shape["column"]]))


_FIRST_DAY = Statement("figures.first_day", _first_day)


def newest_record_day(reader: RegisterReader, today: date) -> date | None:
    """The latest day (up to ``today``) on which an activity ended or a find dated to the
    day was made."""
    from sqlalchemy import func

    if reader.reads_kept_figures:
        # The kept figures hold the same live finds and activities by day: a few
        # thousand rows instead of a scan of a national register's finds.
        finds, acts = _kept("figures_finds"), _kept("figures_activities")
        newest_find = _kept_select(reader, finds, None, func.max(finds.c.found_latest))
        newest_activity = _kept_select(reader, acts, None, func.max(acts.c.end_date))
    else:
        finds, acts = reader.table("finds"), reader.table("activities")
        newest_find = reader.select("finds", func.max(finds.c.found_latest))
        newest_activity = reader.select("activities", func.max(acts.c.end_date))
    newest_find = newest_find.where(
        finds.c.found_earliest == finds.c.found_latest, finds.c.found_latest <= today
    )
    newest_activity = newest_activity.where(acts.c.end_date <= today)
    days = [reader.connection.execute(query).scalar() for query in (newest_find, newest_activity)]
    known = [day for day in days if day is not None]
    return max(known) if known else None


# -- the map and the provenance of one period ------------------------------------------


def _finds_inside(reader: RegisterReader, start: Any, end: Any) -> list[ColumnElement[bool]]:
    finds = reader.table("finds")
    # The earliest day is bounded on both sides (it cannot pass the latest), so that an
    # index on it is read for the period only, not to the end of the register.
    return [finds.c.found_earliest.between(start, end), finds.c.found_latest <= end]


def _activities_ended(reader: RegisterReader, start: Any, end: Any) -> ColumnElement[bool]:
    from sqlalchemy import and_

    from demine.store.reads.reopened import released

    acts = reader.table("activities")
    return and_(acts.c.end_date.between(start, end), released(reader, acts))


def found_points(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[str, BaseGeometry, int]]:
    """``(category, point, devices)`` of the located finds dated inside the period."""
    shape = {"district": district_id is not None}
    rows = run(reader, _FOUND_POINTS, shape, start=start, end=end, **_district_value(district_id))
    return [(c, g, q) for c, g, q in rows]


def _found_points(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    finds = reader.table("finds")
    statement = (
        reader.select("finds", finds.c.category, finds.c.geometry, finds.c.quantity)
        .where(*_finds_inside(reader, values.start, values.end))
        .where(finds.c.geometry.is_not(None))
    )
    return _in_district(reader, "finds", statement, _district_of(shape, values))


_FOUND_POINTS = Statement("figures.found_points", _found_points)


def released_areas(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[str, BaseGeometry]]:
    """``(activity kind, area)`` of the mapped activities that ended in the period."""
    shape = {"district": district_id is not None}
    rows = run(reader, _RELEASED_AREAS, shape, start=start, end=end, **_district_value(district_id))
    return [(k, g) for k, g in rows]


def _released_areas(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    acts = reader.table("activities")
    statement = (
        reader.select("activities", acts.c.kind, acts.c.geometry)
        .where(_activities_ended(reader, values.start, values.end))
        .where(acts.c.geometry.is_not(None))
    )
    return _in_district(reader, "activities", statement, _district_of(shape, values))


_RELEASED_AREAS = Statement("figures.released_areas", _released_areas)


@dataclass(frozen=True)
class ImportedFile:
    file_name: str
    kind: str
    sha256: str
    imported_at: datetime


@dataclass(frozen=True)
class PeriodRecords:
    """How many finds and activities a period's figures count, and the files they came from."""

    finds: int
    activities: int
    imports: list[ImportedFile]


def period_records(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> PeriodRecords:
    """The finds dated inside ``start..end``, the activities that ended in it, and the
    imports that brought them."""
    # One pass per table: how many rows came from each import.
    counts: list[int] = []
    batch_ids: set[int] = set()
    for kind in ("finds", "activities"):
        shape = {"kind": kind, "district": district_id is not None}
        per_batch = run(
            reader, _PER_BATCH, shape, start=start, end=end, **_district_value(district_id)
        )
        counts.append(sum(int(n) for _, n in per_batch))
        batch_ids.update(b for b, _ in per_batch if b is not None)
    imports = [
        ImportedFile(row["file_name"], row["kind"], row["file_sha256"], row["imported_at"])
        for row in (run_mappings(reader, _IMPORTS, ids=sorted(batch_ids)) if batch_ids else [])
    ]
    return PeriodRecords(counts[0], counts[1], imports)


def _per_batch(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    """How many of the period's records (finds dated inside it, activities that ended
    in it) came from each import."""
    from sqlalchemy import func

    kind = shape["kind"]
    table = reader.table(kind)
    batch = table.c.import_batch_id
    if kind == "finds":
        inside = _finds_inside(reader, values.start, values.end)
    else:
        inside = [_activities_ended(reader, values.start, values.end)]
    rows = reader.select(kind, batch, func.count()).where(*inside)
    return _in_district(reader, kind, rows, _district_of(shape, values)).group_by(batch)


def _imports(_reader: RegisterReader, _shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    batches = schema.import_batches
    return select(batches).where(batches.c.id.in_(values.ids)).order_by(batches.c.id)


_PER_BATCH = Statement("figures.per_batch", _per_batch)
_IMPORTS = Statement("figures.imports", _imports, expanding=("ids",))
