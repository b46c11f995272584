"""The web application under attack: cross-site requests, framing and sniffing, sessions
that end for good, login throttling that cannot lock anyone out, and uploads that cannot
fill memory or disk."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from argon2 import Parameters, PasswordHasher, extract_parameters
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from tests.helpers import TODAY
from tests.migrated_copies import MigratedSchemas
from tests.web_fixtures import PASSWORD, Web, web_on
from tests.web_server import serving_process
from typer.testing import CliRunner

from demine.cli.main import app as cli
from demine.errors import NotFoundError, ThrottledError
from demine.ingest.importer import import_file
from demine.settings import Settings
from demine.store import logins, migrate, schema, users
from demine.store.attachments import attach_files
from demine.store.engine import Store, open_store
from demine.store.users import add_user, create_token, set_password
from demine.web import route_guard
from demine.web.app import create_app

SITE = "http://testserver"
EVIL = "http://evil.example"
MIB = 1024 * 1024
TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "demine" / "web" / "templates"
NEW_FINDS = """external_id,district,category,quantity,found_on,lon,lat
FND-UP-1,Tartar,AP_MINE,2,2024-07-02,46.91,40.31
FND-UP-2,Aghdam,UXO,4,2024-07-03,,
"""
DRAFT_FIND = {"external_id": "FND-X-1", "district": "Tartar", "category": "UXO",
              "quantity": 2, "found_on": "2024-07-03", "activity": "ACT-001"}  # fmt: skip
CROSS_SITE = {
    "code": "forbidden",
    "message": "cross-site request refused: it comes from http://evil.example, not from this site",
}


@pytest.fixture
def web(store: Store) -> Web:
    return web_on(store)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """One sample register (SQLite) for the checks that change nothing in it."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.db'}", create=True)
    migrate.upgrade(store)
    yield web_on(store)
    store.dispose()


def _logged_in(web: Web, username: str) -> TestClient:
    """A browser of its own, logged in as ``username`` (its session cookie set)."""
    browser = TestClient(web.client.app, follow_redirects=False)
    answer = browser.post(
        "/login", data={"username": username, "password": PASSWORD}, headers={"Origin": SITE}
    )
    assert answer.status_code == 200, answer.text
    return browser


