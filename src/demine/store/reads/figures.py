"""The queries behind one period's figures by district: summaries and bulletins.

Every query reads live rows (approved, not deleted) of the reader's country through a
:class:`RegisterReader`. A record dated only to a month or a year counts in a period
only when its whole date range lies inside it (:mod:`demine.store.reads.figure_filters`).
The same totals grouped by day over a span are :mod:`demine.store.reads.daily_figures`;
the map's points and areas and the provenance of a period,
:mod:`demine.store.reads.period_records`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from demine.domain.kinds import kind_named
from demine.store.compiled import Parameters, Statement, run, run_mappings
from demine.store.reader import RegisterReader
from demine.store.reads.figure_filters import (
    Shape,
    district_of,
    district_value,
    in_district,
    kept_released_sums,
    kept_select,
    kept_table,
    released_sums,
    whole_years,
    within,
    without,
)

# SQLAlchemy and the schema are imported where statements are built: the bulletin's
# reads run as compiled statements (:mod:`demine.store.compiled`) without them.


# -- one period, by district ----------------------------------------------------------


@dataclass(frozen=True)
class ActivityTotals:
    """Land released by some activities, and how many they are."""

    cleared_m2: float
    reduced_m2: float
    cancelled_m2: float
    activities: int

    @classmethod
    def of(cls, cleared: Any, reduced: Any, cancelled: Any, number: Any) -> ActivityTotals:
        """From the sums a query gives (None where no activity released any)."""
        return cls(float(cleared or 0), float(reduced or 0), float(cancelled or 0), int(number))


def find_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, str, int]]:
    """``(district id, category, devices)`` of the finds dated inside ``start..end``."""
    shape, values = _period(reader, start, end, district_id)
    return [(d, c, int(q)) for d, c, q in run(reader, _FIND_TOTALS, shape, **values)]


def _period(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The shape and values of a period's statement: whole years are read from the kept
    figures by year where the reader may read them (a few hundred rows instead of some
    20,000 a year by day)."""
    years = reader.reads_kept_figures and whole_years(start, end)
    first, last = (start.year, end.year) if years else (start, end)
    values = {"first": first, "last": last, **district_value(district_id)}
    return {"district": district_id is not None, "years": years}, values


def _find_totals(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    district_id = district_of(shape, values)
    if reader.reads_kept_figures:
        if shape["years"]:
            kept = kept_table("figures_finds_by_year")
            earliest, latest = kept.c.first_year, kept.c.last_year
        else:
            kept = kept_table("figures_finds")
            earliest, latest = kept.c.found_earliest, kept.c.found_latest
        keys = (kept.c.district_id, kept.c.category)
        statement = kept_select(reader, kept, district_id, *keys, func.sum(kept.c.devices))
        return statement.where(within(earliest, latest, values.first, values.last)).group_by(*keys)
    finds = reader.table("finds")
    keys = (finds.c.district_id, finds.c.category)
    statement = reader.select("finds", *keys, func.sum(finds.c.quantity)).where(
        within(finds.c.found_earliest, finds.c.found_latest, values.first, values.last)
    )
    return in_district(reader, "finds", statement, district_id).group_by(*keys)


_FIND_TOTALS = Statement("figures.find_totals", _find_totals)


def activity_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, ActivityTotals]]:
    """Land released by district, of the activities that ended in ``start..end``."""
    shape, values = _period(reader, start, end, district_id)
    if reader.reads_kept_figures:
        # As in :func:`activities_by_day`: the few activities a failed QC reopened are
        # read from the records and taken away.
        days = {**values, "first": start, "last": end}
        rows = without(
            run(reader, _KEPT_ACTIVITY_TOTALS, shape, **values),
            run(reader, _ACTIVITY_TOTALS, {**shape, "years": False, "reopened": True}, **days),
        )
    else:
        rows = run(reader, _ACTIVITY_TOTALS, {**shape, "reopened": False}, **values)
    return [(d, ActivityTotals.of(*sums)) for d, *sums in rows]


