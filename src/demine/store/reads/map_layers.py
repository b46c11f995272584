"""Map layers for the dashboard that stay light at any scale.

At national scale a million find points or tens of thousands of hazard polygons must
never travel as one GeoJSON dump. Points are counted in grid cells sized to the zoom
level until the view is close enough to show them one by one (and then at most
``MAX_FEATURES``); polygons are simplified to what the zoom level can show and limited
to the view. Every layer is cut to the requested box and shows live records only, of
the reader's country.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import shapely
from sqlalchemy import Select, func, literal_column, select, type_coerce

from demine.domain.geojson import mappings, rfc7946
from demine.domain.kinds import Kind, kind_named
from demine.store.geometry import StoredWkb
from demine.store.reader import RegisterReader
from demine.store.spatial import (
    BBox,
    covers_most,
    envelope_reach,
    filter_bbox,
    filter_envelope,
    grid_cell,
    scanning,
    unindexed,
)

#: Zoom from which points are drawn one by one.
POINT_ZOOM = 12
MAX_FEATURES = 5_000


@dataclass(frozen=True)
class PointLayer:
    kind: str
    #: The column whose sum a cell shows (None: the cell counts records).
    weight: str | None
    label: str


@dataclass(frozen=True)
class AreaLayer:
    kind: str
    properties: tuple[str, ...]


#: What a risk cell's popup shows: its risk, the model and cut-off, its factors.
RISK_PROPERTIES = (
    "cell", "risk", "model", "scorer", "events_before", "predicted_on",
    "factor_1", "factor_1_contribution", "factor_2", "factor_2_contribution",
    "factor_3", "factor_3_contribution",
)  # fmt: skip

POINT_LAYERS = {
    "finds": PointLayer("finds", "quantity", "category"),
    "accidents": PointLayer("accidents", None, "device_category"),
}
AREA_LAYERS = {
    "hazards": AreaLayer("hazards", ("external_id", "classification", "status")),
    # The popup shows the name in the page's language (name_az, name_ru), else ``name``.
    "districts": AreaLayer("admin-areas", ("code", "name", "name_az", "name_ru")),
    "minefields": AreaLayer(
        "minefield-records", ("external_id", "source", "received_on", "status")
    ),
    # The predictive risk layer (security-sensitive as minefield records are).
    "risk": AreaLayer("risk-cells", RISK_PROPERTIES),
}


def layer_kind(name: str) -> Kind:
    """The kind of record a layer draws (who may see the layer is who may read it)."""
    layer = POINT_LAYERS.get(name) or AREA_LAYERS[name]
    return kind_named(layer.kind)


def cell_degrees(zoom: int) -> float:
    """A grid cell about 40 screen pixels wide at ``zoom`` (256-pixel web tiles)."""
    return 360.0 / float(2 ** max(0, zoom)) / 256 * 40


def point_layer(reader: RegisterReader, name: str, bbox: BBox, zoom: int) -> dict[str, Any]:
    """Points one by one when close (named by their identifier), else counts per grid
    cell (``count`` property)."""
    layer = POINT_LAYERS[name]
    connection, country = reader.connection, reader.country
    table = reader.table(layer.kind)
    dialect = reader.dialect
    if zoom >= POINT_ZOOM:
        statement = select(table.c.external_id, table.c.geometry, table.c[layer.label]).where(
            table.c.geometry.is_not(None), reader.visible(table)
        )
        if country is not None:
            # Most rows are of the register's own country: the bbox index is the better plan.
            statement = statement.where(unindexed(table.c.country, dialect) == country)
        reach = envelope_reach(connection, table)
        # Ordered, so that a view holding more than MAX_FEATURES points always gets the same.
        statement = (
            filter_bbox(statement, table, bbox, dialect, reach)
            .order_by(table.c.id)
            .limit(MAX_FEATURES)
        )
        features = [
            {"type": "Feature", "id": row[0], "geometry": shapely.geometry.mapping(rfc7946(row[1])),
             "properties": {"kind": "point", layer.label: row[2]}}
            for row in connection.execute(statement)
        ]  # fmt: skip
        return {"type": "FeatureCollection", "features": features, "aggregated": False}
    cell = cell_degrees(zoom)
    column_x = grid_cell(table.c.min_x, -180.0, cell, dialect)
    column_y = grid_cell(table.c.min_y, -90.0, cell, dialect)
    weight = func.sum(table.c[layer.weight]) if layer.weight else func.count()
    grid: Select[Any] = (
        select(column_x.label("gx"), column_y.label("gy"), weight.label("count"),
               func.avg(table.c.min_x).label("x"), func.avg(table.c.min_y).label("y"))
        .where(table.c.geometry.is_not(None), reader.visible(table))
        .group_by(literal_column("gx"), literal_column("gy"))  # once per row, not twice
    )  # fmt: skip
    # A view of most of the country reads the whole table in order (SQLite would look
    # a million finds up one by one from an index); a small one uses the bbox index.
    scan = dialect == "sqlite" and covers_most(connection, table, bbox)
    if country is not None:
        grid = grid.where(unindexed(table.c.country, dialect) == country)
    reach = None if scan else envelope_reach(connection, table)
    grid = filter_envelope(grid, table, bbox, reach, indexed=not scan, dialect=dialect)
    with scanning(connection) if scan else nullcontext():
        cells = connection.execute(grid).all()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
         "properties": {"kind": "cell", "count": int(count)}}
        for _gx, _gy, count, x, y in cells
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "aggregated": True, "cell": cell}


def area_layer(
    reader: RegisterReader,
    name: str,
    bbox: BBox,
    zoom: int,
    where: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Polygons in the view, simplified to what ``zoom`` can show (``where``: only those
    whose columns hold these values, e.g. one model's risk cells)."""
    layer = AREA_LAYERS[name]
    kind = kind_named(layer.kind)
    table = reader.table(kind)
    # Read as WKB and made into shapes all at once, below.
    geometry = type_coerce(table.c.geometry, StoredWkb()).label("geometry")
    columns = [table.c.id, geometry, *(table.c[p] for p in layer.properties)]
    statement = select(*columns).where(table.c.geometry.is_not(None), *reader.scope(table))
    if kind.collection_where is not None:
        column, value = kind.collection_where
        statement = statement.where(table.c[column] == value)
    for column, value in (where or {}).items():
        statement = statement.where(table.c[column] == value)
    statement = filter_envelope(statement, table, bbox, dialect=reader.dialect)
    statement = statement.limit(MAX_FEATURES)
    tolerance = cell_degrees(zoom) / 40  # about one screen pixel
    rows = reader.connection.execute(statement).all()
    shapes = shapely.simplify(
        shapely.from_wkb([row[1] for row in rows]), tolerance, preserve_topology=True
    )
    features = [
        {"type": "Feature", "id": row[0], "geometry": geometry,
         "properties": dict(zip(layer.properties, row[2:], strict=True))}
        for row, geometry in zip(rows, mappings(rfc7946(shapes)), strict=True)
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "aggregated": False}


