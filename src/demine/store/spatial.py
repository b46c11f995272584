"""Spatial filters that answer the same on SQLite and PostGIS.

PostGIS tests ``ST_Intersects`` against the box in SQL (using the GiST index). SQLite
has no spatial functions here, so the stored bounding boxes narrow the candidates and
shapely makes the exact test in Python. The boxes are searched in the table's R*Tree
(``rtree_<table>``, kept by triggers, migration 0023), which narrows on both axes at
once; the B-tree index on ``(min_x, min_y, max_x, max_y)`` could only range over
``min_x``, a strip of the whole country.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    cast,
    func,
    select,
)
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from demine.i18n import _
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
            raise ValueError(_("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat"))
        try:
            min_x, min_y, max_x, max_y = (float(p) for p in parts)
        except ValueError:
            raise ValueError(_("bbox '{text}' is not four numbers").format(text=text)) from None
        if min_x > max_x or min_y > max_y:
            raise ValueError(_("bbox minimum is greater than its maximum"))
        if not (
            -180 <= min_x <= 180
            and -180 <= max_x <= 180
            and -90 <= min_y <= 90
            and -90 <= max_y <= 90
        ):
            raise ValueError(_("bbox is outside longitude -180..180 / latitude -90..90"))
        return cls(min_x, min_y, max_x, max_y)


@dataclass(frozen=True)
class Reach:
    """The width and height of the largest bounding box among a table's rows (degrees)."""

    width: float
    height: float


#: Margin for rounding in ``min_x >= box.min_x - width`` (about a millimetre).
_ROUNDING = 1e-8
_REACH_CACHE = "demine.spatial.reach"


def envelope_reach(connection: Connection, table: Table) -> Reach | None:
    """The :class:`Reach` of ``table`` on SQLite (``None`` on PostGIS, or if empty).

    Kept with the database connection and computed again after any change committed by
    another connection (``PRAGMA data_version``) or made by this one (``total_changes``),
    so it is never stale for the transaction that uses it.
    """
    if connection.dialect.name != "sqlite":
        return None
    version = connection.exec_driver_sql("PRAGMA data_version").scalar()
    changes = getattr(connection.connection.dbapi_connection, "total_changes", None)
    key = (version, changes)
    cache: dict[str, tuple[object, Reach | None]] = connection.info.setdefault(_REACH_CACHE, {})
    known = cache.get(table.name)
    if known is not None and known[0] == key:
        return known[1]
    width, height = connection.execute(
        select(func.max(table.c.max_x - table.c.min_x), func.max(table.c.max_y - table.c.min_y))
    ).one()
    reach = None if width is None or height is None else Reach(float(width), float(height))
    cache[table.name] = (key, reach)
    return reach


#: SQLite's R*Trees (virtual tables, not part of the schema nor of backups), by name.
_RTREES: dict[str, Table] = {}


def rtree(table: Table) -> Table:
    """The R*Tree of ``table``'s bounding boxes on SQLite (32-bit floats, rounded
    outwards: a search finds every row the exact boxes would, maybe a few more)."""
    name = f"rtree_{table.name}"
    tree = _RTREES.get(name)
    if tree is None:
        # Built whole before it is shared: a server's threads ask for it at once, and
        # a Table shows in its MetaData before it has columns (a 500 for the others).
        box = ("min_x", "max_x", "min_y", "max_y")
        built = Table(name, MetaData(), Column("id", Integer), *(Column(c, Float) for c in box))
        tree = _RTREES.setdefault(name, built)
    return tree


def filter_envelope(
    statement: Select[Any],
    table: Table,
    bbox: BBox,
    reach: Reach | None = None,
    *,
    indexed: bool = True,
    dialect: str | None = None,
) -> Select[Any]:
    """Narrow ``statement`` to rows whose bounding box overlaps ``bbox``.

    On SQLite (``dialect``) the candidates come from the table's R*Tree. Otherwise,
    with the table's ``reach`` (:func:`envelope_reach`) the B-tree index is read over a
    strip only; with ``indexed=False`` SQLite reads the table in order instead of
    looking every row up from an index (faster when most rows match, see
    :func:`covers_most`). Enough for drawing a map; :func:`filter_bbox` when the answer
    must be exact.
    """
    tree = indexed and dialect == "sqlite"

    def column(name: str) -> Any:
        return table.c[name] if indexed and not tree else unindexed(table.c[name], "sqlite")

    statement = statement.where(
        and_(
            column("max_x") >= bbox.min_x,
            column("min_x") <= bbox.max_x,
            column("max_y") >= bbox.min_y,
            column("min_y") <= bbox.max_y,
        )
    )
    if tree:
        boxes = rtree(table)
        near = select(boxes.c.id).where(
            boxes.c.max_x >= bbox.min_x,
            boxes.c.min_x <= bbox.max_x,
            boxes.c.max_y >= bbox.min_y,
            boxes.c.min_y <= bbox.max_y,
        )
        statement = statement.where(table.c.id.in_(near))
    elif reach is not None and indexed:
        statement = statement.where(
            table.c.min_x >= bbox.min_x - reach.width - _ROUNDING,
            table.c.min_y >= bbox.min_y - reach.height - _ROUNDING,
        )
    return statement


