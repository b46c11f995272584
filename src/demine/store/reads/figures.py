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

from demine.domain.entities import AdminArea
from demine.domain.kinds import kind_named
from demine.store.compiled import Parameters, Statement, run_mappings
from demine.store.entity_reads import load_all
from demine.store.reader import RegisterReader
from demine.store.reads.figure_filters import (
    Shape,
    in_district,
    kept_released_sums,
    kept_select,
    kept_table,
    released_sums,
    whole_years,
    within,
    without,
)
from demine.store.refs import Refs, load_admin_area_refs

# SQLAlchemy and the schema are imported where statements are built: the bulletin's
# reads run as compiled statements (:mod:`demine.store.compiled`) without them.


def district_lookups(
    reader: RegisterReader, *, with_geometry: bool = True
) -> tuple[Refs, list[AdminArea]]:
    """The key map of areas and every stored area, with its aliases
    (and its shape, ``with_geometry``)."""
    refs = load_admin_area_refs(reader.connection)
    return refs, load_all(reader.connection, AdminArea, refs, with_geometry=with_geometry)


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
    from sqlalchemy import func

    if reader.reads_kept_figures:
        first: date | int
        last: date | int
        if whole_years(start, end):
            # A few hundred rows by year instead of some 20,000 a year by day.
            kept = kept_table("figures_finds_by_year")
            earliest, latest = kept.c.first_year, kept.c.last_year
            first, last = start.year, end.year
        else:
            kept = kept_table("figures_finds")
            earliest, latest = kept.c.found_earliest, kept.c.found_latest
            first, last = start, end
        keys = (kept.c.district_id, kept.c.category)
        statement = kept_select(reader, kept, district_id, *keys, func.sum(kept.c.devices))
        grouped = statement.where(within(earliest, latest, first, last)).group_by(*keys)
        return [(d, c, int(q)) for d, c, q in reader.connection.execute(grouped)]
    finds = reader.table("finds")
    statement = reader.select(
        "finds", finds.c.district_id, finds.c.category, func.sum(finds.c.quantity)
    ).where(within(finds.c.found_earliest, finds.c.found_latest, start, end))
    statement = in_district(reader, "finds", statement, district_id)
    grouped = statement.group_by(finds.c.district_id, finds.c.category)
    return [(d, c, int(q)) for d, c, q in reader.connection.execute(grouped)]


def activity_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, ActivityTotals]]:
    """Land released by district, of the activities that ended in ``start..end``."""

    from demine.store.reads.reopened import released, reopened

    acts = reader.table("activities")
    statement = in_district(
        reader, "activities", reader.select("activities", acts.c.district_id, *released_sums(acts)),
        district_id,
    ).where(acts.c.end_date.between(start, end))  # fmt: skip
    if reader.reads_kept_figures:
        if whole_years(start, end):
            kept = kept_table("figures_activities_by_year")
            ended = kept.c.end_year.between(start.year, end.year)
        else:
            kept = kept_table("figures_activities")
            ended = kept.c.end_date.between(start, end)
        kept_rows = kept_select(
            reader, kept, district_id, kept.c.district_id, *kept_released_sums(kept)
        ).where(ended)
        # As in :func:`activities_by_day`: the few activities a failed QC reopened are
        # read from the records and taken away.
        rows = without(
            reader.connection.execute(kept_rows.group_by(kept.c.district_id)),
            reader.connection.execute(
                statement.where(reopened(reader, acts)).group_by(acts.c.district_id)
            ),
        )
    else:
        grouped = statement.where(released(reader, acts)).group_by(acts.c.district_id)
        rows = [tuple(row) for row in reader.connection.execute(grouped)]
    return [(d, ActivityTotals.of(*sums)) for d, *sums in rows]


def accident_totals(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[int, int]]:
    """``(district id, accidents)`` of the accidents dated inside ``start..end``."""
    from sqlalchemy import func

    if reader.reads_kept_figures:
        kept = kept_table("figures_accidents")
        earliest, latest = kept.c.occurred_earliest, kept.c.occurred_latest
        statement = kept_select(
            reader, kept, district_id, kept.c.district_id, func.sum(kept.c.records)
        ).where(within(earliest, latest, start, end))
        grouped = statement.group_by(kept.c.district_id)
        return [(d, int(n)) for d, n in reader.connection.execute(grouped)]
    accidents = reader.table("accidents")
    statement = reader.select("accidents", accidents.c.district_id, func.count()).where(
        within(accidents.c.occurred_earliest, accidents.c.occurred_latest, start, end)
    )
    grouped = in_district(reader, "accidents", statement, district_id).group_by(
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
            .where(~within(earliest, latest, start, end))
        )
        statement = in_district(reader, kind, statement, district_id)
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
    statement = in_district(reader, "hazards", statement, district_id)
    return int(reader.connection.execute(statement).scalar_one())


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
