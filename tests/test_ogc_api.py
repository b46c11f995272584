"""OGC API – Features: the standard's documents, filters, paging, and GDAL reading it."""

from __future__ import annotations

import httpx
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.helpers import REGISTER, TODAY, load_sample
from tests.web_server import serving

from demine.domain.kinds import KINDS, Sensitivity
from demine.domain.kinds.exchange import geometry_layers
from demine.ingest.importer import import_file
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store
from demine.store.users import add_user, create_token
from demine.web.app import create_app


@pytest.fixture
def sample_store(store: Store) -> Store:
    load_sample(store)
    return store


def viewer_token(store: Store) -> str:
    with store.write() as connection:
        add_user(connection, "vera", "a long enough password", "viewer")
        return create_token(connection, "vera", "tests")


def _client(store: Store, token: str | None = None) -> TestClient:
    client = TestClient(create_app(Settings(database_url="unused"), store))
    if token is not None:
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_landing_conformance_and_api(sample_store: Store) -> None:
    client = _client(sample_store)
    landing = client.get("/ogc/").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert any(c.endswith("/conf/core") for c in conformance)
    assert any(c.endswith("/conf/geojson") for c in conformance)
    assert any(c.endswith("/conf/oas30") for c in conformance)
    assert any(c.endswith("/conf/html") for c in conformance)
    assert client.get("/ogc/api").json()["openapi"].startswith("3.0")


def test_public_sees_only_districts(sample_store: Store) -> None:
    client = _client(sample_store)
    ids = [c["id"] for c in client.get("/ogc/collections").json()["collections"]]
    assert ids == ["districts"]
    assert client.get("/ogc/collections/hazards-areas/items").status_code == 404
    assert client.get("/ogc/collections/finds/items/1").status_code == 404


def test_items_bbox_datetime_and_paging(sample_store: Store) -> None:
    client = _client(sample_store, viewer_token(sample_store))
    everything = client.get("/ogc/collections/finds/items").json()
    # FND-003 and FND-006 have no point: not features.
    assert everything["numberMatched"] == 4
    tartar = client.get("/ogc/collections/finds/items", params={"bbox": "46.8,40.25,47.1,40.45"})
    assert tartar.headers["content-type"].startswith("application/geo+json")
    assert sorted(f["properties"]["external_id"] for f in tartar.json()["features"]) == [
        "FND-001", "FND-002",
    ]  # fmt: skip
    july = client.get("/ogc/collections/finds/items", params={"datetime": "2024-07-01/.."}).json()
    assert july["numberMatched"] == 3
    june = client.get("/ogc/collections/finds/items", params={"datetime": "../2024-06-30"}).json()
    assert [f["properties"]["external_id"] for f in june["features"]] == ["FND-005"]
    page = client.get("/ogc/collections/finds/items", params={"limit": 3}).json()
    assert page["numberReturned"] == 3
    following = next(link for link in page["links"] if link["rel"] == "next")
    rest = client.get(following["href"].replace("http://testserver", "")).json()
    assert rest["numberReturned"] == 1 and "next" not in {link["rel"] for link in rest["links"]}


def test_bad_parameters_are_refused(sample_store: Store) -> None:
    client = _client(sample_store, viewer_token(sample_store))
    for params, message in (
        ({"bbox": "1,2,3"}, "bbox must be four numbers"),
        ({"bbox": "5,5,1,1"}, "minimum is greater"),
        ({"datetime": "yesterday"}, "not an RFC 3339"),
        ({"limit": "0"}, "limit must be"),
        ({"colour": "red"}, "unknown parameter(s): colour"),
    ):
        response = client.get("/ogc/collections/finds/items", params=params)
        assert response.status_code == 400, params
        assert message in response.json()["description"]


@pytest.mark.parametrize("collection", ["districts", "minefield-rows", "minefield-points"])
def test_datetime_on_a_collection_without_dates_is_refused(
    sample_store: Store, collection: str
) -> None:
    client = _client(sample_store, viewer_token(sample_store))
    response = client.get(f"/ogc/collections/{collection}/items", params={"datetime": "2024-07-01"})
    assert response.status_code == 400
    assert response.json()["description"] == (
        f"collection '{collection}' has no temporal property; datetime cannot be applied"
    )


def test_unknown_parameters_of_one_feature_are_refused(sample_store: Store) -> None:
    client = _client(sample_store, viewer_token(sample_store))
    first = client.get("/ogc/collections/finds/items", params={"limit": 1}).json()["features"][0]
    url = f"/ogc/collections/finds/items/{first['id']}"
    assert client.get(url).status_code == 200
    refused = client.get(url, params={"bbox": "1,2,3,4", "colour": "red"})
    assert refused.status_code == 400
    assert refused.json()["description"] == "unknown parameter(s): bbox, colour"


