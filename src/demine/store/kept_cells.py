"""Map cells kept like the figures: live located records counted by country and cell.

A national register's map at a country's view counts a million finds in cells of a few
screen pixels; counting them from the rows reads a large share of the table for each
tile. The tables ``figures_<layer>_cells_<level>`` (migration 0028) keep, for each
country and each cell of WebMercatorQuad's grid of 2**level × 2**level cells (the tiles
of zoom ``level``), how many live records have
the south-west corner of their box in the cell, the sums the map weighs them by, and
the sum of their box centres in :data:`CENTRE_LEVEL` cells (whole numbers, so that the
kept sums stay exactly equal to a recount whatever the order of the changes). They are
kept by the same triggers, rebuild and checks as every other figures table
(:mod:`demine.store.aggregates`).

A tile below the zoom where points are drawn one by one sums the cells of the coarsest
level fine enough for its own cells (:func:`level_for`): its 8-pixel cells are exact
unions of kept cells, and a record counts in the tile holding its box's south-west
corner, as when counted from the rows. The rows come from SQLite's math functions
(``ln``, ``tan``…, built into SQLite since 3.35) and PostgreSQL's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Boolean, Integer, Table, cast, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from demine.domain.tile_matrix import MAX_LATITUDE

#: Grid levels kept (the tiles of zoom ``level``): 13 serves tiles up to zoom 8 (its
#: cells are a tile's 8-pixel cells there), 16 up to zoom 11.
CELL_LEVELS = (13, 16)
#: The level in which box centres are summed (about 2 m).
CENTRE_LEVEL = 24
#: Keys of a cells table, in the order of its index (a tile reads a range of cells).
CELL_KEYS = ("cell_x", "cell_y")
#: Sums of the box centres, in CENTRE_LEVEL cells from (-180°, -90°).
CENTRE_SUMS = ("centre_x", "centre_y")


@dataclass(frozen=True)
class CellSource:
    """A table whose located live records are kept in cells."""

    #: The name of its cells tables (``figures_<layer>_cells_<level>``).
    layer: str
    #: The sums the map weighs a cell by: ``(kept name, source column)``.
    sums: tuple[tuple[str, str], ...] = ()
    #: The geometry types counted (the map's layer of them), None: every type.
    types: tuple[str, ...] | None = None


#: Tables whose located records are kept in cells (hazard areas: their polygons, the
#: map's ``hazards-areas`` layer; the few recorded as points are read from the rows).
CELL_SOURCES: dict[str, CellSource] = {
    "device_finds": CellSource("finds", (("devices", "quantity"),)),
    "hazard_areas": CellSource("hazards", types=("Polygon", "MultiPolygon")),
    "accidents": CellSource("accidents"),
}
#: The WKB type codes of the geometry types a cells table may be limited to.
WKB_CODES = {"Polygon": 3, "MultiPolygon": 6}
#: Where each axis starts for longitudes and the centres' sums (never negative).
ORIGIN = {"x": -180.0, "y": -90.0}


def cell_size(level: int) -> float:
    """Degrees across a cell of ``level`` (exact in binary: 360 / 2**level)."""
    return 360.0 / (1 << level)


def cells_table(source: str, level: int) -> str:
    """The name of the cells table of ``source`` at ``level``."""
    return f"figures_{CELL_SOURCES[source].layer}_cells_{level}"


def level_for(zoom: int, tile_cell_pixels: int) -> int | None:
    """The coarsest kept level whose cells divide a tile's cells of ``tile_cell_pixels``
    at ``zoom`` (256-pixel tiles), None when none does."""
    needed = zoom + 8 - (tile_cell_pixels.bit_length() - 1)
    fitting = [level for level in CELL_LEVELS if level >= needed]
    return min(fitting) if fitting else None


class whole_below(FunctionElement[int]):
    """The whole number at or below a non-negative position, the same on both
    databases (PostgreSQL rounds when casting, SQLite truncates)."""

    inherit_cache = True
    type = BigInteger()


@compiles(whole_below)
def _whole_below_sqlite(element: whole_below, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


@compiles(whole_below, "postgresql")
def _whole_below_postgres(element: whole_below, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(FLOOR({compiler.process(element.clauses, **kw)}) AS BIGINT)"


class mercator_cell(FunctionElement[int]):
    """The row of WebMercatorQuad's grid of 2**level rows (from the top) holding a
    latitude (``mercator_cell(latitude, level)``), as the tiles' rows cut the map; the
    same formula on both databases (SQLite's math functions, PostgreSQL's)."""

    # The level is written into the SQL: a statement cached for one level must never
    # serve another.
    inherit_cache = False
    type = BigInteger()


def _mercator_parts(element: mercator_cell, compiler: SQLCompiler, **kw: Any) -> tuple[str, int]:
    latitude, level = list(element.clauses)
    return compiler.process(latitude, **kw), int(level.value)


@compiles(mercator_cell)
def _mercator_cell_sqlite(element: mercator_cell, compiler: SQLCompiler, **kw: Any) -> str:
    latitude, level = _mercator_parts(element, compiler, **kw)
    return mercator_sql(latitude, level, postgres=False)


@compiles(mercator_cell, "postgresql")
def _mercator_cell_postgres(element: mercator_cell, compiler: SQLCompiler, **kw: Any) -> str:
    latitude, level = _mercator_parts(element, compiler, **kw)
    return mercator_sql(latitude, level, postgres=True)


def mercator_sql(latitude: str, level: int, *, postgres: bool) -> str:
    """The SQL of :class:`mercator_cell` (migration 0028 writes the same in its triggers)."""
    most = repr(MAX_LATITUDE)
    if postgres:
        clamped = f"radians(LEAST(GREATEST({latitude}, -{most}), {most}))"
    else:
        clamped = f"radians(MIN(MAX({latitude}, -{most}), {most}))"
    fraction = f"(1.0 - ln(tan({clamped}) + 1.0 / cos({clamped})) / pi()) / 2.0 * {2**level}"
    if postgres:
        return f"CAST(FLOOR({fraction}) AS BIGINT)"
    return f"CAST({fraction} AS INTEGER)"


def cell_of(source: Table, key: str, level: int) -> ColumnElement[int]:
    """The cell at ``level`` holding the south-west corner of each row's box: its column
    from -180° and its WebMercatorQuad row from the top."""
    if key == "cell_x":
        position = (source.c.min_x - ORIGIN["x"]) / cell_size(level)
        return cast(whole_below(position), Integer)
    return cast(mercator_cell(source.c.min_y, literal(level)), Integer)


def centre_of(source: Table, name: str) -> ColumnElement[int]:
    """Each row's box centre in CENTRE_LEVEL cells (what ``name`` sums)."""
    axis = name.removeprefix("centre_")
    centre = (source.c[f"min_{axis}"] + source.c[f"max_{axis}"]) / 2.0
    return whole_below((centre - ORIGIN[axis]) / cell_size(CENTRE_LEVEL))


