"""The dashboard map's first answers, made as a server starts.

Every dashboard opens on the whole country: its map fits the country's extent and asks
``/api/map/{layer}`` for that view, all layers at once, at the zoom the fit gives. A
server just started would make them all while its first visitor waits (the finds' grid
alone reads a million rows at national scale). The box differs from screen to screen,
but every box holding all of a layer's records selects the same records, so at one zoom
its answer is the same: each server process makes, as it starts
(:mod:`demine.web.warm_up`), every layer's answer for the box around its own records,
and a request whose box holds that one is sent it.

Kept for the data version it was read at only: after any write the route makes its
answers afresh, as before. Who may see a layer is checked before one is looked for,
and an answer holds nothing that depends on who asks (:mod:`demine.web.map_answers`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from demine.domain.tile_matrix import fitting_zoom
from demine.store.reader import RegisterReader
from demine.store.reads.map_layers import layer_reach
from demine.store.spatial import BBox
from demine.web.http_cache import LARGEST_CACHED, Stored
from demine.web.map_answers import Layer, layer_answer

#: The layers made ahead: every one the map draws from ``/api/map`` but the risk layer
#: (drawn by model, and for few roles).
FIRST_LAYERS = (Layer.DISTRICTS, Layer.HAZARDS, Layer.FINDS, Layer.ACCIDENTS, Layer.MINEFIELDS)
#: The dashboard's map in CSS pixels on a screen at least as wide as the page
#: (``demine.css``: a 1,200-pixel column less its padding and the 14rem legend beside
#: the map; ``.map`` 32rem high, less its border), and its zoom limits
#: (``demine-map.js``).
MAP_PIXELS = (929, 510)
MAP_ZOOMS = (2, 17)


@dataclass(frozen=True)
class FirstView:
    """A layer's answer at one zoom for every box holding ``reach``."""

    #: The box around the layer's records (None: it has none; any box gets the answer).
    reach: BBox | None
    answer: Stored

    def serves(self, box: BBox) -> bool:
        reach = self.reach
        return reach is None or (
            box.min_x <= reach.min_x
            and box.min_y <= reach.min_y
            and box.max_x >= reach.max_x
            and box.max_y >= reach.max_y
        )


class FirstViews:
    """The first answers of one data version, by layer, zoom and language."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._views: dict[tuple[Layer, int, str], FirstView] = {}

    def keep(self, version: int, layer: Layer, zoom: int, locale: str, view: FirstView) -> None:
        with self._lock:
            if version != self._version:
                self._version, self._views = version, {}
            self._views[(layer, zoom, locale)] = view

    def answer(
        self, version: int, layer: Layer, zoom: int, locale: str, box: BBox
    ) -> Stored | None:
        """The answer kept for this request, if one was made at ``version`` and serves
        ``box``."""
        with self._lock:
            if version != self._version:
                if self._version is not None and version > self._version:
                    self._version, self._views = None, {}  # stale for good: let it go
                return None
            view = self._views.get((layer, zoom, locale))
        return view.answer if view is not None and view.serves(box) else None

    def __len__(self) -> int:
        return len(self._views)


def first_zoom(extent: tuple[float, float, float, float]) -> int:
    """The zoom the dashboard's map opens at on ``extent`` (west, south, east, north)."""
    low, high = MAP_ZOOMS
    return fitting_zoom(extent, *MAP_PIXELS, min_zoom=low, max_zoom=high)


def make_first_views(
    views: FirstViews,
    reader: RegisterReader,
    version: int,
    locale: str,
    extent: tuple[float, float, float, float],
) -> None:
    """Make and keep every first layer's answer for the map opened on ``extent``, read
    at ``version`` in the reader's transaction and the current language ``locale``."""
    zoom = first_zoom(extent)
    for layer in FIRST_LAYERS:
        reach = layer_reach(reader, layer.value)
        box = reach or BBox(*extent)
        answer = layer_answer(reader, layer, box, zoom)
        if len(answer.body) > LARGEST_CACHED:
            continue  # as the response cache keeps none so large: made when asked
        views.keep(version, layer, zoom, locale, FirstView(reach, answer))
