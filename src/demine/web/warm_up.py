"""What a server makes before its first visitor: the dashboard's view and the map's
first reads.

A server just started would make the week's figures and the districts' shading (about a
second at national scale) and compile the map layers' statements while its first user
waits for the dashboard. Each server process makes them once as it starts, before it
answers any request: the dashboard's view for the last complete week in the server's
language goes into the same kept views the page reads (:mod:`demine.web.dashboard_kept`),
and one tile of each of the map's tiled collections and its area layers are read and
thrown away (nothing is kept for any caller: they only warm the process). A warm-up
that fails is logged and the server starts all the same; the page then says the error
as it would have.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from demine.domain.tile_matrix import Tile
from demine.i18n import using_locale
from demine.store.data_version import data_version
from demine.store.reader import RegisterReader
from demine.store.reads.map_layers import area_layer
from demine.store.reads.tiles import vector_tile
from demine.store.spatial import BBox
from demine.web.dashboard_kept import kept_view
from demine.web.ogc.collections import served

log = logging.getLogger(__name__)

#: The map's collections drawn as vector tiles, and its layers read as areas.
TILED = ("finds", "hazards-areas", "hazards-points", "accidents")
AREAS = ("minefields",)
#: The zoom of the tile read around the middle of the country.
ZOOM = 8


def warm_up(state: Any) -> float:
    """Make the dashboard's view and read the map's first tiles (``state``: the
    application's); the seconds it took."""
    started = time.perf_counter()
    settings = state.settings
    if not settings.country:
        return 0.0
    try:
        with using_locale(settings.locale), state.store.read() as connection:
            reader = RegisterReader(connection, settings.country)
            today = datetime.now(UTC).date()
            view = kept_view(state, reader, data_version(connection), None, today)
            west, south, east, north = view.extent
            middle = Tile.containing(ZOOM, (west + east) / 2, (south + north) / 2)
            collections = served(state.kinds)
            for collection in TILED:
                if collection in collections:
                    vector_tile(reader, collections[collection].layer, collection, middle)
            for layer in AREAS:
                area_layer(reader, layer, BBox(west, south, east, north), ZOOM)
    except Exception:  # a warm-up never stops a server; the page will say what failed
        log.warning("the server's warm-up failed", exc_info=True)
    return time.perf_counter() - started