def _activity_totals(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    """Activities ended in the period by district: those a failed QC reopened
    (``reopened``), else those whose land counts as released."""
    from demine.store.reads.reopened import released, reopened

    acts = reader.table("activities")
    statement = in_district(
        reader, "activities", reader.select("activities", acts.c.district_id, *released_sums(acts)),
        district_of(shape, values),
    ).where(acts.c.end_date.between(values.first, values.last))  # fmt: skip
    counted = reopened(reader, acts) if shape["reopened"] else released(reader, acts)
    return statement.where(counted).group_by(acts.c.district_id)


def _kept_activity_totals(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    if shape["years"]:
        kept = kept_table("figures_activities_by_year")
        ended = kept.c.end_year.between(values.first, values.last)
    else:
        kept = kept_table("figures_activities")
        ended = kept.c.end_date.between(values.first, values.last)
    return (
        kept_select(
            reader, kept, district_of(shape, values), kept.c.district_id,
            *kept_released_sums(kept),
        )
        .where(ended)
        .group_by(kept.c.district_id)
    )  # fmt: skip


_ACTIVITY_TOTALS = Statement("figures.activity_totals", _activity_totals)
_KEPT_ACTIVITY_TOTALS = Statement("figures.kept_activity_totals", _kept_activity_totals)


def accident_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, int]]:
    """``(district id, accidents)`` of the accidents dated inside ``start..end``."""
    shape = {"district": district_id is not None}
    values = {"start": start, "end": end, **district_value(district_id)}
    return [(d, int(n)) for d, n in run(reader, _ACCIDENT_TOTALS, shape, **values)]


def _accident_totals(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    district_id = district_of(shape, values)
    if reader.reads_kept_figures:
        kept = kept_table("figures_accidents")
        earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
        statement = kept_select(
            reader, kept, district_id, kept.c.district_id, func.sum(kept.c.records)
        ).where(within(earliest, latest, values.start, values.end))
        return statement.group_by(kept.c.district_id)
    accidents = reader.table("accidents")
    statement = reader.select("accidents", accidents.c.district_id, func.count()).where(
        within(accidents.c.occurred_earliest, accidents.c.occurred_latest, values.start, values.end)
    )
    return in_district(reader, "accidents", statement, district_id).group_by(
        accidents.c.district_id
    )


_ACCIDENT_TOTALS = Statement("figures.accident_totals", _accident_totals)


def unattributable_count(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> int:
    """Records dated only roughly whose date range overlaps the period but is not inside it."""
    values = {"start": start, "end": end, **district_value(district_id)}
    return sum(
        int(run(reader, _UNATTRIBUTABLE, {"kind": kind, "district": district_id is not None},
                **values)[0][0])
        for kind in ("finds", "accidents")
    )  # fmt: skip


def _unattributable(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func, text

    from demine.store.schema import ROUGH_DATES

    kind = shape["kind"]
    if kind == "accidents" and reader.reads_kept_figures:
        # Accidents have no index of their rough dates: their kept figures by dates are
        # read instead (a record dated to one day is inside the period or outside it).
        kept = kept_table("figures_accidents")
        earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
        return kept_select(
            reader, kept, district_of(shape, values), func.coalesce(func.sum(kept.c.records), 0)
        ).where(
            earliest <= values.end,
            latest >= values.start,
            ~within(earliest, latest, values.start, values.end),
        )
    earliest, latest = reader.date_columns(kind_named(kind))
    statement = (
        reader.select(kind, func.count())
        # A day-dated record is inside the period or outside it (and this condition,
        # written as the partial index's, lets the database use that index).
        .where(text(ROUGH_DATES))
        .where(earliest <= values.end, latest >= values.start)
        .where(~within(earliest, latest, values.start, values.end))
    )
    return in_district(reader, kind, statement, district_of(shape, values))


_UNATTRIBUTABLE = Statement("figures.unattributable", _unattributable)


def hazards_recorded(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> int:
    """Hazardous areas recorded in ``start..end``."""
    shape = {"district": district_id is not None}
    values = {"start": start, "end": end, **district_value(district_id)}
    return int(run(reader, _HAZARDS_RECORDED, shape, **values)[0][0])


def _hazards_recorded(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import func

    hazards = reader.table("hazards")
    statement = reader.select("hazards", func.count()).where(
        hazards.c.recorded_on.between(values.start, values.end)
    )
    return in_district(reader, "hazards", statement, district_of(shape, values))


_HAZARDS_RECORDED = Statement("figures.hazards_recorded", _hazards_recorded)


def published_within(reader: RegisterReader, start: date, end: date) -> list[dict[str, Any]]:
    """Published totals whose period lies inside ``start..end``, in the order stored."""
    return run_mappings(reader, _PUBLISHED_WITHIN, start=start, end=end)


def _published_within(reader: RegisterReader, _shape: Shape, values: Parameters) -> Any:
    table = reader.table("summaries")
    return (
        reader.select("summaries")
        .where(within(table.c.period_start, table.c.period_end, values.start, values.end))
        .order_by(table.c.id)
    )


_PUBLISHED_WITHIN = Statement("figures.published_within", _published_within)
