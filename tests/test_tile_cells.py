"""Counted vector tiles summed from the kept map cells (migration 0028) hold the same
records as a count from the rows, on both databases, before and after approvals,
deletions and moves."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import pytest
from shapely.geometry import Point
from sqlalchemy import func, select, update
from tests.web_fixtures import web_on

from demine.domain.kinds import kind_named
from demine.domain.kinds.exchange import geometry_layers
from demine.domain.tile_matrix import Tile
from demine.store import schema
from demine.store.engine import Store
from demine.store.kept_cells import level_for
from demine.store.reader import RegisterReader, live_condition
from demine.store.reads import tiles

#: Collections the register keeps cells of, and the sums their counted tiles carry.
KEPT = {"finds": ("count", "quantity"), "hazards-areas": ("count",), "accidents": ("count",)}


def _layer(collection: str) -> Any:
    kind = kind_named(collection.split("-")[0])
    return next(layer for layer in geometry_layers(kind) if layer.collection == collection)


def _tiles_over(store: Store, zoom: int) -> list[Tile]:
    """Every tile of ``zoom`` over the register's located records (and a margin)."""
    boxes = [schema.device_finds, schema.hazard_areas, schema.accidents]
    west, south, east, north = 180.0, 90.0, -180.0, -90.0
    with store.read() as connection:
        for table in boxes:
            found = connection.execute(
                select(func.min(table.c.min_x), func.min(table.c.min_y),
                       func.max(table.c.min_x), func.max(table.c.min_y))
            ).one()  # fmt: skip
            if found[0] is not None:
                west, south = min(west, found[0]), min(south, found[1])
                east, north = max(east, found[2]), max(north, found[3])
    size = 1 << zoom

    def column(longitude: float) -> int:
        return min(size - 1, int((longitude + 180.0) / 360.0 * size))

    def row(latitude: float) -> int:
        radians = math.radians(latitude)
        fraction = (1 - math.log(math.tan(radians) + 1 / math.cos(radians)) / math.pi) / 2
        return min(size - 1, int(fraction * size))

    return [
        Tile.of(zoom, r, c)
        for c in range(max(0, column(west) - 1), min(size, column(east) + 2))
        for r in range(max(0, row(north) - 1), min(size, row(south) + 2))
    ]


def _totals(store: Store, collection: str, zoom: int) -> dict[tuple[int, int], tuple[int, ...]]:
    """Each counted tile's sums (records and weights) of ``collection`` at ``zoom`` (a
    tile holding its features one by one: the empty tuple)."""
    layer = _layer(collection)
    found: dict[tuple[int, int], tuple[int, ...]] = {}
    with store.read() as connection:
        reader = RegisterReader(connection, None)
        for tile in _tiles_over(store, zoom):
            content = tiles.vector_tile(reader, layer, collection, tile)
            if not content:
                continue
            cells = mapbox_vector_tile.decode(content)[collection]["features"]
            if "count" not in cells[0]["properties"]:
                found[(tile.row, tile.col)] = ()
                continue
            found[(tile.row, tile.col)] = tuple(
                sum(cell["properties"][name] for cell in cells) for name in KEPT[collection]
            )
    return found


def _both(store: Store, monkeypatch: pytest.MonkeyPatch, collection: str, zoom: int) -> None:
    """The tiles from the kept cells hold what the tiles counted from the rows hold."""
    kept = _totals(store, collection, zoom)
    with monkeypatch.context() as rows_only:
        rows_only.setattr(tiles, "kept_tile", lambda *args: None)
        counted = _totals(store, collection, zoom)
    assert kept == counted, (collection, zoom)


def _live_located(store: Store) -> int:
    table = schema.device_finds
    with store.read() as connection:
        return int(connection.execute(
            select(func.count()).where(live_condition(table), table.c.geometry.is_not(None))
        ).scalar_one())  # fmt: skip


def test_kept_cells_serve_zooms_up_to_eleven() -> None:
    assert [level_for(zoom, 8) for zoom in (0, 8, 9, 11, 12)] == [13, 13, 16, 16, None]


def test_counted_tiles_from_kept_cells_equal_a_count_from_the_rows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_on(store)
    # Every tile below zoom 12 is counted, however few its records.
    monkeypatch.setattr(tiles, "SINGLE_FEATURES", 0)
    for collection in KEPT:
        for zoom in (2, 8, 9, 11):
            _both(store, monkeypatch, collection, zoom)
    every = sum(total[0] for total in _totals(store, "finds", 8).values())
    assert every == _live_located(store) > 0
    finds = schema.device_finds
    with store.write() as connection:
        located = select(finds.c.id).where(finds.c.min_x.is_not(None), live_condition(finds))
        ids = list(connection.execute(located.order_by(finds.c.id)).scalars())
        connection.execute(update(finds).where(finds.c.id == ids[0]).values(deleted_at=func.now()))
        connection.execute(update(finds).where(finds.c.id == ids[1]).values(review_status="draft"))
        # A find moved (its box with it): it leaves its cells for others.
        x, y = connection.execute(
            select(finds.c.min_x, finds.c.min_y).where(finds.c.id == ids[2])
        ).one()
        x, y = x + 0.3, y - 0.2
        connection.execute(
            update(finds).where(finds.c.id == ids[2])
            .values(geometry=Point(x, y), min_x=x, max_x=x, min_y=y, max_y=y)
        )  # fmt: skip
        connection.execute(update(finds).where(finds.c.id == ids[3]).values(quantity=77))
    for zoom in (2, 8, 11):
        _both(store, monkeypatch, "finds", zoom)
    assert sum(total[0] for total in _totals(store, "finds", 8).values()) == every - 2
    assert _live_located(store) == every - 2