def test_collections_are_those_of_the_registry_a_role_may_read(sample_store: Store) -> None:
    served = [
        layer
        for kind in KINDS.values()
        if kind.collection is not None
        for layer in geometry_layers(kind)
    ]
    client = _client(sample_store, viewer_token(sample_store))
    documents = client.get("/ogc/collections").json()["collections"]
    assert [c["id"] for c in documents] == [layer.collection for layer in served]
    assert [c["id"] for c in documents][:4] == [
        "districts", "hazards-points", "hazards-areas", "activities"
    ]  # fmt: skip
    titles = {c["id"]: c["title"] for c in documents}
    assert titles["finds"] == KINDS["finds"].title
    assert titles["hazards-areas"] == f"{KINDS['hazards'].title}: areas"
    public = _client(sample_store).get("/ogc/collections").json()["collections"]
    assert [c["id"] for c in public] == [
        layer.collection for layer in served if layer.kind.sensitivity is Sensitivity.PUBLIC
    ]


def test_collections_give_their_spatial_and_temporal_extent(sample_store: Store) -> None:
    client = _client(sample_store, viewer_token(sample_store))
    finds = client.get("/ogc/collections/finds").json()["extent"]
    west, south, east, north = finds["spatial"]["bbox"][0]
    assert west < east and south < north
    ((start, end),) = finds["temporal"]["interval"]
    assert start.endswith("T00:00:00Z") and end.endswith("T23:59:59Z") and start < end
    districts = client.get("/ogc/collections/districts").json()["extent"]
    assert "temporal" not in districts


def test_drafts_and_deleted_records_are_not_served(sample_store: Store) -> None:
    token = viewer_token(sample_store)
    with sample_store.write() as connection:
        add_user(connection, "ines", "a long enough password", "information_manager")
        manager = {"Authorization": f"Bearer {create_token(connection, 'ines', 'tests')}"}
    client = _client(sample_store, token)
    before = client.get("/ogc/collections/finds/items").json()
    extent = client.get("/ogc/collections/finds").json()["extent"]
    far = {"external_id": "FND-OGC-1", "district": "Tartar", "category": "AP_MINE",
           "quantity": 1, "found_on": "2020-01-01", "wkt": "POINT (49.8 40.4)"}  # fmt: skip
    made = client.post("/api/finds", json=far, headers=manager)
    assert made.status_code == 201, made.json()
    after = client.get("/ogc/collections/finds/items").json()
    assert after["numberMatched"] == before["numberMatched"]
    assert client.get("/ogc/collections/finds").json()["extent"] == extent
    first = before["features"][0]
    etag = client.get(f"/api/finds/{first['properties']['external_id']}", headers=manager)
    deleted = client.delete(
        f"/api/finds/{first['properties']['external_id']}",
        headers={**manager, "If-Match": etag.headers["etag"]},
    )
    assert deleted.status_code in (200, 204)
    assert client.get(f"/ogc/collections/finds/items/{first['id']}").status_code == 404
    remaining = client.get("/ogc/collections/finds/items").json()["numberMatched"]
    assert remaining == before["numberMatched"] - 1


def test_html_pages(sample_store: Store) -> None:
    client = _client(sample_store, viewer_token(sample_store))
    page = client.get("/ogc/collections/hazards-areas/items?f=html")
    assert page.headers["content-type"].startswith("text/html")
    assert "HA-001" in page.text and "/static/vendor/leaflet/leaflet.js" in page.text


def _family(collection: str, geometry_type: str) -> bool:
    """Whether a geometry of ``geometry_type`` belongs in ``collection``."""
    if collection == "hazards-points":
        return geometry_type == "Point"
    if collection == "hazards-areas":
        return geometry_type != "Point"
    return True


def test_gdal_reads_every_collection_like_the_database(
    sample_store: Store, database_url: str
) -> None:
    token = viewer_token(sample_store)
    records = REGISTER.parent / "records"
    import_file(sample_store, "minefield-records", records / "minefield_records.geojson",
                country="AZ", today=TODAY)  # fmt: skip
    layers = {
        "districts": schema.admin_areas,
        "hazards-points": schema.hazard_areas,
        "hazards-areas": schema.hazard_areas,
        "activities": schema.activities,
        "finds": schema.device_finds,
        "accidents": schema.accidents,
        "minefield-records": schema.minefield_records,
    }
    with serving(database_url) as base:
        collections = httpx.get(f"{base}/ogc/collections").json()["collections"]
        public = [c["id"] for c in collections]
        # As QGIS does with a basic-authentication configuration: the token as password.
        pyogrio.set_gdal_config_options(
            {"GDAL_HTTP_USERPWD": f"vera:{token}", "GDAL_HTTP_AUTH": "BASIC"}
        )
        try:
            read = {
                layer: pyogrio.raw.read(f"OAPIF:{base}/ogc", layer=layer)[2] for layer in layers
            }
        finally:
            pyogrio.set_gdal_config_options({"GDAL_HTTP_USERPWD": None, "GDAL_HTTP_AUTH": None})
    assert public == ["districts"]
    for layer, table in layers.items():
        query = select(table.c.geometry).where(table.c.geometry.is_not(None)).order_by(table.c.id)
        if layer == "districts":
            query = query.where(table.c.level == "district")
        with sample_store.read() as connection:
            everything = list(connection.execute(query).scalars())
        # Each collection holds one geometry type: hazards' points apart from their areas.
        expected = [g for g in everything if _family(layer, g.geom_type)]
        assert len(read[layer]) == len(expected), layer
        for got, want in zip(read[layer], expected, strict=True):
            assert shapely.from_wkb(got).equals(want), layer
