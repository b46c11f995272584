"""What the figures' queries share: which records a period counts, and the kept tables.

A record dated only to a month or a year counts in a period only when its whole date
range lies inside it, so records are selected by both ends of their dates
(:func:`within`, :func:`dated`). The kept figures (:mod:`demine.store.aggregates`) are
read through :func:`kept_table` and :func:`kept_select`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from demine.store.compiled import Parameters
from demine.store.reader import RecordFilter, RegisterReader

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Select, Table

# SQLAlchemy and the schema are imported where statements are built: the bulletin's
# reads run as compiled statements (:mod:`demine.store.compiled`) without them.


def whole_years(start: date, end: date) -> bool:
    """Whether ``start..end`` is whole calendar years (January 1st to December 31st)."""
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)


def within(earliest: Any, latest: Any, start: Any, end: Any) -> ColumnElement[bool]:
    # ``earliest <= end`` follows from the others (earliest <= latest); stated, it bounds
    # the index range the database reads to the period instead of everything after it.
    return dated(earliest, latest, start, end, end)


def dated(earliest: Any, latest: Any, first: Any, last: Any, until: Any) -> ColumnElement[bool]:
    """Records whose earliest date is in ``first..last`` and latest on or before ``until``
    (dates, or years when the columns are years)."""
    from sqlalchemy import and_

    return and_(earliest >= first, earliest <= last, latest <= until)


def in_district(
    reader: RegisterReader, kind: str, statement: Select[Any], district_id: int | None
) -> Select[Any]:
    return reader.filtered(kind, statement, RecordFilter(district_id=district_id))


def kept_table(name: str) -> Table:
    """An aggregate table kept by triggers (:mod:`demine.store.aggregates`)."""
    from demine.store import schema

    return schema.metadata.tables[name]


def kept_select(
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


def released_sums(acts: Table) -> tuple[Any, ...]:
    from sqlalchemy import func

    return (
        func.sum(acts.c.area_cleared_m2),
        func.sum(acts.c.area_reduced_m2),
        func.sum(acts.c.area_cancelled_m2),
        func.count(),
    )


def kept_released_sums(kept: Table) -> tuple[Any, ...]:
    from sqlalchemy import func

    return (
        func.sum(kept.c.cleared_m2),
        func.sum(kept.c.reduced_m2),
        func.sum(kept.c.cancelled_m2),
        func.sum(kept.c.records),
    )


Shape = Mapping[str, Any]


def district_value(district_id: int | None) -> dict[str, int]:
    return {} if district_id is None else {"district_id": district_id}


def district_of(shape: Shape, values: Parameters) -> Any:
    """The district parameter where the statement has one (else no district condition)."""
    return values.district_id if shape["district"] else None


def without(rows: Iterable[Sequence[Any]], taken: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
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
