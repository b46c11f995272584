"""Importing files over the web (a job to follow, its report or every problem) and user
administration (administrators only, audited, no password hash ever shown)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select
from tests.web_fixtures import PASSWORD, Web, web_on

from demine.store import schema
from demine.store.engine import Store

NEW_FINDS = """external_id,district,category,quantity,found_on,lon,lat
FND-UP-1,Tartar,AP_MINE,2,2024-07-02,46.91,40.31
FND-UP-2,Aghdam,UXO,4,2024-07-03,,
"""
BAD_FINDS = """external_id,district,category,quantity,found_on
FND-BAD-1,Tartar,BANANA,2,2024-07-02
FND-BAD-2,Nowhere,UXO,1,2024-07-03
"""


@pytest.fixture
def web(store: Store) -> Web:
    return web_on(store)


def _upload(web: Web, who: str, name: str, content: str, **form: str) -> Any:
    return web.client.post(
        "/api/imports",
        headers=web.as_(who),
        files={"file": (name, content.encode(), "text/csv")},
        data={"kind": "finds", **form},
    )


def _finished(web: Web, who: str, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = web.client.get(url, headers=web.as_(who)).json()
        if job["state"] in ("done", "failed"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"the import at {url} did not finish")


def test_an_upload_is_imported_in_the_background_with_its_report(web: Web) -> None:
    started = _upload(web, "ines", "../new finds.csv", NEW_FINDS)
    assert started.status_code == 202, started.text
    assert started.headers["location"] == started.json()["status_url"]
    job = _finished(web, "ines", started.json()["status_url"])
    assert job["state"] == "done", job
    assert job["report"]["rows"] == 2 and job["report"]["inserted"] == 2
    assert job["report"]["file_name"] == "new_finds.csv"  # no folder, nothing unsafe
    assert job["done"] == job["total"] == 2
    with web.store.read() as connection:
        status = connection.execute(
            select(schema.device_finds.c.review_status).where(
                schema.device_finds.c.external_id == "FND-UP-1"
            )
        ).scalar_one()
    assert status == "approved"  # an information manager's import needs no review


def test_a_dry_run_writes_nothing(web: Web) -> None:
    started = _upload(web, "ines", "finds.csv", NEW_FINDS, dry_run="true")
    job = _finished(web, "ines", started.json()["status_url"])
    assert job["report"]["dry_run"] is True
    assert web.client.get("/api/finds/FND-UP-1", headers=web.as_("ines")).status_code == 404


def test_a_rejected_file_lists_every_problem_and_writes_nothing(web: Web) -> None:
    started = _upload(web, "ines", "bad.csv", BAD_FINDS)
    job = _finished(web, "ines", started.json()["status_url"])
    assert job["state"] == "failed" and "nothing was written" in job["message"]
    where = {(p["row"], p["field"]) for p in job["problems"]}
    assert {(2, "category"), (3, "district")} <= where
    assert web.client.get("/api/finds/FND-BAD-1", headers=web.as_("ines")).status_code == 404


def test_an_unreadable_file_fails_the_job_not_the_server(web: Web) -> None:
    # A GeoPackage by its header (so the upload is accepted), unreadable past it.
    broken = "SQLite format 3\x00" + "\x00" * 52 + "GPKG" + "not a geopackage" * 64
    started = _upload(web, "ines", "finds.gpkg", broken)
    job = _finished(web, "ines", started.json()["status_url"])
    assert job["state"] == "failed" and job["message"]


def test_only_information_managers_import_and_see_their_jobs(web: Web) -> None:
    assert _upload(web, "dora", "finds.csv", NEW_FINDS).status_code == 403
    assert _upload(web, "public", "finds.csv", NEW_FINDS).status_code == 403
    started = _upload(web, "ines", "finds.csv", NEW_FINDS)
    url = started.json()["status_url"]
    _finished(web, "ines", url)
    assert web.client.get(url, headers=web.as_("vera")).status_code == 404
    assert web.client.get(url, headers=web.as_("adam")).status_code == 200
    assert web.client.get("/api/imports/nope", headers=web.as_("ines")).status_code == 404


def test_administrators_add_list_disable_and_enable_accounts(web: Web) -> None:
    account = {"username": "nora", "password": PASSWORD, "role": "data_entry",
               "organisation": "SAFE", "display_name": "Nora"}  # fmt: skip
    created = web.client.post("/api/users", json=account, headers=web.as_("adam"))
    assert created.status_code == 201, created.text
    assert created.json() == {
        **{k: v for k, v in account.items() if k != "password"},
        "victim_data": False,
        "disabled": False,
    }
    listed = web.client.get("/api/users", headers=web.as_("adam")).json()
    assert "nora" in {u["username"] for u in listed}
    assert not any("password" in key for user in listed for key in user)
    login = web.client.post("/login", data={"username": "nora", "password": PASSWORD})
    assert login.status_code == 200
    disabled = web.client.post("/api/users/nora/disable", headers=web.as_("adam"))
    assert disabled.json()["disabled"] is True
    assert web.client.get("/api/me").json()["name"] == "public"  # the session ended
    assert web.client.post("/api/users/nora/enable", headers=web.as_("adam")).status_code == 200
    with web.store.read() as connection:
        actions = connection.execute(
            select(schema.audit_log.c.action, schema.audit_log.c.actor, schema.audit_log.c.after)
            .where(schema.audit_log.c.table_name == "users")
            .order_by(schema.audit_log.c.id)
        ).all()
    assert [a for a, _, _ in actions] == ["create", "disable", "enable"]
    assert actions[0][1] == "adam (administrator)"
    assert "password" not in str(actions)


def test_account_changes_are_checked(web: Web) -> None:
    def add(**changes: Any) -> Any:
        account = {"username": "nora", "password": PASSWORD, "role": "viewer", **changes}
        return web.client.post("/api/users", json=account, headers=web.as_("adam"))

    assert add(role="boss").json()["message"].startswith("unknown role 'boss'")
    assert add(role="public").status_code == 400
    assert add(password="short").status_code == 422
    assert add(username="no spaces").status_code == 422
    assert add(organisation="NOPE").status_code == 404
    assert add(username="vera").json()["message"] == "user 'vera' already exists"
    own = web.client.post("/api/users/adam/disable", headers=web.as_("adam"))
    assert own.json()["message"] == "you cannot disable your own account"
    assert web.client.post("/api/users/ghost/disable", headers=web.as_("adam")).status_code == 404


@pytest.mark.parametrize("who", ["public", "vera", "dora", "ines"])
def test_only_administrators_manage_accounts(web: Web, who: str) -> None:
    assert web.client.get("/api/users", headers=web.as_(who)).status_code == 403
    refused = web.client.post("/api/users/vera/disable", headers=web.as_(who))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert "may not manage user accounts" in refused.json()["message"]


def test_validation_errors_answer_in_demines_shape(web: Web) -> None:
    account = {"username": "nora", "password": "short", "role": "viewer"}
    answer = web.client.post("/api/users", json=account, headers=web.as_("adam")).json()
    assert answer["code"] == "invalid_request"
    assert answer["message"].startswith("the request is not valid: password: ")
    assert answer["problems"] == [
        {"field": "password", "in": "body", "reason": answer["problems"][0]["reason"]}
    ]
    assert "10 characters" in answer["problems"][0]["reason"]


def test_unknown_paths_and_methods_answer_in_demines_shape(web: Web) -> None:
    missing = web.client.get("/api/no/such/path/here")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message"}
    wrong = web.client.delete("/api/users", headers=web.as_("adam"))
    assert wrong.status_code == 405
    assert wrong.json()["code"] == "method_not_allowed" and "allow" in wrong.headers


def test_the_openapi_document_describes_demines_errors(web: Web) -> None:
    document = web.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    error = {"$ref": "#/components/schemas/ErrorBody"}
    assert schemas["ErrorBody"]["required"] == ["code", "message"]
    assert schemas["HTTPValidationError"] == error
    assert "ValidationError" not in schemas
    refused = document["paths"]["/api/users"]["post"]["responses"]["403"]
    assert refused["content"] == {"application/json": {"schema": error}}


def test_users_page_lists_accounts_with_their_state(web: Web) -> None:
    web.client.post("/api/users/vera/disable", headers=web.as_("adam"))
    page = web.client.get("/users", headers=web.as_("adam")).text
    assert '<tr data-username="vera">' in page
    assert 'data-action="enable"' in page  # vera is disabled
    assert '<tr data-username="adam">' in page
