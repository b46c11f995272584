"""The REST API: who may read and write what, the approval workflow, optimistic
concurrency (412, never a lost update), validation errors naming the field, soft delete."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.helpers import load_sample

from demine.analysis.summary import summarise_period
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader
from demine.store.users import add_user, create_token
from demine.web.app import create_app

PASSWORD = "a long enough password"
NEW_ACTIVITY = {
    "external_id": "ACT-WEB-1",
    "kind": "clearance",
    "organisation": "ANAMA",
    "district": "Tartar",
    "start_date": "2024-07-01",
    "end_date": "2024-07-05",
    "area_cleared_m2": 5000,
    "team_days": 3,
}


@pytest.fixture
def api(store: Store) -> tuple[TestClient, dict[str, dict[str, str]], Store]:
    load_sample(store)
    tokens = {}
    with store.write() as connection:
        for name, role, organisation in (
            ("ines", "information_manager", None),
            ("dora", "data_entry", "ANAMA"),
            ("sami", "data_entry", "SAFE"),
            ("vera", "viewer", None),
        ):
            add_user(connection, name, PASSWORD, role, organisation=organisation)
            tokens[name] = {"Authorization": f"Bearer {create_token(connection, name, 't')}"}
    tokens["public"] = {}
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), store))
    return client, tokens, store


READ_MATRIX = [
    ("public", 403), ("vera", 200), ("dora", 200), ("ines", 200),
]  # fmt: skip


@pytest.mark.parametrize(("who", "status"), READ_MATRIX)
@pytest.mark.parametrize("kind", ["hazards", "activities", "finds", "accidents", "victims"])
def test_who_may_read_operational_records(api, who: str, status: int, kind: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    assert client.get(f"/api/{kind}", headers=tokens[who]).status_code == status


def test_victim_identifiers_are_not_served(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    assert client.get("/api/victim-identifiers", headers=tokens["ines"]).status_code == 422


def test_field_report_goes_from_draft_to_approved(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, store = api
    created = client.post("/api/activities", json=NEW_ACTIVITY, headers=tokens["dora"])
    assert created.status_code == 201, created.text
    assert created.json()["review_status"] == "draft"
    assert created.headers["etag"] == 'W/"1"'

    def cleared() -> float:
        with store.read() as connection:
            summary = summarise_period(
                RegisterReader(connection, "AZ"), date(2024, 7, 1), date(2024, 7, 7)
            )
        return summary.total.area_cleared_m2

    assert cleared() == 125000.5  # drafts do not count
    assert (
        client.post("/api/activities/ACT-WEB-1/approve", headers=tokens["ines"]).status_code == 403
    )
    submitted = client.post("/api/activities/ACT-WEB-1/submit", headers=tokens["dora"])
    assert submitted.json()["review_status"] == "submitted"
    denied = client.post("/api/activities/ACT-WEB-1/approve", headers=tokens["vera"])
    assert denied.status_code == 403
    rejected = client.post("/api/activities/ACT-WEB-1/reject", headers=tokens["ines"], json={})
    assert rejected.status_code == 403
    assert rejected.json()["message"] == "a rejection needs its reason"
    approved = client.post("/api/activities/ACT-WEB-1/approve", headers=tokens["ines"])
    assert approved.json()["review_status"] == "approved"
    assert cleared() == 130000.5
    with store.read() as connection:
        actions = connection.execute(
            select(schema.audit_log.c.action, schema.audit_log.c.actor)
            .where(schema.audit_log.c.record_key == "ACT-WEB-1")
            .order_by(schema.audit_log.c.id)
        ).all()
    assert [a for a, _ in actions] == ["create", "submit", "approve"]
    assert actions[-1][1] == "ines (information_manager)"


def test_data_entry_is_bound_to_its_organisation(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    response = client.post("/api/activities", json=NEW_ACTIVITY, headers=tokens["sami"])
    assert response.status_code == 403
    assert response.json()["message"] == "you may only change records of your own organisation"
    assert (
        client.post("/api/activities", json=NEW_ACTIVITY, headers=tokens["vera"]).status_code == 403
    )


def test_concurrent_edits_get_412_and_no_update_is_lost(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, store = api
    read = client.get("/api/hazards/HA-002", headers=tokens["ines"])
    etag = read.headers["etag"]
    body = {k: v for k, v in read.json().items()
            if k not in ("review_status", "review_note", "version", "deleted")}  # fmt: skip
    first = client.put("/api/hazards/HA-002", headers={**tokens["ines"], "If-Match": etag},
                       json={**body, "remaining_area_m2": 900000})  # fmt: skip
    assert first.status_code == 200 and first.headers["etag"] == 'W/"2"'
    second = client.put("/api/hazards/HA-002", headers={**tokens["ines"], "If-Match": etag},
                        json={**body, "remaining_area_m2": 800000})  # fmt: skip
    assert second.status_code == 412
    assert "changed since you read it" in second.json()["message"]
    missing = client.put("/api/hazards/HA-002", headers=tokens["ines"], json=body)
    assert missing.status_code == 428
    assert (
        client.get("/api/hazards/HA-002", headers=tokens["ines"]).json()["remaining_area_m2"]
        == 900000
    )
    with store.read() as connection:
        history = (
            connection.execute(
                select(schema.record_history.c.data).where(
                    schema.record_history.c.record_key == "HA-002"
                )
            )
            .scalars()
            .all()
        )
    assert [h["remaining_area_m2"] for h in history] == [950000]


def test_validation_errors_name_the_field(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    bad = {"external_id": "F-X", "district": "Atlantis", "category": "AT_MINE",
           "quantity": "lots", "found_on": "2024-07-01"}  # fmt: skip
    response = client.post("/api/finds", json=bad, headers=tokens["ines"])
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "district", "reason": "unknown district 'Atlantis' in AZ"},
        {"field": "quantity", "reason": "'lots' is not a whole number"},
    ]


def test_soft_delete_hides_a_record_from_figures(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, store = api
    etag = client.get("/api/finds/FND-001", headers=tokens["ines"]).headers["etag"]
    deleted = client.delete("/api/finds/FND-001", headers={**tokens["ines"], "If-Match": etag})
    assert deleted.status_code == 204
    assert client.get("/api/finds/FND-001", headers=tokens["ines"]).json()["deleted"] is True
    listed = client.get("/api/finds", headers=tokens["ines"]).json()
    assert "FND-001" not in [item["external_id"] for item in listed["items"]]
    with store.read() as connection:
        summary = summarise_period(
            RegisterReader(connection, "AZ"), date(2024, 7, 1), date(2024, 7, 7)
        )
    assert summary.total.at_mines == 0  # FND-001's 3 AT mines no longer count


def test_list_filters(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    get = lambda **p: client.get("/api/finds", params=p, headers=tokens["vera"]).json()  # noqa: E731
    assert get(district="Terter")["total"] == 2
    assert get(category="uxo")["total"] == 2
    # FND-003, FND-004, and FND-006 dated only "2024", which overlaps the window.
    assert get(**{"from": "2024-07-04", "to": "2024-07-31"})["total"] == 3
    assert get(bbox="46.8,40.25,47.1,40.45")["total"] == 2
    assert get(limit=2)["items"][1]["external_id"] == "FND-002"
    bad = client.get("/api/finds", params={"bbox": "1,2"}, headers=tokens["vera"])
    assert bad.status_code == 400 and "bbox" in bad.json()["message"]


DRAFT_FIND = {"external_id": "F-DRAFT", "district": "Tartar", "category": "UXO",
              "quantity": 1, "found_on": "2024-07-02"}  # fmt: skip


def _deleted_find(client: TestClient, tokens: dict[str, dict[str, str]], key: str) -> None:
    etag = client.get(f"/api/finds/{key}", headers=tokens["ines"]).headers["etag"]
    headers = {**tokens["ines"], "If-Match": etag}
    assert client.delete(f"/api/finds/{key}", headers=headers).status_code == 204


def test_viewers_read_live_records_only(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    assert client.post("/api/finds", json=DRAFT_FIND, headers=tokens["dora"]).status_code == 201
    _deleted_find(client, tokens, "FND-001")
    for url in ("/api/finds?status=draft", "/api/finds?include_deleted=true",
                "/api/victims?status=draft", "/api/finds?status=submitted"):  # fmt: skip
        refused = client.get(url, headers=tokens["vera"])
        assert refused.status_code == 403, url
        assert "read drafts and deleted records" in refused.json()["message"]
    listed = client.get("/api/finds", headers=tokens["vera"]).json()
    keys = [item["external_id"] for item in listed["items"]]
    assert "F-DRAFT" not in keys and "FND-001" not in keys and listed["total"] == 5
    approved = client.get("/api/finds?status=approved", headers=tokens["vera"]).json()
    assert approved["total"] == 5
    assert client.get("/api/finds/F-DRAFT", headers=tokens["vera"]).status_code == 404
    assert client.get("/api/finds/FND-001", headers=tokens["vera"]).status_code == 404
    # Those who edit keep seeing drafts and, when they ask, deleted records.
    drafts = client.get("/api/finds?status=draft", headers=tokens["dora"]).json()
    assert [item["external_id"] for item in drafts["items"]] == ["F-DRAFT"]
    assert client.get("/api/finds/F-DRAFT", headers=tokens["dora"]).status_code == 200
    everything = client.get("/api/finds?include_deleted=true", headers=tokens["ines"]).json()
    assert everything["total"] == 7


def test_listing_a_page_reads_the_keys_it_needs_once(api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    from demine.store import refs

    client, tokens, store = api
    loaded_key_maps: list[str] = []
    original = refs._load
    monkeypatch.setattr(
        refs, "_load", lambda c, t, k: loaded_key_maps.append(t.name) or original(c, t, k)
    )
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    # The token's first use is recorded (a write); from then on, reads only.
    client.get("/api/me", headers=tokens["vera"])
    event.listen(store.engine, "before_cursor_execute", count)
    try:
        few = client.get("/api/finds?limit=1", headers=tokens["vera"])
        few_statements = len(statements)
        statements.clear()
        many = client.get("/api/finds?limit=100", headers=tokens["vera"])
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(few.json()["items"]) == 1 and len(many.json()["items"]) == 6
    assert loaded_key_maps == []  # no key map of the whole register
    assert 0 < len(statements) == few_statements  # as many queries for 6 records as for 1


def test_a_record_history_lists_every_version_with_who_changed_it(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    assert (
        client.post("/api/activities", json=NEW_ACTIVITY, headers=tokens["dora"]).status_code == 201
    )
    client.post("/api/activities/ACT-WEB-1/submit", headers=tokens["dora"])
    client.post("/api/activities/ACT-WEB-1/approve", headers=tokens["ines"])
    history = client.get("/api/activities/ACT-WEB-1/history", headers=tokens["ines"])
    assert history.status_code == 200
    versions = history.json()["versions"]
    assert [(v["version"], v["action"], v["changed_by"]) for v in versions] == [
        (1, "create", "dora (data_entry)"),
        (2, "submit", "dora (data_entry)"),
        (3, "approve", "ines (information_manager)"),
    ]
    assert [v["values"]["review_status"] for v in versions] == ["draft", "submitted", "approved"]
    assert versions[0]["valid_to"] == versions[1]["valid_from"]
    assert versions[-1]["valid_to"] is None
    # A viewer sees the record's live versions only.
    seen = client.get("/api/activities/ACT-WEB-1/history", headers=tokens["vera"]).json()
    assert [v["version"] for v in seen["versions"]] == [3]

    _deleted_find(client, tokens, "FND-001")
    versions = client.get("/api/finds/FND-001/history", headers=tokens["ines"]).json()["versions"]
    assert [(v["action"], v["values"]["deleted_at"] is None) for v in versions] == [
        ("import", True),
        ("delete", False),
    ]
    assert versions[1]["changed_by"] == "ines (information_manager)"
    assert client.get("/api/finds/FND-001/history", headers=tokens["vera"]).status_code == 404
    assert client.get("/api/finds/FND-001/history", headers=tokens["public"]).status_code == 403


def test_a_correction_keeps_the_previous_version_with_its_author(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = api
    read = client.get("/api/hazards/HA-002", headers=tokens["ines"])
    body = {k: v for k, v in read.json().items()
            if k not in ("review_status", "review_note", "version", "deleted")}  # fmt: skip
    headers = {**tokens["ines"], "If-Match": read.headers["etag"]}
    client.put("/api/hazards/HA-002", headers=headers, json={**body, "remaining_area_m2": 900000})
    versions = client.get("/api/hazards/HA-002/history", headers=tokens["vera"]).json()["versions"]
    assert [(v["values"]["remaining_area_m2"], v["action"], v["changed_by"]) for v in versions] == [
        (950000, "import", None),
        (900000, "update", "ines (information_manager)"),
    ]
