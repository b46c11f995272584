"""What a server makes before its first visitor: the dashboard's view and the map's
first answers.

A server just started would make the week's figures and the districts' shading (about a
second at national scale), the map's layers for the whole country (a million finds
counted) and compile the map's statements while its first user waits for the dashboard.
Each server process makes them once as it starts, before it answers any request (a
worker of ``demine serve --workers`` listens only then, :mod:`demine.web.workers`): the
dashboard's view for the last complete week in the server's language goes into the same
kept views the page reads (:mod:`demine.web.dashboard_kept`); the ``/api/map`` answers
for the view the map opens on into the first views (:mod:`demine.web.map_first_view`),
sent only while nothing has been written; and one tile of each of the map's tiled
collections is read and thrown away (it only warms the process). A warm-up that fails
is logged and the server starts all the same; the page then says the error as it would
have.
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
from demine.store.reads.tiles import vector_tile
from demine.web.dashboard_kept import kept_view
from demine.web.map_first_view import make_first_views
from demine.web.ogc.collections import served

log = logging.getLogger(__name__)

#: The map's collections drawn as vector tiles.
TILED = ("finds", "hazards-areas", "hazards-points", "accidents")
#: The zoom of the tile read around the middle of the country.
ZOOM = 8


def warm_up(state: Any) -> float:
    """Make the dashboard's view and the map's first answers, and read its first tiles
    (``state``: the application's); the seconds it took."""
    started = time.perf_counter()
    settings = state.settings
    if not settings.country:
        return 0.0
    try:
        with using_locale(settings.locale), state.store.read() as connection:
            reader = RegisterReader(connection, settings.country)
            today = datetime.now(UTC).date()
            version = data_version(connection)
            view = kept_view(state, reader, version, None, today)
            make_first_views(state.first_map_views, reader, version, settings.locale, view.extent)
            west, south, east, north = view.extent
            middle = Tile.containing(ZOOM, (west + east) / 2, (south + north) / 2)
            collections = served(state.kinds)
            for collection in TILED:
                if collection in collections:
                    vector_tile(reader, collections[collection].layer, collection, middle)
    except Exception:  # a warm-up never stops a server; the page will say what failed
        log.warning("the server's warm-up failed", exc_info=True)
    return time.perf_counter() - started
