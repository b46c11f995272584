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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Table,
    and_,
    cast,
    func,
    select,
    text,
    type_coerce,
)

from demine.domain.entities import AdminArea
from demine.domain.kinds import kind_named
from demine.store import schema
from demine.store.reader import RecordFilter, RegisterReader
from demine.store.reads.reopened import released, reopened
from demine.store.refs import Refs, load_admin_area_refs
from demine.store.register import load_all
from demine.store.schema import ROUGH_DATES

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


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
    return (
        func.sum(acts.c.area_cleared_m2),
        func.sum(acts.c.area_reduced_m2),
        func.sum(acts.c.area_cancelled_m2),
        func.count(),
    )


def _kept_released(kept: Table) -> tuple[Any, ...]:
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
    hazards = reader.table("hazards")
    statement = reader.select("hazards", func.count()).where(
        hazards.c.recorded_on.between(start, end)
    )
    statement = _in_district(reader, "hazards", statement, district_id)
    return int(reader.connection.execute(statement).scalar_one())


def published_within(reader: RegisterReader, start: date, end: date) -> list[dict[str, Any]]:
    """Published totals whose period lies inside ``start..end``, in the order stored."""
    table = reader.table("summaries")
    statement = (
        reader.select("summaries")
        .where(_within(table.c.period_start, table.c.period_end, start, end))
        .order_by(table.c.id)
    )
    return [dict(row._mapping) for row in reader.connection.execute(statement)]


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
    grouped = statement.where(_dated(earliest, latest, first, last, until)).group_by(*keys)
    rows = reader.connection.execute(grouped)
    if by_district:
        return [DatedFinds(e, la, d, c, int(q)) for e, la, c, d, q in rows]
    if by_month:
        return [DatedFinds(e, _month_end(la), None, c, int(q)) for e, la, c, q in rows]
    return [DatedFinds(e, la, None, c, int(q)) for e, la, c, q in rows]


def _kept(name: str) -> Table:
    """An aggregate table kept by triggers (:mod:`demine.store.aggregates`)."""
    return schema.metadata.tables[name]


def _kept_select(
    reader: RegisterReader, kept: Table, district_id: int | None, *columns: Any
) -> Select[Any]:
    """``columns`` of the kept figures of the reader's country (and one district)."""
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
    acts = reader.table("activities")
    keys = (*_grain(reader, by_month, acts.c.end_date), *_district_key(acts, by_district))
    statement = _in_district(
        reader, "activities", reader.select("activities", *keys, *_released(acts)), district_id
    ).where(acts.c.end_date.between(first, last))
    if reader.reads_kept_figures:
        kept = _kept("figures_activities")
        kept_keys = (*_grain(reader, by_month, kept.c.end_date), *_district_key(kept, by_district))
        kept_rows = _kept_select(reader, kept, district_id, *kept_keys, *_kept_released(kept))
        kept_rows = kept_rows.where(kept.c.end_date.between(first, last)).group_by(*kept_keys)
        # The kept figures count every live activity; those a failed QC reopened (few)
        # are read from the records and taken away.
        reopened_rows = statement.where(reopened(reader, acts)).group_by(*keys)
        rows = _without(
            reader.connection.execute(kept_rows), reader.connection.execute(reopened_rows)
        )
    else:
        grouped = statement.where(released(reader, acts)).group_by(*keys)
        rows = [tuple(row) for row in reader.connection.execute(grouped)]
    if by_district:
        return [DayActivities(day, d, _activity_totals(*sums)) for day, d, *sums in rows]
    return [DayActivities(day, None, _activity_totals(*sums)) for day, *sums in rows]


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
    grouped = statement.where(_dated(earliest, latest, first, last, until)).group_by(*keys)
    return [
        DatedRecords(
            row[0],
            _month_end(row[1]) if by_month else row[1],
            row[2] if by_district else None,
            int(row[-1]),
        )
        for row in reader.connection.execute(grouped)
    ]


