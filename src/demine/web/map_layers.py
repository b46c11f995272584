"""Map layers for the dashboard that stay light at any scale.

At national scale a million find points or tens of thousands of hazard polygons must
never travel as one GeoJSON dump. Points are counted in grid cells sized to the zoom
level until the view is close enough to show them one by one (and then at most
``MAX_FEATURES``); polygons are simplified to what the zoom level can show and limited
to the view. Every layer is cut to the requested box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
from sqlalchemy import Connection, Select, Table, func, literal_column, select

from demine.store import schema
from demine.store.live import counted
from demine.store.spatial import (
    BBox,
    covers_most,
    envelope_reach,
    filter_bbox,
    filter_envelope,
    grid_cell,
    unindexed,
)

#: Zoom from which points are drawn one by one.
POINT_ZOOM = 12
MAX_FEATURES = 5_000


@dataclass(frozen=True)
class PointLayer:
    table: Table
    weight: Any
    label: str


@dataclass(frozen=True)
class AreaLayer:
    table: Table
    properties: tuple[str, ...]


POINT_LAYERS = {
    "finds": PointLayer(schema.device_finds, schema.device_finds.c.quantity, "category"),
    "accidents": PointLayer(schema.accidents, func.count(), "device_category"),
}
AREA_LAYERS = {
    "hazards": AreaLayer(schema.hazard_areas, ("external_id", "classification", "status")),
    "districts": AreaLayer(schema.admin_areas, ("code", "name")),
    "minefields": AreaLayer(
        schema.minefield_records, ("external_id", "source", "received_on", "status")
    ),
}


def cell_degrees(zoom: int) -> float:
    """A grid cell about 40 screen pixels wide at ``zoom`` (256-pixel web tiles)."""
    return 360.0 / float(2 ** max(0, zoom)) / 256 * 40


def point_layer(
    connection: Connection, name: str, bbox: BBox, zoom: int, country: str | None
) -> dict[str, Any]:
    """Points one by one when close, else counts per grid cell (``count`` property)."""
    layer = POINT_LAYERS[name]
    table = layer.table
    dialect = connection.dialect.name
    if zoom >= POINT_ZOOM:
        statement = select(table.c.id, table.c.geometry, table.c[layer.label]).where(
            table.c.geometry.is_not(None), counted(table)
        )
        if country is not None:
            # Most rows are of the register's own country: the bbox index is the better plan.
            statement = statement.where(unindexed(table.c.country, dialect) == country)
        reach = envelope_reach(connection, table)
        statement = filter_bbox(statement, table, bbox, dialect, reach).limit(MAX_FEATURES)
        features = [
            {"type": "Feature", "id": row[0], "geometry": shapely.geometry.mapping(row[1]),
             "properties": {"kind": "point", layer.label: row[2]}}
            for row in connection.execute(statement)
        ]  # fmt: skip
        return {"type": "FeatureCollection", "features": features, "aggregated": False}
    cell = cell_degrees(zoom)
    column_x = grid_cell(table.c.min_x, -180.0, cell, dialect)
    column_y = grid_cell(table.c.min_y, -90.0, cell, dialect)
    weight = func.sum(layer.weight) if name == "finds" else func.count()
    grid: Select[Any] = (
        select(column_x.label("gx"), column_y.label("gy"), weight.label("count"),
               func.avg(table.c.min_x).label("x"), func.avg(table.c.min_y).label("y"))
        .where(table.c.geometry.is_not(None), counted(table))
        .group_by(literal_column("gx"), literal_column("gy"))  # once per row, not twice
    )  # fmt: skip
    # A view of most of the country reads the whole table in order (SQLite would look
    # a million finds up one by one from an index); a small one uses the bbox index.
    scan = dialect == "sqlite" and covers_most(connection, table, bbox)
    if country is not None:
        grid = grid.where(unindexed(table.c.country, dialect) == country)
    reach = None if scan else envelope_reach(connection, table)
    grid = filter_envelope(grid, table, bbox, reach, indexed=not scan)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
         "properties": {"kind": "cell", "count": int(count)}}
        for _gx, _gy, count, x, y in connection.execute(grid)
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "aggregated": True, "cell": cell}


def area_layer(
    connection: Connection, name: str, bbox: BBox, zoom: int, country: str | None
) -> dict[str, Any]:
    """Polygons in the view, simplified to what ``zoom`` can show."""
    layer = AREA_LAYERS[name]
    table = layer.table
    columns = [table.c.id, table.c.geometry, *(table.c[p] for p in layer.properties)]
    statement = select(*columns).where(table.c.geometry.is_not(None), counted(table))
    if name == "districts":
        statement = statement.where(table.c.level == "district")
    if country is not None:
        statement = statement.where(table.c.country == country)
    statement = filter_envelope(statement, table, bbox).limit(MAX_FEATURES)
    tolerance = cell_degrees(zoom) / 40  # about one screen pixel
    features = []
    for row in connection.execute(statement):
        geometry = shapely.simplify(row[1], tolerance, preserve_topology=True)
        features.append(
            {"type": "Feature", "id": row[0], "geometry": shapely.geometry.mapping(geometry),
             "properties": dict(zip(layer.properties, row[2:], strict=True))}
        )  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "aggregated": False}
