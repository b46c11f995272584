"""A counted vector tile's cells summed from the kept map cells.

:mod:`demine.store.reads.tiles` counts a dense layer in cells of its tiles below the
zoom where points are drawn one by one. For finds, hazard areas and accidents the
register keeps their live located records counted by country and cell
(:mod:`demine.store.kept_cells`, migration 0028), so a counted tile sums at most a few
thousand kept cells instead of reading its share of a million rows. The cells a tile
holds and their columns are those of the count from the rows (``gx``, ``gy``, ``x``,
``y``, ``count`` and the weighed sum); only a reader of the live register as it stands
reads them (the kept cells count nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Select, Table, cast, func, select
from sqlalchemy.sql.elements import ColumnElement

from demine.domain.kinds.exchange import GeometryLayer
from demine.domain.tile_matrix import Tile
from demine.store import schema
from demine.store.kept_cells import (
    CELL_SOURCES,
    CENTRE_LEVEL,
    ORIGIN,
    cell_size,
    cells_table,
    level_for,
)
from demine.store.reader import RegisterReader


@dataclass(frozen=True)
class KeptTile:
    """The kept cells whose south-west corner lies on a tile, at one level."""

    table: Table
    level: int
    #: Kept cells per tile cell along each axis.
    step: int
    conditions: tuple[ColumnElement[bool], ...]
    #: The kept sum of the column the layer is weighed by (None: counted only).
    weight: str | None


def kept_tile(
    reader: RegisterReader,
    layer: GeometryLayer,
    tile: Tile,
    cell_pixels: int,
    weight: str | None,
) -> KeptTile | None:
    """The kept cells of ``layer`` on ``tile`` (tile cells of ``cell_pixels``, weighed
    by the source column ``weight``), or None when none are kept for it (another layer
    or reader, a zoom too close)."""
    source = reader.table(layer.kind)
    if source.name not in CELL_SOURCES or not reader.reads_kept_figures:
        return None
    # Only a layer holding the live located records of the types its cells count.
    kind, cells = layer.kind, CELL_SOURCES[source.name]
    counted_types = set(kind.geometry if cells.types is None else cells.types)
    if kind.collection_where is not None or set(layer.holds) != counted_types:
        return None
    kept_sums = {of: name for name, of in cells.sums}
    if weight is not None and weight not in kept_sums:
        return None
    level = level_for(tile.zoom, cell_pixels)
    if level is None:
        return None
    table = schema.metadata.tables[cells_table(source.name, level)]
    across = 2 ** (level - tile.zoom)
    conditions = [
        table.c.cell_x >= tile.col * across,
        table.c.cell_x < (tile.col + 1) * across,
        table.c.cell_y >= tile.row * across,
        table.c.cell_y < (tile.row + 1) * across,
    ]
    if reader.country is not None:
        conditions.append(table.c.country == reader.country)
    step = 2 ** (level - tile.zoom) * cell_pixels // 256
    kept_weight = None if weight is None else kept_sums[weight]
    return KeptTile(table, level, step, tuple(conditions), kept_weight)


def kept_count(reader: RegisterReader, kept: KeptTile) -> int:
    """The live records on the tile, as the kept cells count them."""
    total = select(func.coalesce(func.sum(kept.table.c.records), 0)).where(*kept.conditions)
    return int(reader.connection.execute(total).scalar_one())


def kept_cells(kept: KeptTile, weight: str | None) -> Select[Any]:
    """The tile's cells summed from the kept cells: ``gx``, ``gy``, the mean centre
    ``x``/``y`` of their records' boxes, ``count`` and, when the layer is weighed, the
    sum of ``weight`` (as :func:`demine.store.reads.tiles` names it)."""
    table = kept.table
    fine = cell_size(CENTRE_LEVEL)
    records = func.sum(table.c.records)
    sums: list[ColumnElement[Any]] = [records.label("count")]
    if weight is not None and kept.weight is not None:
        sums.append(func.coalesce(func.sum(table.c[kept.weight]), 0).label(weight))
    gx, gy = table.c.cell_x // kept.step, table.c.cell_y // kept.step
    return (
        select(
            gx.label("gx"),
            gy.label("gy"),
            ((cast(func.sum(table.c.centre_x), Float) / records + 0.5) * fine + ORIGIN["x"]).label(
                "x"
            ),
            ((cast(func.sum(table.c.centre_y), Float) / records + 0.5) * fine + ORIGIN["y"]).label(
                "y"
            ),
            *sums,
        )
        .where(*kept.conditions)
        .group_by(gx, gy)
        .order_by(gx, gy)
    )