def _finished(web: Web, who: str, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = web.client.get(url, headers=web.as_(who)).json()
        if job["state"] in ("done", "failed"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"the import at {url} did not finish")


# ---- Cross-site requests ----------------------------------------------------------------


def test_a_cross_site_form_cannot_disable_a_user_with_the_admins_cookie(web: Web) -> None:
    admin = _logged_in(web, "adam")
    refused = admin.post("/api/users/vera/disable", headers={"Origin": EVIL})
    assert refused.status_code == 403 and refused.json() == CROSS_SITE
    users = {u["username"]: u for u in web.client.get("/api/users", headers=web.as_("adam")).json()}
    assert users["vera"]["disabled"] is False
    done = admin.post("/api/users/vera/disable", headers={"Origin": SITE})
    assert done.status_code == 200 and done.json()["disabled"] is True


def test_a_cross_site_form_cannot_approve_a_report(web: Web) -> None:
    assert (
        web.client.post("/api/finds", json=DRAFT_FIND, headers=web.as_("dora")).status_code == 201
    )
    web.client.post("/api/finds/FND-X-1/submit", headers=web.as_("dora"))
    manager = _logged_in(web, "ines")
    refused = manager.post("/api/finds/FND-X-1/approve", headers={"Origin": EVIL})
    assert refused.status_code == 403 and refused.json() == CROSS_SITE
    read = web.client.get("/api/finds/FND-X-1", headers=web.as_("ines")).json()
    assert read["review_status"] == "submitted"
    # The page's own script (same origin, or only a Referer from this site) may.
    approved = manager.post("/api/finds/FND-X-1/approve", headers={"Referer": f"{SITE}/review"})
    assert approved.status_code == 200 and approved.json()["review_status"] == "approved"


def test_a_cross_site_multipart_import_is_refused_before_its_body_is_read(web: Web) -> None:
    manager = _logged_in(web, "ines")
    upload = {"file": ("orgs.csv", NEW_FINDS.encode(), "text/csv")}
    refused = manager.post("/api/imports", files=upload, data={"kind": "finds"},
                           headers={"Origin": EVIL})  # fmt: skip
    assert refused.status_code == 403 and refused.json() == CROSS_SITE
    assert web.client.get("/api/finds/FND-UP-1", headers=web.as_("ines")).status_code == 404
    started = manager.post("/api/imports", files=upload, data={"kind": "finds"},
                           headers={"Origin": SITE})  # fmt: skip
    assert started.status_code == 202
    assert _finished(web, "ines", started.json()["status_url"])["state"] == "done"


def test_a_change_with_a_cookie_must_name_its_origin(web: Web) -> None:
    admin = _logged_in(web, "adam")
    anonymous = admin.post("/api/users/vera/disable")
    assert anonymous.status_code == 403
    assert anonymous.json() == {
        "code": "forbidden",
        "message": "a change sent with a session cookie must name its origin (Origin or "
        "Referer header); refused as a possible cross-site request",
    }
    for origin in ("null", "https://testserver", "http://testserver.evil.example"):
        assert admin.post("/api/users/vera/disable", headers={"Origin": origin}).status_code == 403
    assert (
        admin.post("/api/users/vera/disable", headers={"Referer": f"{EVIL}/x"}).status_code == 403
    )
    # Reading needs no origin.
    assert admin.get("/api/users").status_code == 200


def test_api_tokens_are_unaffected(web: Web) -> None:
    no_origin = web.client.post("/api/users/vera/disable", headers=web.as_("adam"))
    assert no_origin.status_code == 200
    with_origin = web.client.post(
        "/api/users/vera/enable", headers={**web.as_("adam"), "Origin": EVIL}
    )
    assert with_origin.status_code == 200


def test_a_cross_site_login_is_refused(web: Web) -> None:
    browser = TestClient(web.client.app, follow_redirects=False)
    form = {"username": "vera", "password": PASSWORD}
    refused = browser.post("/login", data=form, headers={"Origin": EVIL})
    assert refused.status_code == 403 and refused.json() == CROSS_SITE
    assert "set-cookie" not in refused.headers
    assert browser.post("/login", data=form, headers={"Origin": SITE}).status_code == 200
    # A script logging in names no origin, and is no forgery.
    assert TestClient(web.client.app).post("/login", data=form).status_code == 200


def test_with_https_the_origin_and_cookie_are_https(store: Store) -> None:
    with store.write() as connection:
        add_user(connection, "vera", PASSWORD, "viewer")
    app = create_app(Settings(database_url="unused", https=True), store)
    browser = TestClient(app, base_url="https://demine.example")
    form = {"username": "vera", "password": PASSWORD}
    logged_in = browser.post("/login", data=form, headers={"Origin": "https://demine.example"})
    assert logged_in.status_code == 200
    cookie = logged_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    assert logged_in.headers["strict-transport-security"] == "max-age=31536000"
    evil = browser.post("/logout", headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403


# ---- Security headers -------------------------------------------------------------------

EXPECTED_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _policy(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in header.split(";")
    }


@pytest.mark.parametrize(
    ("path", "who", "status"),
    [
        ("/", "public", 200),  # a page
        ("/api/finds", "vera", 200),  # an API answer
        ("/static/demine.css", "public", 200),  # a static file
        ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "public", 200),
        ("/no/such/page", "public", 404),  # an error
        ("/api/users", "vera", 403),
        ("/ogc/collections?f=html", "public", 200),
    ],
)
def test_every_response_carries_the_security_headers(
    site: Web, path: str, who: str, status: int
) -> None:
    response = site.client.get(path, headers=site.as_(who))
    assert response.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name
    policy = _policy(response.headers["content-security-policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_an_unexpected_error_carries_them_too(site: Web) -> None:
    app = create_app(Settings(database_url="unused"), site.store)
    # The route is not in the permission table; the guard is not what is tested here.
    app.dependency_overrides[route_guard.enforce] = lambda: None

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    answer = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500
    assert answer.json() == {"code": "error", "message": "internal server error"}
    assert answer.headers["x-frame-options"] == "DENY"


def test_docs_load_swagger_ui_from_this_site_only(site: Web) -> None:
    docs = site.client.get("/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources == [
        "/static/vendor/swagger-ui/swagger-ui.css",
        "data:,",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
    ]
    # Its one inline script is allowed by its hash, nothing else.
    scripts = _policy(docs.headers["content-security-policy"])["script-src"].split()
    assert scripts[0] == "'self'" and len(scripts) == 2 and scripts[1].startswith("'sha256-")
    assert site.client.get("/redoc").status_code == 404
    css = site.client.get("/static/vendor/swagger-ui/swagger-ui.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_the_bulletin_document_may_be_framed_by_the_bulletin_page_only(site: Web) -> None:
    document = site.client.get("/bulletin.html?week=2024-W27", headers=site.as_("vera"))
    assert document.status_code == 200
    assert document.headers["x-frame-options"] == "SAMEORIGIN"
    assert _policy(document.headers["content-security-policy"])["frame-ancestors"] == "'self'"


def test_templates_hold_no_inline_script() -> None:
    """Scripts come from /static (data travels in JSON blocks), so the policy needs no
    'unsafe-inline' for scripts."""
    for template in sorted(TEMPLATES.glob("*.j2")):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


# ---- Sessions and tokens ----------------------------------------------------------------


def test_logout_ends_the_session_on_the_server(web: Web) -> None:
    browser = _logged_in(web, "dora")
    copied = browser.cookies["demine_session"]
    assert browser.get("/api/me").json()["name"] == "dora"
    assert browser.post("/logout", headers={"Origin": SITE}).status_code == 303
    # The copied cookie, sent again, opens nothing.
    thief = TestClient(web.client.app, follow_redirects=False, cookies={"demine_session": copied})
    assert thief.get("/api/me").json()["name"] == "public"
    assert thief.get("/entry").status_code == 303
    with web.store.read() as connection:
        assert connection.execute(select(schema.sessions)).all() == []


def test_the_cookie_holds_a_random_id_and_the_database_only_its_hash(web: Web) -> None:
    browser = _logged_in(web, "dora")
    cookie = browser.cookies["demine_session"]
    assert "dora" not in cookie and len(cookie) >= 43
    with web.store.read() as connection:
        stored = connection.execute(select(schema.sessions.c.id_sha256)).scalars().all()
    assert len(stored) == 1 and stored[0] != cookie and len(stored[0]) == 64


def test_disabling_ends_sessions_and_tokens_and_enabling_revives_neither(web: Web) -> None:
    vera = _logged_in(web, "vera")
    token = web.as_("vera")
    assert web.client.get("/api/me", headers=token).json()["name"] == "vera"
    web.client.post("/api/users/vera/disable", headers=web.as_("adam"))
    assert vera.get("/api/me").json()["name"] == "public"
    assert web.client.get("/api/me", headers=token).status_code == 401
    web.client.post("/api/users/vera/enable", headers=web.as_("adam"))
    assert vera.get("/api/me").json()["name"] == "public"
    assert web.client.get("/api/me", headers=token).status_code == 401
    # She logs in anew.
    assert _logged_in(web, "vera").get("/api/me").json()["name"] == "vera"


def test_a_new_password_ends_every_session(web: Web) -> None:
    first, second = _logged_in(web, "vera"), _logged_in(web, "vera")
    with web.store.write() as connection:
        set_password(connection, "vera", "another long password")
    assert first.get("/api/me").json()["name"] == "public"
    assert second.get("/api/me").json()["name"] == "public"
    assert web.client.get("/api/me", headers=web.as_("vera")).json()["name"] == "vera"


def test_tokens_are_listed_and_revoked_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tokens.db'}"
    store = open_store(url, create=True)
    migrate.upgrade(store)
    with store.write() as connection:
        add_user(connection, "vera", PASSWORD, "viewer")
        token = create_token(connection, "vera", "qgis")
    app = create_app(Settings(database_url=url), store)
    client = TestClient(app)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", url, "user", "tokens", "vera"])
    assert listed.exit_code == 0, listed.output
    header, row = listed.output.splitlines()
    assert header.split("\t") == ["id", "name", "created", "last_used", "revoked"]
    token_id, name, _created, last_used, revoked = row.split("\t")
    assert (token_id, name, revoked) == ("1", "qgis", "no") and last_used != "-"
    assert token not in listed.output
    revoked_now = runner.invoke(cli, ["--db", url, "user", "revoke-token", "1"])
    assert revoked_now.exit_code == 0
    assert revoked_now.output.strip() == "API token 1 (qgis) of vera revoked."
    answer = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and answer.json()["message"] == "invalid or revoked API token"
    assert runner.invoke(cli, ["--db", url, "user", "tokens", "vera"]).output.endswith("\tyes\n")
    missing = runner.invoke(cli, ["--db", url, "user", "revoke-token", "99"])
    assert isinstance(missing.exception, NotFoundError)
    assert missing.exception.message == "no API token 99"
    store.dispose()


def test_the_command_line_disables_enables_and_changes_passwords(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    store = open_store(url, create=True)
    migrate.upgrade(store)
    with store.write() as connection:
        add_user(connection, "vera", PASSWORD, "viewer")
    client = TestClient(create_app(Settings(database_url=url), store))
    form = {"username": "vera", "password": PASSWORD}

    def demine(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", url, "user", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output.strip()

    assert client.post("/login", data=form).status_code == 200
    assert demine("disable", "vera") == "User vera disabled."
    assert client.get("/api/me").json()["name"] == "public"
    assert demine("enable", "vera") == "User vera enabled."
    assert client.get("/api/me").json()["name"] == "public"  # the old session stays dead
    assert client.post("/login", data=form).status_code == 200
    changed = demine("password", "vera", "--password", "a brand new password")
    assert changed == "Password of vera changed; its web sessions have ended."
    assert client.get("/api/me").json()["name"] == "public"
    assert client.post("/login", data=form).status_code == 401
    new = {"username": "vera", "password": "a brand new password"}
    assert client.post("/login", data=new).status_code == 200
    store.dispose()


def test_an_administrator_lists_and_revokes_tokens_over_the_api(web: Web) -> None:
    listed = web.client.get("/api/users/vera/tokens", headers=web.as_("adam"))
    assert listed.status_code == 200
    (token,) = listed.json()
    assert (token["username"], token["name"], token["revoked"]) == ("vera", "test", False)
    assert "token_sha256" not in token
    assert web.client.get("/api/users/vera/tokens", headers=web.as_("ines")).status_code == 403
    wrong_owner = f"/api/users/dora/tokens/{token['id']}/revoke"
    assert web.client.post(wrong_owner, headers=web.as_("adam")).status_code == 404
    revoke = f"/api/users/vera/tokens/{token['id']}/revoke"
    assert web.client.post(revoke, headers=web.as_("adam")).json()["revoked"] is True
    assert web.client.get("/api/me", headers=web.as_("vera")).status_code == 401
    with web.store.read() as connection:
        actions = connection.execute(
            select(schema.audit_log.c.action).where(schema.audit_log.c.table_name == "api_tokens")
        ).scalars()
        assert list(actions) == ["revoke"]


def test_attachments_download_with_their_checked_type(site: Web, tmp_path: Path) -> None:
    records = Path(__file__).parent / "fixtures" / "records" / "minefield_records.geojson"
    import_file(site.store, "minefield-records", records, country="AZ", today=TODAY)
    page = tmp_path / "scan.pdf"  # a page of script under a PDF's name
    page.write_bytes(b"<html><script>alert(1)</script></html>")
    sheet = tmp_path / "sheet 1.png"
    sheet.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    attach_files(site.store, "MFR-001", [page, sheet])
    listed = site.client.get("/api/minefield-records/MFR-001/attachments", headers=site.as_("vera"))
    assert [(a["file_name"], a["media_type"]) for a in listed.json()] == [
        ("scan.pdf", "application/octet-stream"),
        ("sheet 1.png", "image/png"),
    ]
    digests = [a["sha256"] for a in listed.json()]
    script = site.client.get(
        f"/api/minefield-records/MFR-001/attachments/{digests[0]}", headers=site.as_("vera")
    )
    assert script.headers["content-type"] == "application/octet-stream"
    assert script.headers["content-disposition"] == (
        "attachment; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf"
    )
    assert script.headers["x-content-type-options"] == "nosniff"
    image = site.client.get(
        f"/api/minefield-records/MFR-001/attachments/{digests[1]}", headers=site.as_("vera")
    )
    assert image.headers["content-type"] == "image/png" and image.content == sheet.read_bytes()
    assert image.headers["content-disposition"].startswith('attachment; filename="sheet 1.png"')
    # Minefield records are not public, nor are their scans.
    refused = site.client.get(f"/api/minefield-records/MFR-001/attachments/{digests[1]}")
    assert refused.status_code == 403
    missing = site.client.get(
        "/api/minefield-records/MFR-404/attachments", headers=site.as_("vera")
    )
    assert missing.status_code == 404


# ---- Login throttling -------------------------------------------------------------------

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _fail(store: Store, username: str, address: str, at: datetime) -> None:
    with store.write() as connection:
        assert logins.authenticate(connection, username, "wrong", address, at) is None


def _wait(store: Store, username: str, address: str, at: datetime) -> float:
    with store.read() as connection:
        return logins.login_wait(connection, username, address, at)


@pytest.fixture
def accounts(store: Store) -> Store:
    with store.write() as connection:
        add_user(connection, "admin", PASSWORD, "administrator")
        add_user(connection, "vera", PASSWORD, "viewer")
    return store


def _failures(store: Store, username: str, addresses: list[str], at: datetime) -> None:
    """Failed attempts recorded as the login records them (without hashing each)."""
    with store.write() as connection:
        for address in addresses:
            connection.execute(
                insert(schema.login_attempts).values(
                    username=username, address=address, at=at, succeeded=False
                )
            )


def test_each_failure_past_the_third_doubles_the_wait(accounts: Store) -> None:
    waits: list[float] = []
    moment = NOW
    for number in range(7):
        if number:
            moment += timedelta(seconds=waits[-1])  # the attacker waits as long as told
        _fail(accounts, "vera", "10.0.0.66", moment)
        waits.append(_wait(accounts, "vera", "10.0.0.66", moment))
    assert waits == [0, 0, 1, 2, 4, 8, 16]
    with accounts.write() as connection, pytest.raises(ThrottledError) as refused:
        logins.authenticate(connection, "vera", PASSWORD, "10.0.0.66", moment)
    assert refused.value.retry_after == 16
    assert refused.value.message == "too many failed logins; try again in 16 seconds"
    # After the wait, the right password works, and a success starts the count afresh.
    later = moment + timedelta(seconds=16)
    with accounts.write() as connection:
        assert logins.authenticate(connection, "vera", PASSWORD, "10.0.0.66", later) is not None
    assert _wait(accounts, "vera", "10.0.0.66", later) == 0


def test_an_attacker_cannot_lock_admin_out(accounts: Store) -> None:
    """Two hundred failures from twenty other addresses in the last ten minutes: from
    an address without failures, admin's password works at once."""
    for minute in range(10):
        addresses = [f"10.0.{n}.1" for n in range(20)]
        _failures(accounts, "admin", addresses, NOW - timedelta(minutes=10 - minute))
    assert _wait(accounts, "admin", "10.0.0.1", NOW) > 60  # the attackers wait long
    assert _wait(accounts, "admin", "192.168.1.20", NOW) == 0
    with accounts.write() as connection:
        admin = logins.authenticate(connection, "admin", PASSWORD, "192.168.1.20", NOW)
    assert admin is not None and admin.username == "admin"
    # Nor is anyone else delayed from their own addresses.
    assert _wait(accounts, "vera", "192.168.1.21", NOW) == 0


def test_guesses_sent_at_once_are_throttled_one_after_the_other(accounts: Store) -> None:
    """Eight guesses at the same moment: three are checked, five must wait (the check
    and the record of each attempt are one transaction at a time per account)."""
    outcomes: list[str] = []

    def guess(number: int) -> None:
        try:
            with accounts.write() as connection:
                logins.authenticate(connection, "vera", f"guess{number}", "10.4.0.1", NOW)
            outcomes.append("failed")
        except ThrottledError:
            outcomes.append("throttled")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["failed"] * 3 + ["throttled"] * 5


def test_guessing_from_many_addresses_is_slowed_for_each_address_that_failed(
    accounts: Store,
) -> None:
    _failures(accounts, "admin", [f"10.1.0.{n}" for n in range(10)], NOW)
    assert _wait(accounts, "admin", "10.1.0.0", NOW) == 1  # one failure, yet it waits
    assert _wait(accounts, "admin", "10.1.0.99", NOW) == 0  # a fresh address does not


def test_spraying_one_password_over_many_names_is_slowed_per_address(accounts: Store) -> None:
    for number in range(10):
        _failures(accounts, f"user{number}", ["10.2.0.1"], NOW)
    assert _wait(accounts, "vera", "10.2.0.1", NOW) == 1
    assert _wait(accounts, "vera", "10.2.0.2", NOW) == 0


def test_old_failures_are_forgotten(accounts: Store) -> None:
    _failures(accounts, "vera", ["10.0.0.66"] * 8, NOW)
    assert _wait(accounts, "vera", "10.0.0.66", NOW) == 32
    assert _wait(accounts, "vera", "10.0.0.66", NOW + logins.WINDOW) == 0


def test_over_the_web_a_throttled_login_answers_429_and_another_address_logs_in(
    accounts: Store,
) -> None:
    app = create_app(Settings(database_url="unused"), accounts)
    attacker = TestClient(app, client=("10.9.9.9", 4000))
    answers = [
        attacker.post("/login", data={"username": "admin", "password": f"guess{n}"})
        for n in range(6)
    ]
    statuses = [a.status_code for a in answers]
    assert statuses[:3] == [401, 401, 401] and statuses[-1] == 429
    assert answers[-1].json()["code"] == "too_many_attempts"
    assert int(answers[-1].headers["retry-after"]) >= 1
    owner = TestClient(app, client=("192.168.1.20", 4000))
    assert owner.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 200


class _CountingHasher(PasswordHasher):
    """The application's hasher, noting the cost of every hash it checks."""

    def __init__(self, like: PasswordHasher) -> None:
        super().__init__(
            time_cost=like.time_cost,
            memory_cost=like.memory_cost,
            parallelism=like.parallelism,
            hash_len=like.hash_len,
            salt_len=like.salt_len,
        )
        self.checked: list[Parameters] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checked.append(extract_parameters(hash if isinstance(hash, str) else hash.decode()))
        return super().verify(hash, password)


def test_an_unknown_name_takes_as_long_as_a_wrong_password(
    sqlite_url: str,
    migrated_schemas: MigratedSchemas,
    production_hashes: PasswordHasher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No enumeration of user names by timing: a wrong name checks one hash of the very
    cost a wrong password does (the application's). Argon2's time is set by the cost
    written in the hash, so equal costs are equal work; a stopwatch beside other tests
    could only add noise to that."""
    counting = _CountingHasher(production_hashes)
    monkeypatch.setattr(users, "_hasher", counting)
    users._dummy_hash.cache_clear()
    store = migrated_schemas.fresh_store(sqlite_url)
    with store.write() as connection:
        add_user(connection, "adam", PASSWORD, "administrator")

    costs: dict[str, list[Parameters]] = {}
    for number, username in enumerate(["adam", "nobody-by-this-name"]):
        counting.checked.clear()
        _fail(store, username, f"10.3.{number}.1", NOW)
        costs[username] = list(counting.checked)
    production = extract_parameters(production_hashes.hash("any"))
    assert costs == {"adam": [production], "nobody-by-this-name": [production]}
    store.dispose()


# ---- Upload limits ----------------------------------------------------------------------


def _deflated_zeros(mebibytes: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``mebibytes`` MiB of zeros (with its CRC and size), built
    without compressing them all: after a full flush every MiB compresses to the same
    block, so the block is repeated."""
    zero = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zero) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * mebibytes + compressor.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zero, crc)
    return stream, crc, mebibytes * MIB


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def _zip(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip archive of already deflated members (name: stream, CRC-32, size)."""
    body, directory = b"", b""
    for name, (stream, crc, size) in members.items():
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0, crc, len(stream), size, len(encoded), 0)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0,
                                 len(body)) + encoded  # fmt: skip
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + stream
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(directory), len(body), 0)  # fmt: skip
    return body + directory + end


@pytest.fixture(scope="module")
def sheet_of_zeros() -> tuple[bytes, int, int]:
    return _deflated_zeros(1100)


def _upload(web: Web, name: str, content: bytes) -> Any:
    return web.client.post(
        "/api/imports", headers=web.as_("ines"), data={"kind": "finds"},
        files={"file": (name, content, "application/octet-stream")},
    )  # fmt: skip


def test_a_workbook_that_unpacks_to_a_gigabyte_is_refused_unopened(
    site: Web, sheet_of_zeros: tuple[bytes, int, int]
) -> None:
    bomb = _zip(
        {
            "[Content_Types].xml": _deflated(b"<Types/>"),
            "xl/worksheets/sheet1.xml": sheet_of_zeros,
        }
    )
    assert len(bomb) < 2 * MIB
    started = time.perf_counter()
    answer = _upload(site, "finds.xlsx", bomb)
    assert time.perf_counter() - started < 5
    assert answer.status_code == 413
    assert answer.json() == {
        "code": "upload_too_large",
        "message": "finds.xlsx unpacks to 1100 MB; at most 500 MB are accepted",
    }


def test_a_zip_bomb_is_refused_by_its_ratio_within_the_size_limit(site: Web) -> None:
    bomb = _zip({"finds.csv": _deflated_zeros(64)})
    answer = _upload(site, "finds.zip", bomb)
    assert answer.status_code == 413
    assert answer.json()["message"] == (
        "finds.zip: 'finds.csv' unpacks to 1011 times its packed size; "
        "refused as a possible zip bomb"
    )


def test_a_zip_holding_one_file_is_unpacked_and_imported(web: Web) -> None:
    archive = _zip({"export/finds.csv": _deflated(NEW_FINDS.encode())})
    started = _upload(web, "finds.zip", archive)
    assert started.status_code == 202, started.text
    job = _finished(web, "ines", started.json()["status_url"])
    assert job["state"] == "done" and job["report"]["inserted"] == 2, job
    assert job["report"]["file_name"] == "finds.csv"
    two = _zip({"a.csv": _deflated(b"x"), "b.csv": _deflated(b"y")})
    refused = _upload(web, "two.zip", two)
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "two.zip: a zip archive must hold one file to import (GeoPackage, GeoJSON, CSV, "
        "XLSX, KML, FlatGeobuf or a shapefile); it holds 2"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("finds.csv", b"SQLite format 3\x00" + bytes(52) + b"GPKG" + bytes(100),
         "finds.csv: the content is GeoPackage, not what the name (.csv) says"),
        ("finds.xlsx", NEW_FINDS.encode(),
         "finds.xlsx: the content is CSV text, not what the name (.xlsx) says"),
        ("finds.gpkg", b"SQLite format 3\x00" + bytes(200),
         "finds.gpkg: an SQLite database that is not a GeoPackage"),
        ("finds.kml", b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd'
         b"</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
         "finds.kml: not a file type Demine imports (by its content)"),
        ("finds.csv", b"\x7fELF\x02\x01\x01\x00" + bytes(100),
         "finds.csv: not a file type Demine imports (by its content)"),
        ("finds.shp", b"\x00\x00\x27\x0a" + bytes(96),
         "finds.shp: a shapefile needs its .dbf, .shx and .prj files: upload the four "
         "together in a zip archive"),
    ],
)  # fmt: skip
def test_the_type_of_an_upload_is_its_content_not_its_name(
    site: Web, name: str, content: bytes, message: str
) -> None:
    answer = _upload(site, name, content)
    assert answer.status_code == 400
    assert answer.json() == {"code": "invalid_request", "message": message}


def test_an_upload_without_a_known_suffix_is_read_as_its_content(web: Web) -> None:
    started = _upload(web, "export", NEW_FINDS.encode())
    assert started.status_code == 202
    job = _finished(web, "ines", started.json()["status_url"])
    assert job["state"] == "done" and job["report"]["file_name"] == "export.csv"


def test_an_upload_of_more_rows_than_allowed_fails_with_the_limit(site: Web) -> None:
    limited = create_app(Settings(database_url="unused", country="AZ", max_import_rows=1),
                         site.store)  # fmt: skip
    client = TestClient(limited)
    started = client.post(
        "/api/imports", headers=site.as_("ines"), data={"kind": "finds"},
        files={"file": ("finds.csv", NEW_FINDS.encode(), "text/csv")},
    )  # fmt: skip
    url = started.json()["status_url"]
    deadline = time.monotonic() + 60
    while (job := client.get(url, headers=site.as_("ines")).json())["state"] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["state"] == "failed"
    assert job["message"] == "finds.csv holds more than 1 row, the most accepted"


def test_a_declared_length_over_the_limit_is_refused_before_the_body(site: Web) -> None:
    small = create_app(Settings(database_url="unused", max_upload_mb=1), site.store)
    answer = TestClient(small).post(
        "/api/imports", headers={**site.as_("ines"), "Content-Length": str(200 * MIB)},
        content=b"",
    )  # fmt: skip
    assert answer.status_code == 413
    assert answer.json() == {
        "code": "upload_too_large",
        "message": "the request is larger than 1 MB, the most this server accepts here",
    }
    assert answer.headers["x-content-type-options"] == "nosniff"


# ---- A 200 MB upload against a real server ----------------------------------------------


def _memory_kib(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))  # type: ignore[union-attr]


def _stream(base: str, token: str, total: int, *, declare: bool) -> tuple[int, int]:
    """POST a multipart upload of ``total`` bytes, a MiB at a time (chunked, or with
    its Content-Length declared): the status answered, and how many bytes had been
    sent when the answer came."""
    host, port = base.removeprefix("http://").split(":")
    boundary = "demine-boundary"
    preamble = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nfinds\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    framing = "Content-Length: " + str(total) if declare else "Transfer-Encoding: chunked"
    head = (
        f"POST /api/imports HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n{framing}\r\n\r\n"
    ).encode()
    sent = 0
    answered: dict[str, int] = {}
    with socket.create_connection((host, int(port)), timeout=30) as connection:

        def listen() -> None:
            reply = connection.recv(4096)
            answered["sent"] = sent
            answered["status"] = int(reply.split(b" ", 2)[1]) if reply else 0

        listener = threading.Thread(target=listen)
        listener.start()
        connection.sendall(head)
        block = b"a" * MIB
        try:
            while sent < total and "status" not in answered:
                piece = preamble + block[len(preamble) :] if sent == 0 else block
                piece = piece[: total - sent]
                connection.sendall(piece if declare else b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
        except OSError:
            pass  # the server stopped listening: its answer is what counts
        listener.join(timeout=30)
    return answered.get("status", 0), answered.get("sent", sent)


@pytest.fixture(scope="module")
def small_limit_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, int, str]]:
    """``demine serve`` taking uploads of at most 10 MB: its URL, process id and a token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('uploads') / 'up.db'}"
    store = open_store(url, create=True)
    migrate.upgrade(store)
    with store.write() as connection:
        add_user(connection, "ines", PASSWORD, "information_manager")
        token = create_token(connection, "ines", "test")
    store.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEMINE_MAX_UPLOAD_MB", "10")
        with serving_process(url) as (base, process):
            yield base, process.pid, token


@pytest.mark.parametrize("declare", [False, True], ids=["chunked", "content-length"])
def test_a_200_mb_upload_is_refused_without_filling_memory(
    small_limit_server: tuple[str, int, str], declare: bool
) -> None:
    base, pid, token = small_limit_server
    before = _memory_kib(pid, "VmRSS")
    status, sent = _stream(base, token, 200 * MIB, declare=declare)
    assert status == 413
    # Refused once the limit was passed (declared: before any of the body), not at the
    # end; how much more the client sent before the answer reached it depends on how
    # busy the machine is, so the bound is loose: far from the whole 200 MB.
    assert sent < (0 if declare else 10 * MIB) + 64 * MIB, sent
    assert _memory_kib(pid, "VmHWM") - before < 50 * 1024
