"""Map layers over HTTP (light at any zoom; operational layers closed to the public) and
the per-district figures anyone may read (aggregates, never a coordinate)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web_fixtures import Web, web_on

from demine.store.engine import Store

TARTAR = "46.8,40.25,47.1,40.45"


@pytest.fixture
def web(store: Store) -> Web:
    return web_on(store)


@pytest.mark.parametrize("layer", ["hazards", "finds", "accidents", "minefields"])
def test_operational_layers_are_closed_to_the_public(web: Web, layer: str) -> None:
    assert web.client.get(f"/api/map/{layer}").status_code == 403
    assert web.client.get(f"/api/map/{layer}", headers=web.as_("vera")).status_code == 200


def test_everyone_sees_district_shapes(web: Web) -> None:
    answer = web.client.get("/api/map/districts?zoom=8").json()
    assert sorted(f["properties"]["name"] for f in answer["features"]) == [
        "Aghdam", "Fuzuli", "Tartar",
    ]  # fmt: skip
    assert answer["truncated"] is False and answer["layer"] == "districts"


def test_points_are_counted_in_cells_until_the_view_is_close(web: Web) -> None:
    far = web.client.get("/api/map/finds?zoom=5", headers=web.as_("vera")).json()
    assert far["aggregated"] is True
    assert {f["properties"]["kind"] for f in far["features"]} == {"cell"}
    # FND-003 and FND-006 have no position; the others' devices are summed in their cells.
    assert sum(f["properties"]["count"] for f in far["features"]) == 3 + 5 + 1 + 2
    close = web.client.get(f"/api/map/finds?zoom=14&bbox={TARTAR}", headers=web.as_("vera"))
    features = close.json()["features"]
    assert close.json()["aggregated"] is False
    assert {f["id"] for f in features} == {"FND-001", "FND-002"}
    assert all(46.8 <= f["geometry"]["coordinates"][0] <= 47.1 for f in features)


def test_a_bad_box_or_zoom_is_refused(web: Web) -> None:
    assert web.client.get("/api/map/districts?bbox=1,2,3").status_code == 400
    assert web.client.get("/api/map/districts?bbox=10,0,0,10").status_code == 400
    assert web.client.get("/api/map/districts?zoom=99").status_code == 422
    assert web.client.get("/api/map/rivers").status_code == 422


def test_drafts_are_not_drawn_until_approved(web: Web) -> None:
    find = {"external_id": "FND-WEB-2", "category": "AP_MINE", "quantity": 1,
            "found_on": "2024-07-04", "wkt": "POINT (46.95 40.35)"}  # fmt: skip
    assert web.client.post("/api/finds", json=find, headers=web.as_("ines")).status_code == 201

    def drawn() -> set[str]:
        url = f"/api/map/finds?zoom=14&bbox={TARTAR}"
        return {f["id"] for f in web.client.get(url, headers=web.as_("ines")).json()["features"]}

    assert "FND-WEB-2" not in drawn()
    web.client.post("/api/finds/FND-WEB-2/submit", headers=web.as_("ines"))
    assert "FND-WEB-2" not in drawn()
    web.client.post("/api/finds/FND-WEB-2/approve", headers=web.as_("ines"))
    assert "FND-WEB-2" in drawn()


def test_a_view_asked_again_is_sent_from_the_cache_until_a_write(web: Web) -> None:
    url = f"/api/map/finds?zoom=14&bbox={TARTAR}"
    cache = web.client.app.state.response_cache  # type: ignore[attr-defined]
    first = web.client.get(url, headers=web.as_("vera"))
    kept = len(cache)
    again = web.client.get(url, headers=web.as_("vera"))
    assert kept >= 1 and len(cache) == kept  # answered from the cache, nothing added
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"] == "application/geo+json"
    # Kept for a viewer, still refused to the public.
    assert web.client.get(url).status_code == 403
    etag = web.client.get("/api/finds/FND-001", headers=web.as_("ines")).headers["etag"]
    deleted = web.client.delete("/api/finds/FND-001", headers={**web.as_("ines"), "If-Match": etag})
    assert deleted.status_code == 204
    after = web.client.get(url, headers=web.as_("vera")).json()
    assert {f["id"] for f in after["features"]} == {"FND-002"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_public_district_figures_are_aggregates_without_coordinates(web: Web) -> None:
    answer = web.client.get("/api/public/districts").json()
    assert not _keys(answer) & {"geometry", "coordinates", "wkt", "lon", "lat", "bbox"}
    by_name = {row["name"]: row for row in answer["districts"]}
    assert list(by_name) == ["Tartar", "Aghdam", "Fuzuli"]  # reporting order
    assert by_name["Tartar"]["ap_mines"] == 5 and by_name["Tartar"]["at_mines"] == 3
    assert by_name["Tartar"]["hectares_cleared"] == 12.5
    # One accident in Fuzuli and one in Aghdam: too few to show, the total stays exact.
    assert by_name["Fuzuli"]["accidents"] == "<5" and by_name["Aghdam"]["accidents"] == "<5"
    assert answer["total"]["accidents"] == 2


def test_public_district_figures_for_a_period(web: Web) -> None:
    answer = web.client.get("/api/public/districts?from=2024-07-01&to=2024-07-07").json()
    assert answer["period_start"] == "2024-07-01" and answer["period_end"] == "2024-07-07"
    assert answer["total"]["accidents"] == 0
    bad = web.client.get("/api/public/districts?from=2024-07-08&to=2024-07-01")
    assert bad.status_code == 400
    # Anyone may ask, so a period of thousands of empty years is refused, not computed.
    ancient = web.client.get("/api/public/districts?from=0001-01-01&to=2024-07-07")
    assert ancient.status_code == 400
    assert ancient.json()["message"] == (
        "from: 0001-01-01 is outside the public figures' span, 1900-01-01 to 2100-12-31"
    )
    assert web.client.get("/api/public/districts?to=9999-12-31").status_code == 400
