"""The field forms' pages (/forms) and what the browser's ODK Web Forms sends: the list
of the forms the user may fill, the form page and its policy, the service worker, and a
submission posted with the session cookie — taken from this site's pages only."""

from __future__ import annotations

import pytest
from tests.openrosa_fixtures import instance_xml, served_forms
from tests.web_fixtures import PASSWORD, Web, web_on

from demine.store.engine import Store

UUID = "uuid:0b5e7c2a-61d4-4f0e-8c11-9a3f5e2d7b40"
FORM = "demine_clearance_progress"


@pytest.fixture
def web(store: Store) -> Web:
    made = web_on(store)
    made.client.app.state.field_forms = served_forms  # type: ignore[attr-defined]
    return made


def _log_in(web: Web, who: str) -> None:
    answer = web.client.post(
        "/login",
        data={"username": who, "password": PASSWORD},
        headers={"Origin": str(web.client.base_url)},
    )
    assert answer.status_code == 200, answer.text


def _post(web: Web, xml: bytes, headers: dict[str, str]) -> object:
    parts = [("xml_submission_file", ("submission.xml", xml, "text/xml"))]
    return web.client.post("/openrosa/submission", files=parts, headers=headers)


def test_the_forms_page_lists_what_the_user_may_fill(web: Web) -> None:
    _log_in(web, "dora")
    page = web.client.get("/forms")
    assert page.status_code == 200
    assert f'href="/forms/{FORM}"' in page.text
    assert "demine_minefield_verification" not in page.text  # information managers'
    assert 'href="/forms"' in page.text  # in the menu
    assert web.client.get("/forms/demine_minefield_verification").status_code == 403
    assert web.client.get("/forms/nothing").status_code == 404


def test_a_viewer_may_not_open_the_forms_and_the_anonymous_are_sent_to_log_in(web: Web) -> None:
    anonymous = web.client.get("/forms", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    _log_in(web, "vera")
    assert web.client.get("/forms").status_code == 403
    assert web.client.get(f"/forms/{FORM}").status_code == 403


def test_only_the_form_page_may_run_webassembly_and_inline_fonts(web: Web) -> None:
    _log_in(web, "dora")
    form = web.client.get(f"/forms/{FORM}")
    assert form.status_code == 200
    policy = form.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "font-src 'self' data:" in policy and "unsafe-eval'" not in policy.replace(
        "'wasm-unsafe-eval'", ""
    )
    assert f"/openrosa/forms/{FORM}/form.xml" in form.text
    for other in ("/forms", "/entry"):
        assert "wasm" not in web.client.get(other).headers["content-security-policy"]


def test_the_service_worker_may_serve_the_forms_pages(web: Web) -> None:
    worker = web.client.get("/forms/offline.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/forms"
    assert "caches.open" in worker.text


def test_a_submission_sent_with_the_session_cookie_must_come_from_this_site(web: Web) -> None:
    _log_in(web, "dora")
    xml = instance_xml(UUID, finds=(), photo=None)
    own = {"Origin": str(web.client.base_url)}
    assert _post(web, xml, {}).status_code == 403  # type: ignore[attr-defined]
    assert _post(web, xml, {"Origin": "http://evil.example"}).status_code == 403  # type: ignore[attr-defined]
    sent = _post(web, xml, own)
    assert sent.status_code == 201, sent.text  # type: ignore[attr-defined]
    again = _post(web, xml, own)
    assert again.status_code == 202 and "nothing changed" in again.text  # type: ignore[attr-defined]