def unindexed(column: Any, dialect: str) -> Any:
    """``+column`` on SQLite: the same value, but the planner will not use an index for it.

    (PostgreSQL has no unary ``+`` for text, and its planner needs no such help.)
    """
    if dialect != "sqlite":
        return column
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def covers_most(connection: Connection, table: Table, bbox: BBox) -> bool:
    """Whether ``bbox`` is at least half as wide as the stored bounding boxes spread.

    Two index look-ups (the first and last ``min_x``). Then a table scan beats the
    index on SQLite, which would look each matching row up one by one.
    """
    first, last = connection.execute(select(func.min(table.c.min_x), func.max(table.c.min_x))).one()
    if first is None or last is None:
        return False
    return bbox.max_x - bbox.min_x >= 0.5 * (float(last) - float(first))


#: SQLite's default page cache (2 MB, as ``PRAGMA cache_size`` counts it: negative KiB).
_SCAN_CACHE_KIB = 2000


@contextmanager
def scanning(connection: Connection) -> Iterator[None]:
    """Around a statement that reads a whole large table in order on SQLite.

    The connections keep 64 MB of page cache (``store.engine``) for imports that update
    indexes at random places; a million finds read once through it cost 60 % more CPU
    than through SQLite's default 2 MB (the pages pass through far more memory), and
    the scan would have pushed every other cached page out anyway. The cache is kept
    small for the statement, then set back.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    kept = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_SCAN_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(kept)}")


def filter_bbox(
    statement: Select[Any], table: Table, bbox: BBox, dialect: str, reach: Reach | None = None
) -> Select[Any]:
    """Narrow ``statement`` to rows whose geometry may intersect ``bbox``.

    Exact on PostGIS; on SQLite the result must still pass :func:`exactly_intersecting`
    (or :func:`intersecting_ids`).
    """
    statement = filter_envelope(statement, table, bbox, reach, dialect=dialect)
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
    import shapely

    box = shapely.box(bbox.min_x, bbox.min_y, bbox.max_x, bbox.max_y)
    for row in rows:
        geometry = row["geometry"]
        if geometry is not None and shapely.intersects(geometry, box):
            yield row


#: Ids per ``IN (...)`` list, well under SQLite's limit of bound parameters.
_CHUNK = 5_000


def intersecting_ids(
    connection: Connection, candidates: Select[Any], table: Table, bbox: BBox
) -> list[int]:
    """Ids, ascending, of the rows of ``candidates`` whose geometry intersects ``bbox``.

    ``candidates`` selects ``id, min_x, min_y, max_x, max_y`` of rows whose bounding box
    overlaps ``bbox`` (:func:`filter_bbox`). A bounding box inside ``bbox`` settles it;
    only the geometries of rows across its edge are read and tested, all at once.
    """
    inside: list[int] = []
    across: list[int] = []
    for row_id, min_x, min_y, max_x, max_y in connection.execute(candidates):
        if (
            min_x >= bbox.min_x
            and max_x <= bbox.max_x
            and min_y >= bbox.min_y
            and max_y <= bbox.max_y
        ):
            inside.append(row_id)
        else:
            across.append(row_id)
    import shapely

    box = shapely.box(bbox.min_x, bbox.min_y, bbox.max_x, bbox.max_y)
    for start in range(0, len(across), _CHUNK):
        chunk: Sequence[int] = across[start : start + _CHUNK]
        rows = connection.execute(
            select(table.c.id, table.c.geometry).where(table.c.id.in_(chunk))
        ).all()
        if not rows:
            continue
        import numpy as np

        geometries = np.array([row[1] for row in rows], dtype=object)
        hits = shapely.intersects(geometries, box)
        inside.extend(row[0] for row, hit in zip(rows, hits, strict=True) if hit)
    return sorted(inside)


def grid_cell(column: Any, origin: float, cell: float, dialect: str) -> Any:
    """The index of the grid cell holding ``column`` (a coordinate), the same on both.

    PostgreSQL rounds when casting to an integer, SQLite truncates; ``floor`` on one and a
    cast of a non-negative value on the other both give the cell below.
    """
    position = (column - origin) / cell
    if dialect == "postgresql":
        return func.floor(position)
    return cast(position, Integer)