def layer_reach(reader: RegisterReader, name: str) -> BBox | None:
    """The box around every record the layer ``name`` draws in some view (their
    bounding boxes, under the conditions :func:`point_layer` and :func:`area_layer`
    read them with); None when it draws none.

    Every box holding this one selects all of them: a layer's answer at one zoom is the
    same for all such boxes (see :mod:`demine.web.map_first_view`).
    """
    kind = kind_named(POINT_LAYERS[name].kind if name in POINT_LAYERS else AREA_LAYERS[name].kind)
    table = reader.table(kind)
    statement = select(
        func.min(table.c.min_x), func.min(table.c.min_y), func.max(table.c.max_x),
        func.max(table.c.max_y),
    ).where(table.c.geometry.is_not(None))  # fmt: skip
    if name in POINT_LAYERS:
        statement = statement.where(reader.visible(table))
        if reader.country is not None:
            statement = statement.where(
                unindexed(table.c.country, reader.dialect) == reader.country
            )
    else:
        statement = statement.where(*reader.scope(table))
        if kind.collection_where is not None:
            column, value = kind.collection_where
            statement = statement.where(table.c[column] == value)
    with scanning(reader.connection):  # every row of the layer is read (see scanning)
        min_x, min_y, max_x, max_y = reader.connection.execute(statement).one()
    if min_x is None or min_y is None or max_x is None or max_y is None:
        return None
    return BBox(float(min_x), float(min_y), float(max_x), float(max_y))
