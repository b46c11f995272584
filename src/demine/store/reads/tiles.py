"""Mapbox Vector Tiles of the OGC API collections (WebMercatorQuad).

A tile of a collection holds that collection's live features (the same rows as its
items, :func:`demine.store.reads.features.layer_conditions`) whose bounding box meets
the tile, as one layer named after the collection, with a few properties: the record's
id and identifier and what the dashboard's map draws and says of it (the columns of
:mod:`demine.store.reads.map_layers`). Shapes are cut to the tile (with a margin of
:data:`~demine.domain.tile_matrix.BUFFER` units, so neighbouring tiles join without a
seam) and kept to the tile's 4096-unit grid.

Dense layers (a national register holds a million finds, tens of thousands of hazard
areas smaller than a pixel at a national view) are never sent one by one at low zoom:
below :data:`~demine.store.reads.map_layers.POINT_ZOOM`, a tile holding more than
:data:`SINGLE_FEATURES` features of a collection counts them in cells of
:data:`CELL_PIXELS` screen pixels aligned to the tile (by the south-west corner of each
feature's box, so that a feature belongs to one tile), each cell one point at the mean
centre of its features' boxes, with ``count`` (records) and, for a kind the map weighs
(finds: ``quantity``), the sum of that column. A tile then holds at most
(256 / CELL_PIXELS)² points whatever the register's size. Finds, hazard areas and
accidents are counted from the map cells the register keeps
(:mod:`demine.store.reads.tile_cells`): a tile sums a few thousand kept cells instead
of reading its share of a million rows.

PostGIS writes the tile itself (``ST_AsMVT``, ``ST_AsMVTGeom``, ``ST_TileEnvelope``);
SQLite's rows are cut in shapely and written by the ``mapbox-vector-tile`` encoder. Both
select the same rows and cells. A tile without any feature is ``b""``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mapbox_vector_tile
import numpy as np
import shapely
from sqlalchemy import Select, func, literal, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from demine.domain.kinds import Kind
from demine.domain.kinds.exchange import GeometryLayer
from demine.domain.tile_matrix import BUFFER, EXTENT, MAX_LATITUDE, TILE_PIXELS, Tile
from demine.store.reader import RegisterReader
from demine.store.reads.features import layer_conditions
from demine.store.reads.map_layers import AREA_LAYERS, POINT_LAYERS, POINT_ZOOM
from demine.store.reads.tile_cells import kept_cells, kept_count, kept_tile
from demine.store.spatial import BBox, envelope_reach, filter_envelope, grid_cell

#: Width of a cell points are counted in below POINT_ZOOM, in screen pixels.
CELL_PIXELS = 8
#: Features a tile below POINT_ZOOM still holds one by one (more are counted in cells).
SINGLE_FEATURES = 500
#: Tolerance of the simplification of lines and areas, in tile units (a quarter pixel).
SIMPLIFY_UNITS = EXTENT / TILE_PIXELS / 4


@dataclass(frozen=True)
class TileContent:
    """What a collection's tiles show: its stored columns, and the column whose sum a
    counted cell gives (None: cells give their count only)."""

    properties: tuple[str, ...]
    weight: str | None


def tile_content(kind: Kind) -> TileContent:
    """The properties of ``kind``'s features in a tile: the identifier, then what the
    dashboard's map layer of the kind shows, if it has one."""
    for point in POINT_LAYERS.values():
        if point.kind == kind.name:
            return TileContent(_unique((kind.key, point.label)), point.weight)
    for area in AREA_LAYERS.values():
        if area.kind == kind.name:
            return TileContent(_unique((kind.key, *area.properties)), None)
    return TileContent((kind.key,), None)


