"""Map layers for the dashboard, and the district figures anyone may see.

``/api/map/{layer}`` serves light GeoJSON cut to the view (see :mod:`demine.web.map_layers`):
district shapes for everyone; hazard areas, finds and accidents only with the
view-operational permission, because minefield locations are security-sensitive.
``/api/public/districts`` serves aggregates only, never a coordinate.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Connection, select

from demine.analysis.public_districts import public_district_figures
from demine.domain.access import Permission, Principal
from demine.errors import Forbidden, InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.spatial import BBox
from demine.web.auth import current_principal
from demine.web.map_layers import AREA_LAYERS, MAX_FEATURES, POINT_LAYERS, area_layer, point_layer

router = APIRouter(tags=["Map"])
CallerPrincipal = Annotated[Principal, Depends(current_principal)]
WORLD = "-180,-90,180,90"


class Layer(StrEnum):
    DISTRICTS = "districts"
    HAZARDS = "hazards"
    FINDS = "finds"
    ACCIDENTS = "accidents"
    MINEFIELDS = "minefields"


#: Layers without operational detail (everyone may draw them).
PUBLIC_LAYERS = frozenset({Layer.DISTRICTS})


@router.get("/api/map/{layer}", summary="A map layer cut to a box, as light as the zoom allows")
def map_layer(
    request: Request,
    layer: Layer,
    principal: CallerPrincipal,
    bbox: Annotated[str, Query(description="min_lon,min_lat,max_lon,max_lat")] = WORLD,
    zoom: Annotated[int, Query(ge=0, le=24, description="Web map zoom level")] = 7,
) -> dict[str, Any]:
    if layer not in PUBLIC_LAYERS and not principal.can(Permission.VIEW_OPERATIONAL):
        raise Forbidden(_("your role may not see operational map layers"))
    try:
        box = BBox.parse(bbox)
    except ValueError as exc:
        raise InvalidRequestError(_("bbox: {reason}").format(reason=exc)) from exc
    country = str(request.app.state.settings.country)
    with request.app.state.store.read() as connection:
        if layer.value in POINT_LAYERS:
            answer = point_layer(connection, layer.value, box, zoom, country)
            _name_by_external_id(connection, layer.value, answer)
        else:
            assert layer.value in AREA_LAYERS
            answer = area_layer(connection, layer.value, box, zoom, country)
    # Said out loud, so that a client can tell a full view from a cut one.
    answer["truncated"] = len(answer["features"]) >= MAX_FEATURES
    answer["layer"] = layer.value
    answer["zoom"] = zoom
    return answer


def _name_by_external_id(connection: Connection, layer: str, answer: dict[str, Any]) -> None:
    """Give points the identifier people know them by (``map_layers`` uses row ids)."""
    ids = [feature["id"] for feature in answer["features"] if "id" in feature]
    if not ids:
        return
    table = POINT_LAYERS[layer].table
    rows = connection.execute(select(table.c.id, table.c.external_id).where(table.c.id.in_(ids)))
    known = {row_id: external_id for row_id, external_id in rows}
    for feature in answer["features"]:
        if "id" in feature:
            feature["id"] = known.get(feature["id"], feature["id"])


@router.get("/api/public/districts", summary="Per-district figures for everyone (aggregates)")
def public_districts(
    request: Request,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    last = end or datetime.now(UTC).date()
    if start is not None and start > last:
        raise InvalidRequestError(
            _("the period ends ({end}) before it starts ({start})").format(end=last, start=start)
        )
    country = str(request.app.state.settings.country)
    with request.app.state.store.read() as connection:
        return public_district_figures(RegisterReader(connection, country), start, last)
