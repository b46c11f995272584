"""OGC API – Tiles: the tile matrix set, tilesets, and vector tiles of the demo register
that decode to its live features, the same on SQLite and PostGIS."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import mapbox_vector_tile
import pytest
import shapely
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from demine.domain.tile_matrix import EXTENT, HALF_WORLD, Tile
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store, open_store
from demine.store.reader import live_condition
from demine.store.users import add_user, create_token
from demine.web.app import create_app

MVT = "application/vnd.mapbox-vector-tile"
#: Tiles of the demo register: one around Tartar at zoom 8 (finds counted in cells)
#: and one of its zoom-12 tiles (finds one by one).
COUNTED = (8, 96, 161)
SINGLE = (12, 1546, 2578)


@pytest.fixture(scope="module")
def demo(demo_database_url: str) -> Iterator[Store]:
    opened = open_store(demo_database_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="module")
def viewer(demo: Store) -> TestClient:
    with demo.write() as connection:
        add_user(connection, "tiles-viewer", "a long enough password", "viewer")
        token = create_token(connection, "tiles-viewer", "tests")
    client = TestClient(create_app(Settings(database_url="unused"), demo))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _url(collection: str, tile: tuple[int, int, int]) -> str:
    zoom, row, col = tile
    return f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{zoom}/{row}/{col}"


def _live_finds_in(demo: Store, tile: Tile) -> list[tuple[int, shapely.Point]]:
    """The live finds whose point lies in ``tile`` (edges: west and north included)."""
    west, south, east, north = tile.lonlat_bounds()
    table = schema.device_finds
    query = select(table.c.id, table.c.geometry).where(
        table.c.geometry.is_not(None), live_condition(table)
    )
    with demo.read() as connection:
        rows = connection.execute(query).all()
    return [
        (row_id, point)
        for row_id, point in rows
        if west <= point.x < east and south < point.y <= north
    ]


def test_tile_matrix_set_and_tilesets(viewer: TestClient) -> None:
    sets = viewer.get("/ogc/tileMatrixSets").json()["tileMatrixSets"]
    assert [s["id"] for s in sets] == ["WebMercatorQuad"]
    described = viewer.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert described["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    matrices = described["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(25)]
    assert matrices[0]["matrixWidth"] == 1 and matrices[3]["matrixHeight"] == 8
    assert matrices[0]["pointOfOrigin"] == [-20037508.3427892, 20037508.3427892]
    assert matrices[0]["scaleDenominator"] == pytest.approx(559082264.029, rel=1e-9)
    assert viewer.get("/ogc/tileMatrixSets/WorldCRS84Quad").status_code == 404
    listed = viewer.get("/ogc/collections/finds/tiles").json()["tilesets"]
    assert [t["dataType"] for t in listed] == ["vector"]
    tileset = viewer.get("/ogc/collections/finds/tiles/WebMercatorQuad").json()
    template = next(link for link in tileset["links"] if link["rel"] == "item")
    assert template["href"].endswith(
        "/ogc/collections/finds/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"
    )
    assert template["type"] == MVT and template["templated"] is True
    assert tileset["layers"][0]["geometryType"] == "points"
    conformance = viewer.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conformance
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset" in conformance
    collection = viewer.get("/ogc/collections/hazards-areas").json()
    rels = {link["rel"] for link in collection["links"]}
    assert "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector" in rels
    paths = viewer.get("/ogc/api").json()["paths"]
    tile_path = (
        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"
    )
    assert MVT in paths[tile_path]["get"]["responses"]["200"]["content"]


def test_a_zoomed_in_tile_holds_each_live_find(demo: Store, viewer: TestClient) -> None:
    tile = Tile.of(*SINGLE)
    answer = viewer.get(_url("finds", SINGLE))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == MVT
    layers = mapbox_vector_tile.decode(answer.content, default_options={"y_coord_down": True})
    features = layers["finds"]["features"]
    expected = _live_finds_in(demo, tile)
    # Points on the tile's margin are drawn by both neighbours; the tile's own are all here.
    inside = [f for f in features if 0 <= f["geometry"]["coordinates"][0] < EXTENT
              and 0 <= f["geometry"]["coordinates"][1] < EXTENT]  # fmt: skip
    assert sorted(f["id"] for f in inside) == sorted(row_id for row_id, _point in expected)
    assert len(features) == 28
    first = features[0]["properties"]
    assert set(first) == {"external_id", "category"}


def test_a_national_view_counts_finds_in_cells(demo: Store, viewer: TestClient) -> None:
    tile = Tile.of(*COUNTED)
    answer = viewer.get(_url("finds", COUNTED))
    assert answer.status_code == 200, answer.text
    cells = mapbox_vector_tile.decode(answer.content)["finds"]["features"]
    assert sum(cell["properties"]["count"] for cell in cells) == len(_live_finds_in(demo, tile))
    assert all(cell["geometry"]["type"] == "Point" for cell in cells)
    assert all("quantity" in cell["properties"] for cell in cells)
    # Cells of 8 × 8 screen pixels (WebMercatorQuad rows), summed from the kept cells.
    assert len(cells) == 152


def test_hazard_areas_are_cut_to_the_tile(viewer: TestClient) -> None:
    answer = viewer.get(_url("hazards-areas", COUNTED))
    assert answer.status_code == 200, answer.text
    features = mapbox_vector_tile.decode(answer.content)["hazards-areas"]["features"]
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    assert {"external_id", "classification", "status"} <= set(features[0]["properties"])
    assert len(features) == 100


def test_etag_and_not_modified(viewer: TestClient) -> None:
    first = viewer.get(_url("finds", COUNTED))
    tag = first.headers["etag"]
    again = viewer.get(_url("finds", COUNTED), headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    changed = viewer.get(_url("finds", COUNTED), headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.content == first.content


def test_empty_and_impossible_tiles(viewer: TestClient) -> None:
    empty = viewer.get(_url("finds", (6, 0, 0)))
    assert empty.status_code == 204 and empty.content == b""
    assert viewer.get(_url("finds", (3, 8, 0))).status_code == 404
    assert viewer.get(_url("finds", (25, 0, 0))).status_code == 404
    assert viewer.get(_url("finds", (3, 0, 0)) + "?bbox=1,2,3,4").status_code == 400
    missing = viewer.get("/ogc/collections/finds/tiles/WorldCRS84Quad/3/0/0")
    assert missing.status_code == 404


def test_the_public_gets_no_tile_of_security_sensitive_records(demo: Store) -> None:
    public = TestClient(create_app(Settings(database_url="unused"), demo))
    for collection in ("finds", "hazards-areas", "accidents", "minefield-records"):
        assert public.get(_url(collection, COUNTED)).status_code == 404, collection
        assert public.get(f"/ogc/collections/{collection}/tiles").status_code == 404
    assert public.get(_url("districts", COUNTED)).status_code == 200
    assert public.get("/ogc/tileMatrixSets/WebMercatorQuad").status_code == 200


def test_a_tile_is_sent_again_until_the_register_changes(viewer: TestClient, demo: Store) -> None:
    """Kept for callers of the same roles while nothing is written; a find taken off the
    register is gone from the next answer (last in this module: it changes the demo)."""
    cache = viewer.app.state.response_cache  # type: ignore[attr-defined]
    first = viewer.get(_url("finds", SINGLE))
    held = len(cache)
    again = viewer.get(_url("finds", SINGLE))
    assert again.content == first.content and len(cache) == held
    before = len(mapbox_vector_tile.decode(first.content)["finds"]["features"])
    (gone, _), *_ = _live_finds_in(demo, Tile.of(*SINGLE))
    table = schema.device_finds
    with demo.write() as connection:
        connection.execute(update(table).where(table.c.id == gone).values(review_status="draft"))
    after = viewer.get(_url("finds", SINGLE))
    assert after.headers["etag"] != first.headers["etag"]
    assert len(mapbox_vector_tile.decode(after.content)["finds"]["features"]) == before - 1


def test_the_tile_matrix_set_reads_in_both_encodings(viewer: TestClient) -> None:
    """GDAL before 3.7 reads only the TileMatrixSet 1.0 encoding: the same matrices are
    given in it beside 2.0's."""
    described = viewer.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert (described["type"], described["identifier"]) == ("TileMatrixSetType", "WebMercatorQuad")
    assert described["supportedCRS"] == described["crs"]
    old, new = described["tileMatrix"], described["tileMatrices"]
    assert [m["identifier"] for m in old] == [m["id"] for m in new]
    for before, after in zip(old, new, strict=True):
        assert before["topLeftCorner"] == after["pointOfOrigin"]
        assert before["scaleDenominator"] == after["scaleDenominator"]
        assert (before["matrixWidth"], before["tileWidth"]) == (
            after["matrixWidth"], after["tileWidth"]
        )  # fmt: skip


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo (gdal-bin) absent")
@pytest.mark.parametrize(("collection", "features"), [("districts", 8), ("finds", 152)])
def test_gdal_reads_the_tiles(
    viewer: TestClient, tmp_path: Path, collection: str, features: int
) -> None:
    """GDAL's own MVT reader (ogrinfo) opens a served tile at its place on the map."""
    zoom, row, col = COUNTED
    answer = viewer.get(_url(collection, COUNTED))
    assert answer.status_code == 200, answer.text
    path = tmp_path / f"{collection}.mvt"
    path.write_bytes(answer.content)
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", "-oo", f"Z={zoom}", "-oo", f"X={col}",
         "-oo", f"Y={row}", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"Layer name: {collection}" in summary
    assert f"Feature Count: {features}" in summary
    found = re.search(r"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)", summary)
    assert found is not None
    west, south, east, north = (float(value) for value in found.groups())
    size = 2 * HALF_WORLD / 2**zoom
    margin = size * 64 / EXTENT
    left, top = -HALF_WORLD + col * size, HALF_WORLD - row * size
    assert left - margin <= west < east <= left + size + margin
    assert top - size - margin <= south < north <= top + margin
