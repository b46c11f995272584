"""The dashboard map's whole-country answers, made as a server starts: the same bytes a
server just started would make, sent only to roles that may see the layer and only
until anything is written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.web_fixtures import web_on

from demine.domain.tile_matrix import fitting_zoom
from demine.settings import Settings
from demine.store.engine import Store
from demine.web import map_first_view
from demine.web.app import create_app
from demine.web.map_answers import Layer
from demine.web.map_first_view import FIRST_LAYERS, MAP_PIXELS, first_zoom


def test_the_zoom_is_the_one_leaflet_fits_a_box_at() -> None:
    # 5° × 2° at latitude 38–40: 910 × 469 pixels at zoom 8, twice that at 9.
    assert fitting_zoom((-20.0, 38.0, -15.0, 40.0), *MAP_PIXELS) == 8
    assert fitting_zoom((-20.0, 38.0, -15.0, 40.0), 900, 510) == 7
    assert fitting_zoom((-20.0, 38.0, -15.0, 40.0), 1166, 510) == 8
    # A tile's width at zoom 8, a little wider, in a tile-wide map: Leaflet rounds the
    # zoom to hundredths first (7.996 → 8; 7.991 → 7.99 → 7).
    tile = 360.0 / 2**8
    assert fitting_zoom((0.0, 0.0, tile, 0.001), 256, 256) == 8
    assert fitting_zoom((0.0, 0.0, tile * 1.003, 0.001), 256, 256) == 8
    assert fitting_zoom((0.0, 0.0, tile * 1.006, 0.001), 256, 256) == 7
    assert fitting_zoom((0.0, 0.0, 1.0, 1.0), 256, 256, max_zoom=5) == 5
    assert fitting_zoom((-180.0, -85.0, 180.0, 85.0), 256, 256, min_zoom=2) == 2


def _as_made_afresh(store: Store, urls: list[str], headers: dict[str, str]) -> list[bytes]:
    """The answers of a server that made nothing ahead."""
    with TestClient(create_app(Settings(database_url="unused", country="AZ"), store)) as cold:
        return [cold.get(url, headers=headers).content for url in urls]


def test_a_server_sends_the_first_view_it_made_as_it_started(store: Store) -> None:
    web = web_on(store)  # the sample register and its accounts
    app = create_app(Settings(database_url="unused", country="AZ"), store, warm=True)
    with TestClient(app) as client:  # starting: the warm-up runs before any request
        views = app.state.first_map_views
        assert len(views) == len(FIRST_LAYERS)
        ((_layer, zoom, _locale), *_rest) = views._views
        # A box holding every record (here the whole world) at the zoom the map opens at.
        urls = [f"/api/map/{layer.value}?zoom={zoom}" for layer in FIRST_LAYERS]
        sent = [client.get(url, headers=web.as_("vera")) for url in urls]
        assert [answer.status_code for answer in sent] == [200] * len(urls)
        assert len(app.state.response_cache) == 0  # none made: every one was kept
        vera = web.as_("vera")
        assert [answer.content for answer in sent] == _as_made_afresh(store, urls, vera)
        # Kept for everyone, sent to those who may see the layer only.
        assert client.get(f"/api/map/hazards?zoom={zoom}").status_code == 403
        assert client.get(f"/api/map/districts?zoom={zoom}").status_code == 200
        # Another zoom, or a box that leaves records out, is made afresh.
        client.get(f"/api/map/finds?zoom={zoom + 1}", headers=web.as_("vera"))
        client.get(
            f"/api/map/finds?zoom={zoom}&bbox=46.8,40.25,47.1,40.45", headers=web.as_("vera")
        )
        assert len(app.state.response_cache) == 2
        # After a write, the kept answers are never sent again.
        etag = client.get("/api/finds/FND-001", headers=web.as_("ines")).headers["etag"]
        deleted = client.delete("/api/finds/FND-001", headers={**web.as_("ines"), "If-Match": etag})
        assert deleted.status_code == 204
        finds = f"/api/map/finds?zoom={zoom}"
        after = client.get(finds, headers=web.as_("vera")).content
        assert after != sent[FIRST_LAYERS.index(Layer.FINDS)].content
        assert len(views) == 0
    assert [after] == _as_made_afresh(store, [finds], vera)


@pytest.mark.parametrize("extent", [(44.0, 38.0, 51.0, 42.0), (-20.0, 38.0, -15.0, 40.0)])
def test_the_first_zoom_fits_the_country_in_the_dashboards_map(
    extent: tuple[float, float, float, float],
) -> None:
    zoom = first_zoom(extent)
    assert fitting_zoom(extent, *MAP_PIXELS) == zoom
    assert 2 <= zoom <= 17


def test_an_answer_too_large_to_keep_is_made_when_asked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = web_on(store)
    monkeypatch.setattr(map_first_view, "LARGEST_CACHED", 0)
    app = create_app(Settings(database_url="unused", country="AZ"), store, warm=True)
    with TestClient(app) as client:
        assert len(app.state.first_map_views) == 0
        assert client.get("/api/map/districts?zoom=8", headers=web.as_("vera")).status_code == 200