def roughly_dated(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[DatedRecords]:
    """Finds and accidents dated only to a month or a year whose dates overlap
    ``start..end``, grouped by their dates and district (few rows: a partial index)."""
    result: list[DatedRecords] = []
    for kind in ("finds", "accidents"):
        table = reader.table(kind)
        earliest, latest = reader.date_columns(kind_named(kind))
        keys = (earliest, latest, table.c.district_id)
        statement = (
            reader.select(kind, *keys, func.count())
            .where(text(ROUGH_DATES))
            .where(earliest <= end, latest >= start)
        )
        grouped = _in_district(reader, kind, statement, district_id).group_by(*keys)
        result.extend(
            DatedRecords(e, la, d, int(n)) for e, la, d, n in reader.connection.execute(grouped)
        )
    return result


def hazards_by_day(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[date, int]]:
    """``(day, hazardous areas recorded)`` for each day of ``start..end`` with any."""
    hazards = reader.table("hazards")
    statement = reader.select("hazards", hazards.c.recorded_on, func.count()).where(
        hazards.c.recorded_on.between(start, end)
    )
    grouped = _in_district(reader, "hazards", statement, district_id).group_by(
        hazards.c.recorded_on
    )
    return [(day, int(n)) for day, n in reader.connection.execute(grouped)]


def first_day(reader: RegisterReader) -> date | None:
    """The earliest day of any find, activity's end or published total of the country."""
    days = []
    for kind, column in (
        ("finds", "found_earliest"),
        ("activities", "end_date"),
        ("summaries", "period_start"),
    ):
        statement = reader.select(kind, func.min(reader.table(kind).c[column]))
        days.append(reader.connection.execute(statement).scalar())
    known = [day for day in days if day is not None]
    return min(known) if known else None


def newest_record_day(reader: RegisterReader, today: date) -> date | None:
    """The latest day (up to ``today``) on which an activity ended or a find dated to the
    day was made."""
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


def _finds_inside(reader: RegisterReader, start: date, end: date) -> list[ColumnElement[bool]]:
    finds = reader.table("finds")
    # The earliest day is bounded on both sides (it cannot pass the latest), so that an
    # index on it is read for the period only, not to the end of the register.
    return [finds.c.found_earliest.between(start, end), finds.c.found_latest <= end]


def _activities_ended(reader: RegisterReader, start: date, end: date) -> ColumnElement[bool]:
    acts = reader.table("activities")
    return and_(acts.c.end_date.between(start, end), released(reader, acts))


def found_points(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[str, BaseGeometry, int]]:
    """``(category, point, devices)`` of the located finds dated inside the period."""
    finds = reader.table("finds")
    statement = (
        reader.select("finds", finds.c.category, finds.c.geometry, finds.c.quantity)
        .where(*_finds_inside(reader, start, end))
        .where(finds.c.geometry.is_not(None))
    )
    statement = _in_district(reader, "finds", statement, district_id)
    return [(c, g, q) for c, g, q in reader.connection.execute(statement)]


def released_areas(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[str, BaseGeometry]]:
    """``(activity kind, area)`` of the mapped activities that ended in the period."""
    acts = reader.table("activities")
    statement = (
        reader.select("activities", acts.c.kind, acts.c.geometry)
        .where(_activities_ended(reader, start, end))
        .where(acts.c.geometry.is_not(None))
    )
    statement = _in_district(reader, "activities", statement, district_id)
    return [(k, g) for k, g in reader.connection.execute(statement)]


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
    finds, acts = reader.table("finds"), reader.table("activities")
    find_rows = reader.select("finds", finds.c.import_batch_id).where(
        *_finds_inside(reader, start, end)
    )
    act_rows = reader.select("activities", acts.c.import_batch_id).where(
        _activities_ended(reader, start, end)
    )
    find_rows = _in_district(reader, "finds", find_rows, district_id)
    act_rows = _in_district(reader, "activities", act_rows, district_id)
    connection = reader.connection
    # One pass per table: how many rows came from each import.
    counts: list[int] = []
    batch_ids: set[int] = set()
    for rows in (find_rows, act_rows):
        batch = rows.selected_columns[0]
        per_batch = connection.execute(
            rows.with_only_columns(batch, func.count()).group_by(batch)
        ).all()
        counts.append(sum(int(n) for _, n in per_batch))
        batch_ids.update(b for b, _ in per_batch if b is not None)
    batches = schema.import_batches
    imports = [
        ImportedFile(row.file_name, row.kind, row.file_sha256, row.imported_at)
        for row in connection.execute(
            select(batches).where(batches.c.id.in_(sorted(batch_ids))).order_by(batches.c.id)
        )
    ]
    return PeriodRecords(counts[0], counts[1], imports)