class of_types(FunctionElement[bool]):
    """Whether a stored geometry is of the given types (``of_types(geometry, "Polygon",
    …)``): PostGIS's ``GeometryType``; SQLite's plain WKB header (byte order, type)."""

    # The types are written into the SQL (never cached for other types).
    inherit_cache = False
    type = Boolean()


def _type_names(element: of_types) -> tuple[Any, list[str]]:
    geometry, *names = list(element.clauses)
    return geometry, [str(name.value) for name in names]


@compiles(of_types)
def _of_types_sqlite(element: of_types, compiler: SQLCompiler, **kw: Any) -> str:
    geometry, names = _type_names(element)
    headers = ", ".join(
        f"'{header}'"
        for name in names
        for header in (f"01{WKB_CODES[name]:02X}000000", f"00000000{WKB_CODES[name]:02X}")
    )
    return f"hex(substr({compiler.process(geometry, **kw)}, 1, 5)) IN ({headers})"


@compiles(of_types, "postgresql")
def _of_types_postgres(element: of_types, compiler: SQLCompiler, **kw: Any) -> str:
    geometry, names = _type_names(element)
    upper = ", ".join(f"'{name.upper()}'" for name in names)
    return f"GeometryType({compiler.process(geometry, **kw)}) IN ({upper})"


def counted_rows(source: Table) -> list[ColumnElement[bool]]:
    """The conditions, beyond being live, of the rows a cells table of ``source``
    counts: located, and of its types."""
    conditions: list[ColumnElement[bool]] = [source.c.min_x.is_not(None)]
    types = CELL_SOURCES[source.name].types
    if types is not None:
        conditions.append(of_types(source.c.geometry, *(literal(name) for name in types)))
    return conditions
