"""OGC API answers tagged with the data version: ETag, 304 while nothing is written,
a new tag after every edit, approval and delete, answers cached per role and never
served to another, and pages from the cache byte for byte those made afresh."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from tests.migrated_copies import MigratedSchemas, copy_sqlite_database

from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store
from demine.store.users import add_user, create_token
from demine.web.app import create_app
from demine.web.http_cache import ResponseCache, Stored, not_modified, tagged

ITEMS = "/ogc/collections/hazards-areas/items"


@pytest.fixture
def demo_copy(
    database_url: str, migrated_schemas: MigratedSchemas, request: pytest.FixtureRequest
) -> Iterator[Store]:
    """A demo register this test may change (a copy on SQLite, loaded on PostGIS)."""
    if database_url.startswith("sqlite"):
        template: Path = request.getfixturevalue("demo_sqlite_template")
        target = Path(database_url.removeprefix("sqlite:///"))
        copy_sqlite_database(template, target)
        from demine.store.engine import open_store

        store = open_store(database_url)
    else:
        from demine.demo.load import load_demo

        store = migrated_schemas.fresh_store(database_url)
        load_demo(store)
    yield store
    store.dispose()


def _client(store: Store, role: str | None = "viewer", name: str = "reader") -> TestClient:
    client = TestClient(create_app(Settings(database_url="unused"), store))
    if role is not None:
        with store.write() as connection:
            add_user(connection, name, "a long enough password", role)
            token = create_token(connection, name, "cache tests")
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def _hazard_ids(store: Store) -> list[int]:
    table = schema.hazard_areas
    with store.read() as connection:
        statement = select(table.c.id).where(
            table.c.review_status == "approved", table.c.deleted_at.is_(None)
        )
        return [row_id for (row_id,) in connection.execute(statement.order_by(table.c.id))]


def _delete_unreferenced(store: Store, ids: list[int]) -> int:
    """Delete (for good) the last hazard area of ``ids`` no other record refers to."""
    from sqlalchemy.exc import IntegrityError

    table = schema.hazard_areas
    for row_id in reversed(ids):
        try:
            with store.write() as connection:
                connection.execute(delete(table).where(table.c.id == row_id))
        except IntegrityError:
            continue
        return row_id
    raise AssertionError("every hazard area is referred to")


def test_a_page_is_tagged_and_answers_304_until_a_write(demo_copy: Store) -> None:
    client = _client(demo_copy)
    first = client.get(ITEMS, params={"limit": 5})
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(ITEMS, params={"limit": 5}, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    # Served from the cache: the very same bytes (its timeStamp too).
    assert client.get(ITEMS, params={"limit": 5}).content == first.content
    # Another page, another tag.
    assert client.get(ITEMS, params={"limit": 6}).headers["ETag"] != etag

    table = schema.hazard_areas
    first_id, second_id, third_id = _hazard_ids(demo_copy)[:3]
    writes = [
        # An edit, an approval taken back and given again, a soft and a hard delete.
        update(table).where(table.c.id == first_id).values(name="Renamed for the test"),
        update(table).where(table.c.id == second_id).values(review_status="pending"),
        update(table).where(table.c.id == second_id).values(review_status="approved"),
        update(table).where(table.c.id == third_id).values(deleted_at=table.c.updated_at),
        None,
    ]
    seen = {etag}
    gone = -1
    for write in writes:
        if write is None:
            gone = _delete_unreferenced(demo_copy, _hazard_ids(demo_copy))
        else:
            with demo_copy.write() as connection:
                connection.execute(write)
        answer = client.get(ITEMS, params={"limit": 5}, headers={"If-None-Match": etag})
        assert answer.status_code == 200, write
        etag = answer.headers["ETag"]
        assert etag not in seen
        seen.add(etag)
        fresh = _client(demo_copy, name=f"fresh{len(seen)}").get(ITEMS, params={"limit": 5})
        assert _without_time(answer.content) == _without_time(fresh.content)
    ids = [f["id"] for f in client.get(ITEMS, params={"limit": 1000}).json()["features"]]
    assert gone not in ids and third_id not in ids and second_id in ids


def _without_time(body: bytes) -> dict[str, object]:
    document: dict[str, object] = json.loads(body)
    document.pop("timeStamp", None)
    return document


def test_an_answer_is_never_served_to_a_caller_of_other_roles(demo_copy: Store) -> None:
    viewer, public = _client(demo_copy), _client(demo_copy, role=None)
    assert viewer.get(ITEMS).status_code == 200
    # Hazards are not public: the viewer's cached page is not the public's answer.
    assert public.get(ITEMS).status_code == 404
    districts = "/ogc/collections/districts/items"
    for_viewer, for_public = viewer.get(districts), public.get(districts)
    assert for_public.headers["Cache-Control"] == "public, no-cache"
    assert for_viewer.headers["ETag"] != for_public.headers["ETag"]
    refused = public.get(districts, headers={"If-None-Match": for_viewer.headers["ETag"]})
    assert refused.status_code == 200
    admin = _client(demo_copy, role="administrator", name="administrator")
    assert admin.get(ITEMS).headers["ETag"] != viewer.get(ITEMS).headers["ETag"]


def test_the_cache_holds_one_data_version_and_a_bounded_number_of_bytes() -> None:
    from demine.web.access import PUBLIC

    cache = ResponseCache(max_bytes=100, largest=60)
    first = tagged(1, PUBLIC, "en", "/ogc/a", "", "json")
    cache.put(first, Stored(200, "application/json", b"x" * 50))
    assert cache.get(first) == Stored(200, "application/json", b"x" * 50)
    cache.put(tagged(1, PUBLIC, "en", "/ogc/b", "", "json"), Stored(200, "a", b"y" * 60))
    assert cache.size <= 100 and cache.get(first) is None  # the least recent went
    cache.put(tagged(1, PUBLIC, "en", "/ogc/c", "", "json"), Stored(200, "a", b"z" * 61))
    assert len(cache) == 1  # too large to keep
    newer = tagged(2, PUBLIC, "en", "/ogc/a", "", "json")
    assert newer.etag != first.etag and cache.get(newer) is None and len(cache) == 0
    assert not_modified(f'W/{newer.etag}, "other"', newer.etag)
    assert not not_modified(first.etag, newer.etag)


def _rtree_agrees(store: Store, boxes: list[tuple[float, float, float, float]]) -> None:
    from demine.store.spatial import BBox, filter_envelope

    for table in schema.SPATIAL_TABLES:
        with store.read() as connection:
            rows = connection.execute(
                select(table.c.id, table.c.min_x, table.c.min_y, table.c.max_x, table.c.max_y)
            ).all()
            for box in boxes:
                bbox = BBox(*box)
                brute = sorted(
                    row_id
                    for row_id, min_x, min_y, max_x, max_y in rows
                    if min_x is not None
                    and max_x >= bbox.min_x
                    and min_x <= bbox.max_x
                    and max_y >= bbox.min_y
                    and min_y <= bbox.max_y
                )
                statement = filter_envelope(select(table.c.id), table, bbox, dialect="sqlite")
                found = sorted(connection.execute(statement).scalars())
                assert found == brute, (table.name, box)


def test_the_rtree_finds_what_a_brute_force_box_filter_finds(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from demine.store.engine import open_store

    template: Path = request.getfixturevalue("demo_sqlite_template")
    copy_sqlite_database(template, tmp_path / "demo.db")
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    # Boxes over the demo register's part of Azerbaijan, and one over the world.
    x0, y0 = 44.0, 38.5
    step = [(x0 + i * 0.37, y0 + j * 0.29) for i in range(10) for j in range(7)]
    boxes = [(x, y, x + 0.5, y + 0.4) for x, y in step] + [(-180.0, -90.0, 180.0, 90.0)]
    _rtree_agrees(store, boxes)
    # The triggers keep it: a moved box, a removed geometry, a deleted and a new row.
    table = schema.hazard_areas
    ids = _hazard_ids(store)
    with store.write() as connection:
        connection.execute(update(table).where(table.c.id == ids[0]).values(min_x=45.1, max_x=45.2))
        connection.execute(
            update(table)
            .where(table.c.id == ids[1])
            .values(geometry=None, min_x=None, min_y=None, max_x=None, max_y=None)
        )
    _delete_unreferenced(store, ids[2:])
    _rtree_agrees(store, boxes)
    store.dispose()


def test_threads_asking_for_an_rtree_at_once_all_get_it_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server's first requests ask for the R*Tree's table in several threads at once;
    none may see it half built (a Table shows in its MetaData before its columns: a
    500 for a box search at a worker's start, seen under load in the benchmarks)."""
    from demine.store import spatial

    missing: list[str] = []

    def ask(barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            spatial.rtree(schema.hazard_areas).c.id  # noqa: B018 (the column must exist)
        except Exception as error:  # any failure is the finding
            missing.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often: the race shows at once
    try:
        for _attempt in range(100):
            monkeypatch.setattr(spatial, "_RTREES", {})
            barrier = threading.Barrier(8)
            threads = [threading.Thread(target=ask, args=(barrier,)) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not missing, missing[:3]


def test_geometries_written_once_are_byte_for_byte_those_written_afresh(
    demo_database_url: str,
) -> None:
    import shapely

    from demine.domain.geojson import rfc7946
    from demine.store.engine import open_store
    from demine.store.reader import RegisterReader
    from demine.store.reads.features import FeatureQuery, feature_page
    from demine.web.ogc.collections import served
    from demine.web.ogc.geometry_text import GeometryTexts, geojson_texts

    store = open_store(demo_database_url)
    kept = GeometryTexts()
    written = 0
    with store.read() as connection:
        reader = RegisterReader(connection, None)
        for collection in served().values():
            rows = feature_page(reader, collection.layer, FeatureQuery(limit=10_000)).rows
            afresh = [
                None if row["geometry"] is None else shapely.to_geojson(rfc7946(row["geometry"]))
                for row in rows
            ]
            assert all(getattr(row, "stored_geometry", None) for row in rows)
            assert geojson_texts(rows, kept) == afresh, collection.id  # written
            assert geojson_texts(rows, kept) == afresh, collection.id  # kept
            written += len(rows)
    store.dispose()
    assert written > 100


class _Spy:
    """What the layer in front of the framework (web/kept_answers.py) answered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from demine.web.kept_answers import KeptAnswers

        self.sent: list[int] = []
        self.passed = 0
        original = KeptAnswers.kept

        def kept(layer: KeptAnswers, scope: dict[str, object]) -> object:
            answer = original(layer, scope)  # type: ignore[arg-type]
            if answer is None:
                self.passed += 1
            else:
                self.sent.append(answer.status_code)
            return answer

        monkeypatch.setattr(KeptAnswers, "kept", kept)


def _headers(answer: object) -> dict[str, str]:
    return dict(answer.headers.multi_items())  # type: ignore[attr-defined]


def test_a_kept_answer_is_sent_with_the_very_bytes_and_headers_the_framework_sends(
    demo_copy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _Spy(monkeypatch)
    client = _client(demo_copy)
    asked: list[tuple[dict[str, str | int], dict[str, str]]] = [
        ({"limit": 5}, {}),
        ({"limit": 5}, {"Accept-Language": "ru-RU,ru;q=0.9"}),
        ({"limit": 5, "f": "html"}, {}),
        ({}, {"Accept": "text/html"}),
    ]
    for params, headers in asked:
        made = client.get(ITEMS, params=params, headers=headers)
        assert (made.status_code, spy.sent) == (200, [])
        again = client.get(ITEMS, params=params, headers=headers)
        assert spy.sent == [200]
        assert again.content == made.content
        assert _headers(again) == _headers(made)
        language = "ru" if "Accept-Language" in headers else "en"
        assert again.headers["Content-Language"] == language
        spy.sent.clear()
    # A 304 from the layer carries the headers of the framework's own 304 (which a
    # server with nothing kept yet answers).
    conditional = {"Accept": "text/html", "If-None-Match": made.headers["ETag"]}
    kept = client.get(ITEMS, headers=conditional)
    assert spy.sent == [304]
    fresh = TestClient(create_app(Settings(database_url="unused"), demo_copy))
    fresh.headers["Authorization"] = client.headers["Authorization"]
    passed = spy.passed
    framework = fresh.get(ITEMS, headers=conditional)
    assert spy.passed == passed + 1 and framework.status_code == kept.status_code == 304
    assert _headers(framework) == _headers(kept)


def test_a_kept_answer_is_never_sent_to_a_revoked_token_a_disabled_account_or_a_changed_role(
    demo_copy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from demine.store.users import list_tokens, revoke_token, set_disabled

    spy = _Spy(monkeypatch)
    viewer = _client(demo_copy, name="seen")
    as_viewer = viewer.get(ITEMS)
    assert as_viewer.status_code == 200
    assert viewer.get(ITEMS).content == as_viewer.content and spy.sent == [200]
    # Hazard areas are not public: the public is refused, never given the viewer's page.
    public = _client(demo_copy, role=None)
    assert public.get(ITEMS).status_code == 404 and spy.sent == [200]
    # A role changed (no data written): the next answer is made for the new roles.
    users = schema.users
    with demo_copy.write() as connection:
        connection.execute(
            update(users).where(users.c.username == "seen").values(role="administrator")
        )
    passed = spy.passed
    as_administrator = viewer.get(ITEMS)
    assert as_administrator.status_code == 200 and spy.passed == passed + 1
    assert as_administrator.headers["ETag"] != as_viewer.headers["ETag"]
    # A revoked token is refused at once, in the framework's words.
    with demo_copy.write() as connection:
        (token,) = list_tokens(connection, "seen")
        revoke_token(connection, token.id)
    sent = len(spy.sent)
    refused = viewer.get(ITEMS)
    assert refused.status_code == 401 and len(spy.sent) == sent
    assert refused.json()["message"] == "invalid or revoked API token"
    # A disabled account too.
    other = _client(demo_copy, name="other")
    assert other.get(ITEMS).status_code == 200 and other.get(ITEMS).status_code == 200
    sent = len(spy.sent)
    with demo_copy.write() as connection:
        set_disabled(connection, "other", True)
    assert other.get(ITEMS).status_code == 401 and len(spy.sent) == sent


def test_a_token_whose_use_is_due_is_recorded_by_the_framework(
    demo_copy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _Spy(monkeypatch)
    client = _client(demo_copy)
    tokens = schema.api_tokens
    assert client.get(ITEMS).status_code == 200  # made, and the token's use recorded
    with demo_copy.read() as connection:
        (used,) = connection.execute(select(tokens.c.last_used_at)).scalars()
    assert used is not None
    assert client.get(ITEMS).status_code == 200 and spy.sent == [200]
    with demo_copy.write() as connection:
        connection.execute(update(tokens).values(last_used_at=None))
    passed = spy.passed
    assert client.get(ITEMS).status_code == 200 and spy.passed == passed + 1
    with demo_copy.read() as connection:
        assert connection.execute(select(tokens.c.last_used_at)).scalar_one() is not None


def test_a_caller_is_looked_up_once_per_request_kept_or_not(
    demo_copy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from demine.store import users
    from demine.web import auth

    client = _client(demo_copy)
    assert client.get(ITEMS).status_code == 200  # the token's use recorded
    looked_up: list[str] = []
    original = users.user_for_token

    def user_for_token(*args: Any, **kwargs: Any) -> Any:
        looked_up.append("token")
        return original(*args, **kwargs)

    monkeypatch.setattr(auth, "user_for_token", user_for_token)
    spy = _Spy(monkeypatch)
    made = client.get(ITEMS, params={"limit": 3})  # not kept yet: made by the framework
    assert (made.status_code, spy.passed, looked_up) == (200, 1, ["token"])
    kept = client.get(ITEMS, params={"limit": 3})
    assert (kept.status_code, spy.sent, looked_up) == (200, [200], ["token", "token"])
