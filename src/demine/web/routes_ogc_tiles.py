"""FastAPI adapter for the OGC API – Tiles handlers (no logic of its own)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from demine.i18n import current_locale
from demine.store.data_version import data_version
from demine.store.reader import RegisterReader
from demine.web.access import caller
from demine.web.http_cache import ResponseCache, Stored, tagged
from demine.web.ogc import tiles
from demine.web.ogc.responses import OgcResponse
from demine.web.openapi_responses import EVERY_ROUTE, ogc_errors
from demine.web.routes_ogc import Visible

router = APIRouter(tags=["OGC API – Tiles"], responses=EVERY_ROUTE, default_response_class=Response)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _json(answer: OgcResponse) -> Response:
    return Response(answer.json_bytes(), status_code=answer.status, media_type=answer.media_type)


def _ok(description: str, media_type: str = "application/json") -> dict[int | str, Any]:
    return {200: {"description": description, "content": {media_type: {}}}}


@router.get(
    "/tileMatrixSets",
    summary="Tile matrix sets",
    responses={**_ok("The tile matrix sets"), **ogc_errors(400)},
)
def tile_matrix_sets(request: Request) -> Response:
    return _json(tiles.tile_matrix_sets(_base(request), dict(request.query_params)))


@router.get(
    "/tileMatrixSets/{tile_matrix_set_id}",
    summary="A tile matrix set",
    responses={**_ok("The tile matrix set"), **ogc_errors(400, 404)},
)
def tile_matrix_set(request: Request, tile_matrix_set_id: str) -> Response:
    return _json(tiles.tile_matrix_set(tile_matrix_set_id, dict(request.query_params)))


@router.get(
    "/collections/{collection_id}/tiles",
    summary="The vector tilesets of a collection",
    responses={**_ok("The tilesets"), **ogc_errors(400, 404)},
)
def tilesets(request: Request, collection_id: str, visible: Visible) -> Response:
    parameters = dict(request.query_params)
    return _json(tiles.tilesets(_base(request), collection_id, visible, parameters))


@router.get(
    "/collections/{collection_id}/tiles/{tile_matrix_set_id}",
    summary="A vector tileset of a collection",
    responses={**_ok("The tileset"), **ogc_errors(400, 404)},
)
def tileset(
    request: Request, collection_id: str, tile_matrix_set_id: str, visible: Visible
) -> Response:
    parameters = dict(request.query_params)
    return _json(
        tiles.tileset(_base(request), collection_id, tile_matrix_set_id, visible, parameters)
    )


@router.get(
    "/collections/{collection_id}/tiles/{tile_matrix_set_id}/{tile_matrix}/{tile_row}/{tile_col}",
    summary="A vector tile of a collection (Mapbox Vector Tile)",
    responses={
        **_ok("The tile", tiles.MVT),
        204: {"description": "The tile holds no feature"},
        304: {"description": "The tile is the one the client holds (ETag)"},
        **ogc_errors(400, 404),
    },
)
def tile(
    request: Request,
    collection_id: str,
    tile_matrix_set_id: str,
    tile_matrix: str,
    tile_row: str,
    tile_col: str,
    visible: Visible,
) -> Response:
    parameters = dict(request.query_params)
    position = (tile_matrix, tile_row, tile_col)
    principal = caller(request)
    cache: ResponseCache = request.app.state.response_cache
    with request.app.state.store.read() as connection:
        # A tile made for callers of the same roles since the last write is sent again
        # from the response cache (counted tiles of dense layers cost a scan each).
        key = tagged(
            data_version(connection), principal, current_locale(), request.url.path,
            request.url.query, tiles.MVT,
        )  # fmt: skip
        kept = cache.get(key)
        if kept is None:
            reader = RegisterReader(connection, None, principal=principal)
            made = tiles.tile(reader, collection_id, tile_matrix_set_id, position, visible,
                              parameters)  # fmt: skip
            if made.media_type != tiles.MVT:
                return _json(made)
            kept = Stored(made.status, tiles.MVT, made.body)
            cache.put(key, kept)
    answer = tiles.sent(kept.body, request.headers.get("if-none-match"))
    content = answer.body if answer.status == 200 else None
    return Response(
        content, status_code=answer.status, media_type=tiles.MVT, headers=answer.headers
    )
