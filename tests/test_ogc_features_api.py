"""OGC API – Features on the demo register: one geometry type per collection, the
exchange columns as properties, limit capping, HEAD, queryables and property filters,
``properties`` and ``sortby``, formats, and GDAL copying the whole service."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient
from sqlalchemy import select

from demine.domain.kinds import KINDS
from demine.domain.kinds.exchange import exchange_columns, geometry_layers
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store, open_store
from demine.store.reader import live_condition
from demine.store.users import add_user, create_token
from demine.web.app import create_app

READER = "ogc-reader"


def _token(store: Store) -> str:
    """An API token of a viewer (the only write to the shared demo register)."""
    with store.write() as connection:
        known = connection.execute(
            select(schema.users.c.id).where(schema.users.c.username == READER)
        ).first()
        if known is None:
            add_user(connection, READER, "a long enough password", "viewer")
        return create_token(connection, READER, "ogc tests")


@pytest.fixture(scope="module")
def demo_store(demo_database_url: str) -> Iterator[Store]:
    store = open_store(demo_database_url)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def client(demo_store: Store) -> TestClient:
    answer = TestClient(create_app(Settings(database_url="unused"), demo_store))
    answer.headers["Authorization"] = f"Bearer {_token(demo_store)}"
    return answer


def _get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _live_geometry_types(store: Store, table: Any) -> Counter[str]:
    """How many live records of ``table`` have each geometry type (read directly)."""
    statement = select(table.c.geometry).where(table.c.geometry.is_not(None), live_condition(table))
    with store.read() as connection:
        return Counter(g.geom_type for g in connection.execute(statement).scalars())


def test_split_kinds_serve_one_geometry_type_per_collection(
    client: TestClient, demo_store: Store
) -> None:
    ids = [c["id"] for c in _get(client, "/ogc/collections")["collections"]]
    assert ids == [
        "districts", "hazards-points", "hazards-areas", "activities", "finds", "accidents",
        "minefield-records", "minefield-rows", "minefield-points", "projects-lines",
        "projects-areas", "tasks-points", "tasks-areas", "eore-sessions", "risk-cells",
    ]  # fmt: skip
    for kind, table, (points, areas) in (
        ("hazards", schema.hazard_areas, ("hazards-points", "hazards-areas")),
        ("tasks", schema.tasks, ("tasks-points", "tasks-areas")),
    ):
        types = _live_geometry_types(demo_store, table)
        point_page = _get(client, f"/ogc/collections/{points}/items", limit=10_000)
        area_page = _get(client, f"/ogc/collections/{areas}/items", limit=10_000)
        assert point_page["numberMatched"] == types["Point"], kind
        assert area_page["numberMatched"] == types["Polygon"] + types["MultiPolygon"], kind
        assert {f["geometry"]["type"] for f in point_page["features"]} <= {"Point"}
        # Polygons promoted: one declared type per collection.
        assert {f["geometry"]["type"] for f in area_page["features"]} == {"MultiPolygon"}
    hazards = _live_geometry_types(demo_store, schema.hazard_areas)
    assert hazards["Point"] > 0 and hazards["Polygon"] > 0
    lines = _get(client, "/ogc/collections/projects-lines/items")["features"]
    assert lines and {f["geometry"]["type"] for f in lines} == {"MultiLineString"}
    one = lines[0]
    assert _get(client, f"/ogc/collections/projects-lines/items/{one['id']}")["id"] == one["id"]
    # A record is served in its own geometry's collection only.
    assert client.get(f"/ogc/collections/projects-areas/items/{one['id']}").status_code == 404


def test_properties_are_the_exchange_columns(client: TestClient) -> None:
    for collection, kind in (("finds", "finds"), ("accidents", "accidents"),
                             ("districts", "admin-areas"), ("tasks-areas", "tasks")):  # fmt: skip
        feature = _get(client, f"/ogc/collections/{collection}/items", limit=1)["features"][0]
        assert list(feature["properties"]) == [c.name for c in exchange_columns(KINDS[kind])]
    accidents = _get(client, "/ogc/collections/accidents/items", limit=10_000)["features"]
    precisions = Counter(f["properties"]["date_precision"] for f in accidents)
    assert precisions["day"] > 0
    for feature in accidents:
        shown = feature["properties"]
        written = {"day": shown["occurred_earliest"], "month": shown["occurred_earliest"][:7],
                   "year": shown["occurred_earliest"][:4]}[shown["date_precision"]]  # fmt: skip
        assert shown["occurred_on"] == written
        assert shown["source"] in (None, {"withheld": True})  # free text withheld
    aghdam = _get(client, "/ogc/collections/districts/items", code="AZ-AGD")["features"]
    assert [f["properties"]["aliases"] for f in aghdam] == ["Agdam;Ağdam"]


def test_schema_follows_the_exchange_columns_with_types(client: TestClient) -> None:
    document = _get(client, "/ogc/collections/finds")
    links = {link["rel"]: link for link in document["links"]}
    assert links["describedby"]["href"].endswith("/ogc/collections/finds/schema")
    assert links["describedby"]["type"] == "application/schema+json"
    response = client.get("/ogc/collections/finds/schema")
    assert response.headers["content-type"].startswith("application/schema+json")
    properties = response.json()["properties"]
    assert list(properties) == ["geometry", *(c.name for c in exchange_columns(KINDS["finds"]))]
    assert properties["geometry"]["format"] == "geometry-point"
    assert properties["found_earliest"]["format"] == "date"
    assert properties["found_on"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"
    assert properties["quantity"]["type"] == "integer"
    assert properties["date_precision"]["enum"] == ["day", "month", "year"]
    areas = client.get("/ogc/collections/hazards-areas/schema").json()["properties"]
    assert areas["geometry"]["format"] == "geometry-multipolygon"


def test_limit_is_capped_and_paged_with_next_links(client: TestClient) -> None:
    total = _get(client, "/ogc/collections/finds/items", limit=1)["numberMatched"]
    assert total > 20_000
    default = _get(client, "/ogc/collections/finds/items")
    assert default["numberReturned"] == 1_000
    capped = _get(client, "/ogc/collections/finds/items", limit=50_000)
    assert capped["numberReturned"] == 10_000 and capped["numberMatched"] == total
    following = [link for link in capped["links"] if link["rel"] == "next"]
    assert [link["type"] for link in following] == ["application/geo+json", "text/html"]
    assert following[0]["href"].endswith("/ogc/collections/finds/items?limit=10000&offset=10000")
    last = _get(client, "/ogc/collections/finds/items", limit=10, offset=total - 3)
    assert last["numberReturned"] == 3 and "next" not in {link["rel"] for link in last["links"]}
    # A client asking for small pages gets them, and next links of at least 1,000.
    small = _get(client, "/ogc/collections/finds/items", limit=10)
    assert small["numberReturned"] == 10
    geojson_next = next(link["href"] for link in small["links"] if link["rel"] == "next")
    assert geojson_next.endswith("items?limit=1000&offset=10")
    ids = [f["id"] for f in small["features"]]
    after = _get(client, "/ogc/collections/finds/items", limit=1000, offset=10)["features"]
    assert not set(ids) & {f["id"] for f in after}


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/finds",
        "/ogc/collections/finds/schema", "/ogc/collections/finds/queryables",
        "/ogc/collections/finds/items?limit=5", "/ogc/collections/districts/items?f=html",
        "/ogc/collections/nothing-here", "/ogc/collections/finds/items?colour=red",
    ],
)  # fmt: skip
def test_head_answers_as_get_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "items" not in path or got.status_code != 200:  # items carry a time stamp
        assert head.headers["content-length"] == str(len(got.content))


def test_public_head_on_an_operational_collection_is_not_found(demo_store: Store) -> None:
    anonymous = TestClient(create_app(Settings(database_url="unused"), demo_store))
    assert anonymous.head("/ogc/collections/finds/items").status_code == 404
    assert anonymous.head("/ogc/collections/districts/items").status_code == 200


def test_queryables_and_property_filters(client: TestClient, demo_store: Store) -> None:
    document = _get(client, "/ogc/collections/finds")
    link = next(
        link for link in document["links"]
        if link["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables"
    )  # fmt: skip
    response = client.get(link["href"].replace("http://testserver", ""))
    assert response.headers["content-type"].startswith("application/schema+json")
    queryable = response.json()
    assert list(queryable["properties"]) == [
        "external_id", "district", "category", "quantity", "found_earliest", "found_latest",
        "date_precision", "model", "activity",
    ]  # fmt: skip
    assert queryable["additionalProperties"] is False
    finds, districts = schema.device_finds, schema.admin_areas
    statement = (
        select(finds.c.id)
        .join(districts, finds.c.district_id == districts.c.id)
        .where(live_condition(finds), finds.c.geometry.is_not(None))
        .where(districts.c.code == "AZ-AGD", finds.c.category == "AP_MINE")
    )
    with demo_store.read() as connection:
        expected = sorted(connection.execute(statement).scalars())
    page = _get(client, "/ogc/collections/finds/items", district="AZ-AGD", category="ap_mine",
                limit=10_000)  # fmt: skip
    assert page["numberMatched"] == len(expected) > 0
    assert sorted(f["id"] for f in page["features"]) == expected
    assert {(f["properties"]["district"], f["properties"]["category"])
            for f in page["features"]} == {("AZ-AGD", "AP_MINE")}  # fmt: skip
    following = next(link["href"] for link in page["links"] if link["rel"] == "self")
    assert "district=AZ-AGD" in following and "category=ap_mine" in following
    for params, message in (
        ({"found_on": "2024"}, "cannot filter on found_on (queryable: external_id, district,"),
        ({"colour": "red"}, "unknown parameter(s): colour"),
        ({"quantity": "many"}, "'many' is not a value of quantity (integer)"),
        ({"category": "teapot"}, "'teapot' is not a value of category"),
    ):
        refused = client.get("/ogc/collections/finds/items", params=params)
        assert refused.status_code == 400, params
        assert refused.json()["code"] == "InvalidParameterValue"
        assert message in refused.json()["description"], refused.json()
    refused = client.get("/ogc/collections/accidents/items", params={"narrative": "x"})
    assert refused.status_code == 400  # free text is not queryable


def test_properties_and_sortby(client: TestClient) -> None:
    chosen = _get(client, "/ogc/collections/finds/items", properties="external_id,quantity",
                  limit=3)["features"]  # fmt: skip
    assert [list(f["properties"]) for f in chosen] == [["external_id", "quantity"]] * 3
    assert chosen[0]["geometry"]["type"] == "Point"
    page = _get(client, "/ogc/collections/finds/items", sortby="-quantity,external_id",
                limit=200)["features"]  # fmt: skip
    keys = [(-f["properties"]["quantity"], f["properties"]["external_id"]) for f in page]
    assert keys == sorted(keys)
    top = _get(client, "/ogc/collections/finds/items", limit=10_000, sortby="-quantity")
    assert page[0]["properties"]["quantity"] == max(
        f["properties"]["quantity"] for f in top["features"]
    )
    # Sorted inside a box too (SQLite tests geometries against the box in Python).
    boxed = _get(client, "/ogc/collections/finds/items", bbox="46.5,39.5,47.5,40.5",
                 sortby="district,-found_earliest", limit=500)["features"]  # fmt: skip
    order = [(f["properties"]["district"], f["properties"]["found_earliest"]) for f in boxed]
    assert order == sorted(order, key=lambda k: (k[0], -int(k[1].replace("-", ""))))
    for params, message in (
        ({"properties": "external_id,colour"}, "unknown property(ies): colour"),
        ({"sortby": "found_on"}, "cannot sort by 'found_on'"),
        ({"sortby": "-colour"}, "cannot sort by 'colour'"),
    ):
        refused = client.get("/ogc/collections/finds/items", params=params)
        assert refused.status_code == 400, params
        assert message in refused.json()["description"]


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/finds",
        "/ogc/collections/finds/schema", "/ogc/collections/finds/queryables",
        "/ogc/collections/finds/items", "/ogc/collections/finds/items/1",
    ],
)  # fmt: skip
def test_unknown_formats_are_refused(client: TestClient, path: str) -> None:
    refused = client.get(path, params={"f": "xml"})
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["code"] == "InvalidParameterValue"
    assert refused.json()["description"].startswith("unknown format f=xml (accepted: json")
    assert client.get(path, params={"f": "json"}).status_code == 200


def test_temporal_extent_on_every_dated_collection(client: TestClient) -> None:
    collections = {c["id"]: c for c in _get(client, "/ogc/collections")["collections"]}
    for collection_id, document in collections.items():
        temporal = document.get("extent", {}).get("temporal")
        undated = collection_id in ("districts", "minefield-rows", "minefield-points")
        assert (temporal is None) == undated, collection_id
    # No point task in the demo: an open interval, still there.
    assert collections["tasks-points"]["extent"] == {
        "temporal": {"interval": [[None, None]],
                     "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    }  # fmt: skip
    ((start, end),) = collections["finds"]["extent"]["temporal"]["interval"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", start) and start < end


def test_conformance_and_openapi_say_what_is_served(client: TestClient) -> None:
    conformance = _get(client, "/ogc/conformance")["conformsTo"]
    assert conformance == [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        # Vector tiles of the same collections (OGC API – Tiles, docs/ogc-api.md).
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    ]
    response = client.get("/ogc/api")
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json;version=3.0"
    api = response.json()
    limit = api["components"]["parameters"]["limit"]
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 10_000,
                               "default": 1_000}  # fmt: skip
    assert {"get", "head"} <= set(api["paths"]["/collections/{collectionId}/queryables"])
    # Each collection's items path, with the shared limit (later GDAL releases read it there).
    finds = api["paths"]["/collections/finds/items"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/limit"} in finds
    names = {p.get("name") for p in finds}
    assert {"district", "category", "quantity"} <= names and "found_on" not in names
    assert set(api["paths"]) >= {f"/collections/{c}/items" for c in ("hazards-points", "districts")}


@pytest.mark.slow
def test_gdal_copies_the_whole_service_with_its_default_page_size(
    demo_database_url: str, demo_store: Store, tmp_path: Any
) -> None:
    """``ogr2ogr -f GPKG`` of the whole service, without ``-oo PAGE_SIZE``: every
    collection arrives whole, with one geometry type each."""
    import os
    import subprocess

    import pyogrio
    from tests.web_server import serving

    token = _token(demo_store)
    environment = {**os.environ, "GDAL_HTTP_USERPWD": f"{READER}:{token}",
                   "GDAL_HTTP_AUTH": "BASIC", "CPL_DEBUG": "ON"}  # fmt: skip
    copy = tmp_path / "service.gpkg"
    with serving(demo_database_url) as base:
        listed = subprocess.run(
            ["ogrinfo", "-ro", "-q", f"OAPIF:{base}/ogc"],
            env=environment, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        copied = subprocess.run(
            ["ogr2ogr", "-f", "GPKG", str(copy), f"OAPIF:{base}/ogc"],
            env=environment, capture_output=True, text=True, check=True,
        )  # fmt: skip
        import httpx

        headers = {"Authorization": f"Bearer {token}"}
        documents = httpx.get(f"{base}/ogc/collections", headers=headers).json()["collections"]
        matched = {
            c["id"]: httpx.get(f"{base}/ogc/collections/{c['id']}/items?limit=1",
                               headers=headers).json()["numberMatched"]
            for c in documents
        }  # fmt: skip
    ids = [c["id"] for c in documents]
    assert [re.sub(r"^\d+: (\S+).*$", r"\1", line) for line in listed.splitlines()] == ids
    pages = [line for line in copied.stderr.splitlines() if "HTTP: Fetch(" in line]
    # A first page of 10 (GDAL 3.6's own size) per collection, then pages of 1,000.
    assert len(pages) < 2 * len(ids) + sum(n // 1_000 + 1 for n in matched.values())
    layers = {name: geometry for name, geometry in pyogrio.list_layers(copy)}
    for collection in ids:
        geometries = pyogrio.raw.read(copy, layer=collection)[2]
        assert len(geometries) == matched[collection], collection
        if matched[collection]:
            types = {shapely.from_wkb(g).geom_type for g in geometries}
            assert len(types) == 1 and layers[collection] == types.pop(), collection
    kinds = {layer.collection: layer for kind in KINDS.values() for layer in geometry_layers(kind)}
    for collection in ids:
        if matched[collection]:
            assert layers[collection] == kinds[collection].geometry_type, collection


def _rings(geometry: dict[str, Any]) -> Iterator[tuple[bool, list[list[float]]]]:
    """Each ring of a GeoJSON (Multi)Polygon, with whether it is the exterior."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            yield index == 0, ring


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


@pytest.mark.parametrize(
    "collection", ["districts", "hazards-areas", "activities", "minefield-records", "tasks-areas"]
)
def test_polygons_are_rfc_7946(client: TestClient, collection: str) -> None:
    """Exterior rings counter-clockwise, holes clockwise, at most 7 decimals, no crs
    member — on every polygon of the collection's pages and on one item."""
    body = _get(client, f"/ogc/collections/{collection}/items", limit=10_000)
    assert "crs" not in body
    rings = 0
    for feature in body["features"]:
        for exterior, ring in _rings(feature["geometry"]):
            assert shapely.LinearRing(ring).is_ccw is exterior, (feature["id"], exterior)
            assert max(_decimals(c) for point in ring for c in point) <= 7, feature["id"]
            rings += 1
    assert rings >= body["numberReturned"] > 0
    first = body["features"][0]["id"]
    one = _get(client, f"/ogc/collections/{collection}/items/{first}")
    assert all(shapely.LinearRing(r).is_ccw is e for e, r in _rings(one["geometry"]))
