"""FastAPI adapter for the OGC API – Features handlers (no logic of its own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from demine.domain.kinds import Kind
from demine.store.reader import RegisterReader
from demine.web.access import caller
from demine.web.ogc import handlers
from demine.web.ogc.collections import collections_for
from demine.web.ogc.html import render_html
from demine.web.ogc.openapi import format_parameter, item_parameters, openapi_document
from demine.web.ogc.response_models import (
    Collection,
    Collections,
    Conformance,
    Feature,
    FeatureCollection,
    FeatureSchema,
    LandingPage,
)
from demine.web.ogc.schema import SCHEMA_JSON
from demine.web.openapi_responses import EVERY_ROUTE, GEOJSON, HTML_PAGE, body, ogc_errors

# Every route answers a Response of its own, whose media type the declarations give.
router = APIRouter(
    tags=["OGC API – Features"], responses=EVERY_ROUTE, default_response_class=Response
)
#: ``f`` chooses between JSON and a page for people, on every route but /api.
_FORMAT = {"parameters": [format_parameter()]}


def caller_collections(request: Request) -> dict[str, Kind]:
    """The collections the caller may read, by id."""
    return collections_for(caller(request), request.app.state.kinds)


Visible = Annotated[dict[str, Kind], Depends(caller_collections)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _wants_html(request: Request) -> bool:
    if request.query_params.get("f") == "html":
        return True
    if request.query_params.get("f") in ("json", "geojson"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept


def _respond(request: Request, answer: handlers.OgcResponse) -> Response:
    if _wants_html(request) and answer.status == 200:
        return Response(render_html(request.url.path, answer.body), media_type="text/html")
    return _respond_json(answer)


def _respond_json(answer: handlers.OgcResponse) -> Response:
    return Response(answer.json_bytes(), status_code=answer.status, media_type=answer.media_type)


def _run(request: Request, handler: Callable[[RegisterReader], handlers.OgcResponse]) -> Response:
    # Every country's live records, as the collections have always served them; what
    # the caller may see of them (free text) is the reader's to say.
    with request.app.state.store.read() as connection:
        reader = RegisterReader(connection, None, principal=caller(request))
        return _respond(request, handler(reader))


@router.get(
    "/",
    summary="Landing page",
    openapi_extra=_FORMAT,
    responses={200: body(LandingPage, "The landing page", alternatives=HTML_PAGE)},
)
def landing(request: Request) -> Response:
    return _respond(request, handlers.landing(_base(request), "Demine"))


@router.get(
    "/conformance",
    summary="Conformance classes",
    openapi_extra=_FORMAT,
    responses={200: body(Conformance, "The conformance classes", alternatives=HTML_PAGE)},
)
def conformance(request: Request) -> Response:
    return _respond(request, handlers.conformance())


@router.get(
    "/api",
    summary="OpenAPI definition of this OGC API",
    responses={200: {"description": "The definition", "content": {handlers.OPENAPI: {}}}},
)
def api(request: Request) -> Response:
    return Response(
        handlers.OgcResponse(200, handlers.OPENAPI, openapi_document(_base(request))).json_bytes(),
        media_type=handlers.OPENAPI,
    )


@router.get(
    "/collections",
    summary="Feature collections",
    openapi_extra=_FORMAT,
    responses={200: body(Collections, "The collections", alternatives=HTML_PAGE)},
)
def collections(request: Request, visible: Visible) -> Response:
    return _run(request, lambda c: handlers.collections(c, _base(request), visible))


@router.get(
    "/collections/{collection_id}",
    summary="A feature collection",
    openapi_extra=_FORMAT,
    responses={200: body(Collection, "The collection", alternatives=HTML_PAGE), **ogc_errors(404)},
)
def collection(request: Request, collection_id: str, visible: Visible) -> Response:
    return _run(request, lambda c: handlers.collection(c, _base(request), collection_id, visible))


@router.get(
    "/collections/{collection_id}/schema",
    summary="The schema of a collection's features (with the programme's fields)",
    responses={
        200: body(FeatureSchema, "A JSON Schema", media_type=SCHEMA_JSON),
        **ogc_errors(404),
    },
)
def schema(request: Request, collection_id: str, visible: Visible) -> Response:
    return _respond_json(handlers.schema(_base(request), collection_id, visible))


@router.get(
    "/collections/{collection_id}/items",
    summary="Features of a collection",
    openapi_extra={"parameters": [*item_parameters(), format_parameter()]},
    responses={
        200: body(
            FeatureCollection, "A page of features", media_type=GEOJSON, alternatives=HTML_PAGE
        ),
        **ogc_errors(400, 404),
    },
)
def items(request: Request, collection_id: str, visible: Visible) -> Response:
    parameters = dict(request.query_params)
    return _run(
        request, lambda c: handlers.items(c, _base(request), collection_id, visible, parameters)
    )


@router.get(
    "/collections/{collection_id}/items/{item_id}",
    summary="One feature",
    openapi_extra=_FORMAT,
    responses={
        200: body(Feature, "The feature", media_type=GEOJSON, alternatives=HTML_PAGE),
        **ogc_errors(400, 404),
    },
)
def item(
    request: Request,
    collection_id: str,
    item_id: str,
    visible: Visible,
) -> Response:
    parameters = dict(request.query_params)
    return _run(
        request,
        lambda r: handlers.item(r, _base(request), collection_id, item_id, visible, parameters),
    )
