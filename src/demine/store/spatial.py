"""Spatial filters that answer the same on SQLite and PostGIS.

PostGIS tests ``ST_Intersects`` against the box in SQL (using the GiST index). SQLite
has no spatial functions here, so the stored bounding-box columns narrow the candidates
(with their B-tree index) and shapely makes the exact test in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from sqlalchemy import Integer, Select, Table, and_, cast, func

from demine.store.geometry import WGS84


@dataclass(frozen=True)
class BBox:
    """A longitude/latitude box."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """``minx,miny,maxx,maxy`` as OGC API and most tools write it."""
        parts = text.split(",")
        if len(parts) != 4:
            raise ValueError("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
        try:
            min_x, min_y, max_x, max_y = (float(p) for p in parts)
        except ValueError:
            raise ValueError(f"bbox '{text}' is not four numbers") from None
        if min_x > max_x or min_y > max_y:
            raise ValueError("bbox minimum is greater than its maximum")
        if not (
            -180 <= min_x <= 180
            and -180 <= max_x <= 180
            and -90 <= min_y <= 90
            and -90 <= max_y <= 90
        ):
            raise ValueError("bbox is outside longitude -180..180 / latitude -90..90")
        return cls(min_x, min_y, max_x, max_y)


def filter_envelope(statement: Select[Any], table: Table, bbox: BBox) -> Select[Any]:
    """Narrow ``statement`` to rows whose bounding box overlaps ``bbox`` (index only).

    Enough for drawing a map; :func:`filter_bbox` when the answer must be exact.
    """
    return statement.where(
        and_(
            table.c.max_x >= bbox.min_x,
            table.c.min_x <= bbox.max_x,
            table.c.max_y >= bbox.min_y,
            table.c.min_y <= bbox.max_y,
        )
    )


def filter_bbox(statement: Select[Any], table: Table, bbox: BBox, dialect: str) -> Select[Any]:
    """Narrow ``statement`` to rows whose geometry may intersect ``bbox``.

    Exact on PostGIS; on SQLite the result must still pass :func:`exactly_intersecting`.
    """
    statement = filter_envelope(statement, table, bbox)
    if dialect == "postgresql":
        box = func.ST_MakeEnvelope(bbox.min_x, bbox.min_y, bbox.max_x, bbox.max_y, WGS84)
        statement = statement.where(func.ST_Intersects(table.c.geometry, box))
    return statement


def needs_exact_check(dialect: str) -> bool:
    return dialect != "postgresql"


def exactly_intersecting(
    rows: Iterable[Mapping[str, Any]], bbox: BBox
) -> Iterator[Mapping[str, Any]]:
    """Rows whose ``geometry`` really intersects ``bbox`` (after an envelope pre-filter)."""
    box = shapely.box(bbox.min_x, bbox.min_y, bbox.max_x, bbox.max_y)
    for row in rows:
        geometry = row["geometry"]
        if geometry is not None and shapely.intersects(geometry, box):
            yield row


def grid_cell(column: Any, origin: float, cell: float, dialect: str) -> Any:
    """The index of the grid cell holding ``column`` (a coordinate), the same on both.

    PostgreSQL rounds when casting to an integer, SQLite truncates; ``floor`` on one and a
    cast of a non-negative value on the other both give the cell below.
    """
    position = (column - origin) / cell
    if dialect == "postgresql":
        return func.floor(position)
    return cast(position, Integer)
