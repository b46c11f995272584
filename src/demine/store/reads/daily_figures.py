"""The figures' totals grouped by day (or month) over a span: a bulletin slices its
period, the one before, the trend and the cumulative series from them in Python — one
query per table instead of one per period. Live rows of the reader's country only; the
kept figures where the reader may read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from demine.domain.kinds import kind_named
from demine.store.compiled import Parameters, Statement, run
from demine.store.reader import RegisterReader
from demine.store.reads.figure_filters import (
    Shape,
    dated,
    district_of,
    district_value,
    in_district,
    kept_released_sums,
    kept_select,
    kept_table,
    released_sums,
    without,
)
from demine.store.reads.figures import ActivityTotals

if TYPE_CHECKING:
    from sqlalchemy import Table

# SQLAlchemy and the schema are imported where statements are built: the bulletin's
# reads run as compiled statements (:mod:`demine.store.compiled`) without them.


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
        **district_value(district_id),
    )  # fmt: skip
    if by_district:
        return [DatedFinds(e, la, d, c, int(q)) for e, la, c, d, q in rows]
    if by_month:
        return [DatedFinds(e, _month_end(la), None, c, int(q)) for e, la, c, q in rows]
    return [DatedFinds(e, la, None, c, int(q)) for e, la, c, q in rows]


def _span_shape(district_id: int | None, by_district: bool, by_month: bool) -> dict[str, bool]:
    return {"district": district_id is not None, "by_district": by_district, "by_month": by_month}


def _finds_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    by_district, by_month = shape["by_district"], shape["by_month"]
    district_id = district_of(shape, values)
    if reader.reads_kept_figures:
        kept = kept_table("figures_finds")
        earliest, latest = kept.c.found_earliest, kept.c.found_latest
        dates = _grain(reader, by_month, earliest, latest)
        keys = (*dates, kept.c.category, *_district_key(kept, by_district))
        statement = kept_select(reader, kept, district_id, *keys, func.sum(kept.c.devices))
    else:
        finds = reader.table("finds")
        earliest, latest = finds.c.found_earliest, finds.c.found_latest
        dates = _grain(reader, by_month, earliest, latest)
        keys = (*dates, finds.c.category, *_district_key(finds, by_district))
        statement = in_district(
            reader, "finds", reader.select("finds", *keys, func.sum(finds.c.quantity)), district_id
        )
    counted = dated(earliest, latest, values.first, values.last, values.until)
    return statement.where(counted).group_by(*keys)


_FINDS_BY_DAY = Statement("figures.finds_by_day", _finds_by_day)


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
    values = {"first": first, "last": last, **district_value(district_id)}
    if reader.reads_kept_figures:
        # The kept figures count every live activity; those a failed QC reopened (few)
        # are read from the records and taken away.
        rows = without(
            run(reader, _KEPT_ACTIVITIES_BY_DAY, shape, **values),
            run(reader, _ACTIVITIES_BY_DAY, {**shape, "reopened": True}, **values),
        )
    else:
        rows = run(reader, _ACTIVITIES_BY_DAY, {**shape, "reopened": False}, **values)
    if by_district:
        return [DayActivities(day, d, ActivityTotals.of(*sums)) for day, d, *sums in rows]
    return [DayActivities(day, None, ActivityTotals.of(*sums)) for day, *sums in rows]


def _activities_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    """Activities ended in the span by day (and district): those a failed QC reopened
    (``reopened``), else those whose land counts as released."""
    from demine.store.reads.reopened import released, reopened

    acts = reader.table("activities")
    keys = (
        *_grain(reader, shape["by_month"], acts.c.end_date),
        *_district_key(acts, shape["by_district"]),
    )
    statement = in_district(
        reader, "activities", reader.select("activities", *keys, *released_sums(acts)),
        district_of(shape, values),
    ).where(acts.c.end_date.between(values.first, values.last))  # fmt: skip
    counted = reopened(reader, acts) if shape["reopened"] else released(reader, acts)
    return statement.where(counted).group_by(*keys)


def _kept_activities_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    kept = kept_table("figures_activities")
    keys = (
        *_grain(reader, shape["by_month"], kept.c.end_date),
        *_district_key(kept, shape["by_district"]),
    )
    statement = kept_select(
        reader, kept, district_of(shape, values), *keys, *kept_released_sums(kept)
    )
    return statement.where(kept.c.end_date.between(values.first, values.last)).group_by(*keys)


_ACTIVITIES_BY_DAY = Statement("figures.activities_by_day", _activities_by_day)
_KEPT_ACTIVITIES_BY_DAY = Statement("figures.kept_activities_by_day", _kept_activities_by_day)


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
        **district_value(district_id),
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
    district_id = district_of(shape, values)
    if reader.reads_kept_figures:
        kept = kept_table("figures_accidents")
        earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
        keys = (*_grain(reader, by_month, earliest, latest), *_district_key(kept, by_district))
        statement = kept_select(reader, kept, district_id, *keys, func.sum(kept.c.records))
    else:
        accidents = reader.table("accidents")
        earliest, latest = accidents.c.occurred_earliest, accidents.c.occurred_latest
        keys = (
            *_grain(reader, by_month, earliest, latest),
            *_district_key(accidents, by_district),
        )
        statement = in_district(
            reader, "accidents", reader.select("accidents", *keys, func.count()), district_id
        )
    counted = dated(earliest, latest, values.first, values.last, values.until)
    return statement.where(counted).group_by(*keys)


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
            reader, _ROUGHLY_DATED, shape, start=start, end=end, **district_value(district_id)
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
    return in_district(reader, kind, statement, district_of(shape, values)).group_by(*keys)


_ROUGHLY_DATED = Statement("figures.roughly_dated", _roughly_dated)


def hazards_by_day(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[date, int]]:
    """``(day, hazardous areas recorded)`` for each day of ``start..end`` with any."""
    shape = {"district": district_id is not None}
    rows = run(reader, _HAZARDS_BY_DAY, shape, start=start, end=end, **district_value(district_id))
    return [(day, int(n)) for day, n in rows]


def _hazards_by_day(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    hazards = reader.table("hazards")
    statement = reader.select("hazards", hazards.c.recorded_on, func.count()).where(
        hazards.c.recorded_on.between(values.start, values.end)
    )
    return in_district(reader, "hazards", statement, district_of(shape, values)).group_by(
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
        finds, acts = kept_table("figures_finds"), kept_table("figures_activities")
        newest_find = kept_select(reader, finds, None, func.max(finds.c.found_latest))
        newest_activity = kept_select(reader, acts, None, func.max(acts.c.end_date))
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
