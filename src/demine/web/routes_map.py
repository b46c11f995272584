"""Map layers for the dashboard, and the district figures anyone may see.

``/api/map/{layer}`` serves light GeoJSON cut to the view (see
:mod:`demine.store.reads.map_layers`): a layer is open to whoever may read the kind of
record it draws (registry of kinds): district shapes for everyone; hazard areas, finds,
accidents, minefield records and the predicted risk layer only with the view-operational
permission, because minefield locations (and where mines are likely) are
security-sensitive. An answer is kept in the process's response cache
(:mod:`demine.web.http_cache`) for the caller's roles and the data version it was read
at, after the permission check: a server asked again for the same view sends it again
until anything is written. The whole-country view every dashboard opens on is made as
the server starts (:mod:`demine.web.map_first_view`).
``/api/public/districts`` serves aggregates only, never a coordinate.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from demine.analysis.public_districts import public_district_figures
from demine.domain.access import Principal
from demine.domain.authorization import require_kind_read
from demine.errors import InvalidRequestError
from demine.i18n import _, current_locale
from demine.store.data_version import data_version
from demine.store.reader import RegisterReader
from demine.store.reads.map_layers import layer_kind
from demine.store.spatial import BBox
from demine.web.auth import current_principal
from demine.web.http_cache import ResponseCache, Stored, tagged
from demine.web.map_answers import Layer, layer_answer
from demine.web.map_first_view import FirstViews
from demine.web.openapi_responses import EVERY_ROUTE, GEOJSON, GeoJSONResponse, body, errors
from demine.web.response_models import MapLayer, PublicDistricts

router = APIRouter(tags=["Map"], responses=EVERY_ROUTE)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]
WORLD = "-180,-90,180,90"


@router.get(
    "/api/map/{layer}",
    summary="A map layer cut to a box, as light as the zoom allows",
    response_model=None,
    response_class=GeoJSONResponse,
    responses={200: body(MapLayer, "The layer", media_type=GEOJSON), **errors(400, 403, 422)},
)
def map_layer(
    request: Request,
    layer: Layer,
    principal: CallerPrincipal,
    bbox: Annotated[str, Query(description="min_lon,min_lat,max_lon,max_lat")] = WORLD,
    zoom: Annotated[int, Query(ge=0, le=24, description="Web map zoom level")] = 7,
    model: Annotated[
        str | None,
        Query(
            description="The risk layer only: the model whose cells to draw (default: the "
            "model predicted last; a country may keep layers of several models)"
        ),
    ] = None,
) -> Response:
    require_kind_read(principal, layer_kind(layer.value))
    if model is not None and layer is not Layer.RISK:
        raise InvalidRequestError(_("model: only the risk layer is drawn by model"))
    try:
        box = BBox.parse(bbox)
    except ValueError as exc:
        raise InvalidRequestError(_("bbox: {reason}").format(reason=exc)) from exc
    cache: ResponseCache = request.app.state.response_cache
    with request.app.state.store.read() as connection:
        # Every dashboard first asks for the same whole-country view: an answer written
        # for these roles at this data version is sent again (never after a write).
        tag = tagged(
            data_version(connection),
            principal,
            current_locale(),
            request.url.path,
            request.url.query,
        )
        kept = cache.get(tag) or _first_view(request, tag.version, layer, zoom, box, model)
        if kept is None:
            reader = RegisterReader(connection, str(request.app.state.settings.country))
            # Written here, in the request's thread, not by the framework on the event loop.
            kept = layer_answer(reader, layer, box, zoom, model)
            cache.put(tag, kept)
    return Response(kept.body, kept.status, media_type=kept.media_type)


def _first_view(
    request: Request, version: int, layer: Layer, zoom: int, box: BBox, model: str | None
) -> Stored | None:
    """The answer made as the server started, if it is this one (same data version)."""
    if model is not None:
        return None
    views: FirstViews = request.app.state.first_map_views
    return views.answer(version, layer, zoom, current_locale(), box)


@router.get(
    "/api/public/districts",
    summary="Per-district figures for everyone (aggregates)",
    response_model=None,
    responses={200: body(PublicDistricts, "The figures"), **errors(400, 422)},
)
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
