"""What a period's bulletin draws and cites: the devices found and the land released
on its map, and the imported files its figures came from (provenance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from demine.store.compiled import Parameters, Statement, run, run_mappings
from demine.store.reader import RegisterReader
from demine.store.reads.figure_filters import Shape, district_of, district_value, in_district

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry
    from sqlalchemy import ColumnElement

# SQLAlchemy and the schema are imported where statements are built: the bulletin's
# reads run as compiled statements (:mod:`demine.store.compiled`) without them.


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
    rows = run(reader, _FOUND_POINTS, shape, start=start, end=end, **district_value(district_id))
    return [(c, g, q) for c, g, q in rows]


def _found_points(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    finds = reader.table("finds")
    statement = (
        reader.select("finds", finds.c.category, finds.c.geometry, finds.c.quantity)
        .where(*_finds_inside(reader, values.start, values.end))
        .where(finds.c.geometry.is_not(None))
    )
    return in_district(reader, "finds", statement, district_of(shape, values))


_FOUND_POINTS = Statement("figures.found_points", _found_points)


def released_areas(
    reader: RegisterReader, start: date, end: date, district_id: int | None
) -> list[tuple[str, BaseGeometry]]:
    """``(activity kind, area)`` of the mapped activities that ended in the period."""
    shape = {"district": district_id is not None}
    rows = run(reader, _RELEASED_AREAS, shape, start=start, end=end, **district_value(district_id))
    return [(k, g) for k, g in rows]


def _released_areas(reader: RegisterReader, shape: Shape, values: Parameters) -> Any:
    acts = reader.table("activities")
    statement = (
        reader.select("activities", acts.c.kind, acts.c.geometry)
        .where(_activities_ended(reader, values.start, values.end))
        .where(acts.c.geometry.is_not(None))
    )
    return in_district(reader, "activities", statement, district_of(shape, values))


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
            reader, _PER_BATCH, shape, start=start, end=end, **district_value(district_id)
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
    return in_district(reader, kind, rows, district_of(shape, values)).group_by(batch)


def _imports(_reader: RegisterReader, _shape: Shape, values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    batches = schema.import_batches
    return select(batches).where(batches.c.id.in_(values.ids)).order_by(batches.c.id)


_PER_BATCH = Statement("figures.per_batch", _per_batch)
_IMPORTS = Statement("figures.imports", _imports, expanding=("ids",))
