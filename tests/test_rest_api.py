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