def _unique(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def counted(reader: RegisterReader, layer: GeometryLayer, tile: Tile) -> bool:
    """Whether the tile counts the layer's features in cells rather than holding each:
    below POINT_ZOOM, when the tile holds more than SINGLE_FEATURES of them."""
    return _counted_cells(reader, layer, tile) is not None


def _counted_cells(reader: RegisterReader, layer: GeometryLayer, tile: Tile) -> Select[Any] | None:
    """The tile's cells when it counts the layer's features (None: it holds each), from
    the kept map cells when the register keeps the layer's, else from the rows."""
    if tile.zoom >= POINT_ZOOM:
        return None
    weight = tile_content(layer.kind).weight
    kept = kept_tile(reader, layer, tile, CELL_PIXELS, weight)
    if kept is not None:
        if kept_count(reader, kept) <= SINGLE_FEATURES:
            return None
        return kept_cells(kept, weight)
    some = _in_tile(reader, layer, tile, select(literal(1))).limit(SINGLE_FEATURES + 1)
    held = select(func.count()).select_from(some.subquery())
    if int(reader.connection.execute(held).scalar_one()) <= SINGLE_FEATURES:
        return None
    return _cells(reader, layer, tile)


def vector_tile(reader: RegisterReader, layer: GeometryLayer, name: str, tile: Tile) -> bytes:
    """The Mapbox Vector Tile of the layer's live features in ``tile``, as the layer
    ``name`` (``b""``: no feature)."""
    cells = _counted_cells(reader, layer, tile)
    statement = _features(reader, layer, tile) if cells is None else cells
    if reader.dialect == "postgresql":
        return _postgis_tile(reader, statement, name, tile)
    return _python_tile(reader, statement, name, tile)


def _bounds(tile: Tile, buffer: float) -> BBox:
    west, south, east, north = tile.lonlat_bounds(buffer)
    return BBox(west, south, east, north)


def _features(reader: RegisterReader, layer: GeometryLayer, tile: Tile) -> Select[Any]:
    """The live features whose box meets the tile with its margin: id, geometry, shown
    properties."""
    table = reader.table(layer.kind)
    content = tile_content(layer.kind)
    statement = select(
        table.c.id, table.c.geometry.label("geometry"), *(table.c[p] for p in content.properties)
    ).where(*layer_conditions(reader, layer))
    box = _bounds(tile, BUFFER)
    if reader.dialect == "postgresql":
        # The same boxes as the stored envelope columns give, read from the spatial index.
        envelope = func.ST_MakeEnvelope(box.min_x, box.min_y, box.max_x, box.max_y, 4326)
        statement = statement.where(table.c.geometry.op("&&")(envelope))
    statement = statement.where(*_point_boxes(layer, table))
    reach = envelope_reach(reader.connection, table)
    return filter_envelope(statement, table, box, reach).order_by(table.c.id)


def _cells(reader: RegisterReader, layer: GeometryLayer, tile: Tile) -> Select[Any]:
    """The layer's features counted in cells of CELL_PIXELS aligned to the tile (those
    whose box's south-west corner is on the tile: a cell belongs to one tile)."""
    table = reader.table(layer.kind)
    content = tile_content(layer.kind)
    box = _bounds(tile, 0)
    cell = tile.pixel_degrees() * CELL_PIXELS
    dialect = reader.dialect
    column_x = grid_cell(table.c.min_x, box.min_x, cell, dialect)
    column_y = grid_cell(table.c.min_y, box.min_y, cell, dialect)
    sums: list[ColumnElement[Any]] = [func.count().label("count")]
    if content.weight is not None:
        sums.append(func.coalesce(func.sum(table.c[content.weight]), 0).label(content.weight))
    cells = select(
        column_x.label("gx"),
        column_y.label("gy"),
        func.avg((table.c.min_x + table.c.max_x) / 2).label("x"),
        func.avg((table.c.min_y + table.c.max_y) / 2).label("y"),
        *sums,
    )
    return (
        _in_tile(reader, layer, tile, cells)
        .group_by(literal_column("gx"), literal_column("gy"))
        .order_by(literal_column("gx"), literal_column("gy"))
    )


def _in_tile(
    reader: RegisterReader, layer: GeometryLayer, tile: Tile, statement: Select[Any]
) -> Select[Any]:
    """``statement`` over the layer's live features whose box's south-west corner is on
    the tile (west and north edges included, so that a feature belongs to one tile)."""
    table = reader.table(layer.kind)
    box = _bounds(tile, 0)
    on_tile = [
        table.c.min_x >= box.min_x,
        table.c.min_x < box.max_x,
        table.c.min_y > box.min_y,
        table.c.min_y <= box.max_y,
    ]
    on_tile.extend(_point_boxes(layer, table))
    statement = statement.select_from(table).where(*layer_conditions(reader, layer))
    if reader.dialect == "sqlite":
        # The ids from the box index first, then the rows in id order: SQLite reads the
        # table's pages in order rather than one row at random per index entry (a
        # third less CPU on a national tile of finds).
        return statement.where(table.c.id.in_(select(table.c.id).where(*on_tile)))
    return statement.where(*on_tile)


def _point_boxes(layer: GeometryLayer, table: Any) -> list[ColumnElement[bool]]:
    """For a layer of single points (``hazards-points`` beside ``hazards-areas``): the
    box of a point is a point. Said on the box index's columns, this sets aside the
    areas of a kind holding both without reading their shapes (the geometry's own type
    is still tested)."""
    if set(layer.holds) != {"Point"}:
        return []
    return [table.c.min_x == table.c.max_x, table.c.min_y == table.c.max_y]


def _postgis_tile(reader: RegisterReader, statement: Select[Any], name: str, tile: Tile) -> bytes:
    """The tile written by PostGIS from ``statement``'s rows (a ``geometry`` column, or
    the ``x``/``y`` of counted cells)."""
    envelope = func.ST_TileEnvelope(tile.zoom, tile.col, tile.row)
    rows = statement.subquery("rows")
    if "geometry" in rows.c:
        source = func.ST_Transform(rows.c.geometry, 3857)
        skipped = {"geometry"}
    else:
        source = func.ST_Transform(
            func.ST_SetSRID(func.ST_MakePoint(rows.c.x, rows.c.y), 4326), 3857
        )
        skipped = {"gx", "gy", "x", "y"}
    shape = func.ST_AsMVTGeom(source, envelope, EXTENT, BUFFER, True).label("mvt_geometry")
    kept = [column for column in rows.c if column.name not in skipped]
    shaped = select(*kept, shape).subquery("shaped")
    drawn = select(shaped).where(shaped.c.mvt_geometry.is_not(None)).subquery("drawn")
    feature_id = "id" if "id" in drawn.c else None
    arguments: list[Any] = [literal_column("drawn"), literal(name), EXTENT, "mvt_geometry"]
    if feature_id is not None:
        arguments.append(feature_id)
    written = select(func.ST_AsMVT(*arguments)).select_from(drawn)
    tile_bytes = reader.connection.execute(written).scalar()
    return bytes(tile_bytes) if tile_bytes else b""


def _python_tile(reader: RegisterReader, statement: Select[Any], name: str, tile: Tile) -> bytes:
    """The tile cut by shapely and written by the mapbox-vector-tile encoder."""
    rows = [row._mapping for row in reader.connection.execute(statement)]
    if not rows:
        return b""
    if "geometry" in rows[0]:
        geometries = np.array([row["geometry"] for row in rows], dtype=object)
        skipped = {"id", "geometry"}
    else:
        geometries = shapely.points(
            [float(row["x"]) for row in rows], [float(row["y"]) for row in rows]
        )
        skipped = {"gx", "gy", "x", "y"}
    shapes = _in_tile_units(tile, geometries)
    features = []
    for row, shape in zip(rows, shapes, strict=True):
        if shape is None or shape.is_empty:
            continue
        properties = {k: _value(v) for k, v in row.items() if k not in skipped and v is not None}
        feature: dict[str, Any] = {"geometry": shape, "properties": properties}
        if "id" in row:
            feature["id"] = int(row["id"])
        features.append(feature)
    if not features:
        return b""
    encoded: bytes = mapbox_vector_tile.encode(
        [{"name": name, "features": features}],
        default_options={"extents": EXTENT, "y_coord_down": True, "check_winding_order": True},
    )
    return encoded


def _value(value: Any) -> Any:
    """A property as vector tiles hold it (strings, numbers, booleans)."""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _in_tile_units(tile: Tile, geometries: Any) -> Any:
    """``geometries`` (longitude/latitude) in the tile's units, cut to the tile and its
    margin and simplified to a quarter pixel; points outside the tile are left out."""

    def project(coordinates: Any) -> Any:
        longitudes = coordinates[:, 0]
        latitudes = np.radians(np.clip(coordinates[:, 1], -MAX_LATITUDE, MAX_LATITUDE))
        x = (longitudes + 180.0) / 360.0
        y = (1 - np.log(np.tan(latitudes) + 1 / np.cos(latitudes)) / math.pi) / 2
        return np.column_stack(
            ((x * tile.size - tile.col) * EXTENT, (y * tile.size - tile.row) * EXTENT)
        )

    projected = shapely.transform(geometries, project)
    cut = shapely.clip_by_rect(projected, -BUFFER, -BUFFER, EXTENT + BUFFER, EXTENT + BUFFER)
    return shapely.simplify(cut, SIMPLIFY_UNITS, preserve_topology=True)
