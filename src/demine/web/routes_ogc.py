"""FastAPI adapter for the OGC API – Features handlers (no logic of its own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from demine.domain.access import Principal
from demine.i18n import current_locale
from demine.store.data_version import data_version
from demine.store.engine import ReadConnection as Connection
from demine.store.reader import RegisterReader
from demine.web.access import caller
from demine.web.http_cache import (
    ResponseCache,
    Stored,
    Tagged,
    cache_control,
    not_modified,
    tagged,
)
from demine.web.ogc import collections as served
from demine.web.ogc import handlers
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
from demine.web.ogc.responses import SCHEMA_JSON
from demine.web.openapi_responses import EVERY_ROUTE, GEOJSON, HTML_PAGE, body, ogc_errors

# Every route answers a Response of its own, whose media type the declarations give.
router = APIRouter(
    tags=["OGC API – Features"], responses=EVERY_ROUTE, default_response_class=Response
)
#: ``f`` chooses between JSON and a page for people, on every route but /api.
_FORMAT = {"parameters": [format_parameter()]}


def caller_collections(request: Request) -> dict[str, served.Collection]:
    """The collections the caller may read, by id."""
    return served.collections_for(caller(request), request.app.state.kinds)


Visible = Annotated[dict[str, served.Collection], Depends(caller_collections)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _wants_html(request: Request) -> bool:
    if request.query_params.get("f") == "html":
        return True
    if request.query_params.get("f") == "json":
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept


def _respond(request: Request, answer: handlers.OgcResponse) -> Response:
    if _wants_html(request) and answer.status == 200:
        return Response(render_html(request.url.path, answer.body), media_type="text/html")
    return _respond_json(answer)


def _respond_json(answer: handlers.OgcResponse) -> Response:
    return Response(answer.json_bytes(), status_code=answer.status, media_type=answer.media_type)


def _checked(request: Request) -> Response | None:
    """A 400 answer (as JSON) when the request asks for an unknown ``f``; the items
    requests check their own, longer list of parameters."""
    parameters = dict(request.query_params)
    if request.url.path.endswith("/items"):
        return None
    refused = handlers.checked(parameters)
    return _respond_json(refused) if refused is not None else None


def answer_tag(request: Request, principal: Principal, connection: Connection) -> Tagged:
    """What tags and finds the answer to ``request`` for ``principal`` (in the reader's
    language, set for the request) at the data version ``connection`` reads."""
    return tagged(
        data_version(connection),
        principal,
        current_locale(),
        request.url.path,
        request.url.query,
        "html" if _wants_html(request) else "json",
    )


def kept_response(request: Request, principal: Principal, tag: Tagged, kept: Stored) -> Response:
    """The answer kept for ``tag``, or 304 when the caller holds it already."""
    headers = {"ETag": tag.etag, "Cache-Control": cache_control(principal)}
    if not_modified(request.headers.get("if-none-match"), tag.etag):
        return Response(status_code=304, headers=headers)
    return Response(kept.body, kept.status, headers=headers, media_type=kept.media_type)


def _run(request: Request, handler: Callable[[RegisterReader], handlers.OgcResponse]) -> Response:
    # Every country's live records, as the collections have always served them; what
    # the caller may see of them (free text) is the reader's to say.
    refused = _checked(request)
    if refused is not None:
        return refused
    principal = caller(request)
    cache: ResponseCache = request.app.state.response_cache
    with request.app.state.store.read() as connection:
        tag = answer_tag(request, principal, connection)
        if not_modified(request.headers.get("if-none-match"), tag.etag):
            headers = {"ETag": tag.etag, "Cache-Control": cache_control(principal)}
            return Response(status_code=304, headers=headers)
        kept = cache.get(tag)
        if kept is None:
            reader = RegisterReader(connection, None, principal=principal)
            answer = _respond(request, handler(reader))
            if answer.status_code != 200:
                return answer
            kept = Stored(answer.status_code, answer.media_type or "", bytes(answer.body))
            cache.put(tag, kept)
    return kept_response(request, principal, tag, kept)


@router.get(
    "/",
    summary="Landing page",
    openapi_extra=_FORMAT,
    responses={
        200: body(LandingPage, "The landing page", alternatives=HTML_PAGE),
        **ogc_errors(400),
    },
)
def landing(request: Request) -> Response:
    return _checked(request) or _respond(request, handlers.landing(_base(request), "Demine"))


@router.get(
    "/conformance",
    summary="Conformance classes",
    openapi_extra=_FORMAT,
    responses={
        200: body(Conformance, "The conformance classes", alternatives=HTML_PAGE),
        **ogc_errors(400),
    },
)
def conformance(request: Request) -> Response:
    return _checked(request) or _respond(request, handlers.conformance())


@router.get(
    "/api",
    summary="OpenAPI definition of this OGC API",
    responses={
        200: {"description": "The definition", "content": {handlers.OPENAPI: {}}},
        **ogc_errors(400),
    },
)
def api(request: Request, visible: Visible) -> Response:
    # The definition is JSON only: f=html is refused like any unknown format.
    refused = handlers.checked(dict(request.query_params), ("json",))
    if refused is not None:
        return _respond_json(refused)
    document = openapi_document(_base(request), visible)
    return Response(
        handlers.OgcResponse(200, handlers.OPENAPI, document).json_bytes(),
        media_type=handlers.OPENAPI,
    )


@router.get(
    "/collections",
    summary="Feature collections",
    openapi_extra=_FORMAT,
    responses={
        200: body(Collections, "The collections", alternatives=HTML_PAGE),
        **ogc_errors(400),
    },
)
def collections(request: Request, visible: Visible) -> Response:
    return _run(request, lambda c: handlers.collections(c, _base(request), visible))


@router.get(
    "/collections/{collection_id}",
    summary="A feature collection",
    openapi_extra=_FORMAT,
    responses={
        200: body(Collection, "The collection", alternatives=HTML_PAGE),
        **ogc_errors(400, 404),
    },
)
def collection(request: Request, collection_id: str, visible: Visible) -> Response:
    return _run(request, lambda c: handlers.collection(c, _base(request), collection_id, visible))


@router.get(
    "/collections/{collection_id}/schema",
    summary="The schema of a collection's features (with the programme's fields)",
    responses={
        200: body(FeatureSchema, "A JSON Schema", media_type=SCHEMA_JSON),
        **ogc_errors(400, 404),
    },
)
def schema(request: Request, collection_id: str, visible: Visible) -> Response:
    refused = _checked(request)
    return refused or _respond_json(handlers.schema(_base(request), collection_id, visible))


@router.get(
    "/collections/{collection_id}/queryables",
    summary="The properties a collection's features may be filtered on and sorted by",
    responses={
        200: body(FeatureSchema, "A JSON Schema", media_type=SCHEMA_JSON),
        **ogc_errors(400, 404),
    },
)
def queryables(request: Request, collection_id: str, visible: Visible) -> Response:
    refused = _checked(request)
    return refused or _respond_json(handlers.queryables(_base(request), collection_id, visible))


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
