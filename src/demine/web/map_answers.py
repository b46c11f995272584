"""The answers of ``/api/map/{layer}``: a map layer cut to a box, as sent.

Made here for the route (:mod:`demine.web.routes_map`) and for the server's warm-up
(:mod:`demine.web.map_first_view`) alike, so that an answer made ahead is the one the
route would have made, byte for byte. What an answer holds depends on the register, the
layer, the box and the zoom only, never on who asks: who may see a layer is checked
before any answer is made or sent.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from demine.store.reader import RegisterReader
from demine.store.reads.map_layers import MAX_FEATURES, POINT_LAYERS, area_layer, point_layer
from demine.store.spatial import BBox
from demine.web.http_cache import Stored
from demine.web.openapi_responses import GEOJSON, GeoJSONResponse
from demine.web.risk_legend import drawn_model


class Layer(StrEnum):
    DISTRICTS = "districts"
    HAZARDS = "hazards"
    FINDS = "finds"
    ACCIDENTS = "accidents"
    MINEFIELDS = "minefields"
    RISK = "risk"


def layer_answer(
    reader: RegisterReader, layer: Layer, box: BBox, zoom: int, model: str | None = None
) -> Stored:
    """The GeoJSON answer for ``layer`` in ``box`` at ``zoom``, written."""
    written = GeoJSONResponse(_answer(reader, layer, box, zoom, model))
    return Stored(written.status_code, GEOJSON, bytes(written.body))


def _answer(
    reader: RegisterReader, layer: Layer, box: BBox, zoom: int, model: str | None
) -> dict[str, Any]:
    if layer.value in POINT_LAYERS:
        answer = point_layer(reader, layer.value, box, zoom)
    elif layer is Layer.RISK:
        # One model's cells: two models' layers drawn together would overlap.
        drawn = drawn_model(reader, model)
        answer = area_layer(reader, layer.value, box, zoom, {"model": drawn or ""})
        answer["model"] = drawn
    else:
        answer = area_layer(reader, layer.value, box, zoom)
    # Said out loud, so that a client can tell a full view from a cut one.
    answer["truncated"] = len(answer["features"]) >= MAX_FEATURES
    answer["layer"] = layer.value
    answer["zoom"] = zoom
    return answer
