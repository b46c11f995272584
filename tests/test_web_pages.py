"""The pages: who may open which (200), who is sent to log in (303) and who is refused
(403); what the dashboard, bulletin, login and data-entry pages show."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from tests.web_fixtures import BY_ROLE, PASSWORD, Web, correct, web_on

from demine.settings import Settings
from demine.store.engine import Store
from demine.web import warm_up
from demine.web.app import create_app

ROLES = ("public", "viewer", "data_entry", "information_manager", "administrator")
#: Page → expected status for public, viewer, data entry, information manager, administrator.
PAGE_MATRIX = {
    "/": (200, 200, 200, 200, 200),
    "/login": (200, 200, 200, 200, 200),
    "/bulletin": (303, 200, 200, 200, 200),
    "/bulletin.html": (303, 200, 200, 200, 200),
    "/entry": (303, 403, 200, 200, 200),
    "/review": (303, 403, 403, 200, 200),
    "/import": (303, 403, 403, 200, 200),
    "/users": (303, 403, 403, 403, 200),
}


@pytest.fixture
def web(store: Store) -> Web:
    return web_on(store)


def _map_config(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', html, re.S)
    assert match, "the dashboard carries its map configuration"
    return dict(json.loads(match.group(1)))


def test_who_may_open_which_page(web: Web) -> None:
    seen = {
        path: tuple(
            web.client.get(path, headers=web.as_(BY_ROLE[role])).status_code for role in ROLES
        )
        for path in PAGE_MATRIX
    }
    assert seen == PAGE_MATRIX


def test_anonymous_callers_are_sent_to_log_in_and_come_back(web: Web) -> None:
    response = web.client.get("/review?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/review%3Fx%3D1"
    login = web.client.get("/login?next=/review")
    assert 'name="next" value="/review"' in login.text


def test_refused_pages_say_why(web: Web) -> None:
    response = web.client.get("/users", headers=web.as_("ines"))
    assert response.status_code == 403
    assert "Your role may not open this page." in response.text
    assert "it needs the &#39;admin&#39; permission" in response.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_login_form_returns_only_to_local_pages(web: Web, target: str) -> None:
    page = web.client.get("/login", params={"next": target})
    assert 'name="next" value="/"' in page.text


def test_a_session_cookie_opens_the_pages_of_the_role(web: Web) -> None:
    answer = web.client.post(
        "/login", data={"username": "dora", "password": PASSWORD, "next": "/entry"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/entry"
    assert web.client.get("/entry").status_code == 200
    assert web.client.get("/review").status_code == 403
    assert 'action="/logout"' in web.client.get("/").text
    # As a browser does, the form names its origin (a change sent with a cookie must).
    web.client.post("/logout", headers={"Origin": "http://testserver"})
    assert web.client.get("/entry").status_code == 303


def test_the_login_page_fetches_the_dashboards_files_ahead_for_browsers_to_keep(
    web: Web,
) -> None:
    """While the password is typed, the browser fetches the dashboard's style sheet,
    scripts and map background by the addresses the dashboard then names: versioned,
    kept for good, the same for everyone (no caller, no language to vary on)."""
    ahead = re.findall(r'<link rel="prefetch" href="([^"]+)">', web.client.get("/login").text)
    assert [address.split("?")[0] for address in ahead] == [
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet-vectorgrid/Leaflet.VectorGrid.bundled.min.js",
        "/static/demine-map.js",
        "/static/dashboard-charts.js",
        "/static/basemap/land.geojson",
        "/static/basemap/lakes.geojson",
        "/static/basemap/boundaries.geojson",
    ]
    dashboard = web.client.get("/").text
    basemap = dict(_map_config(dashboard)["basemap"])  # type: ignore[call-overload]
    for address in ahead:
        assert re.fullmatch(r"/static/[\w./-]+\?v=[0-9a-f]{12}", address), address
        assert address in dashboard or address in basemap.values(), address
        response = web.client.get(address)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "vary" not in response.headers and "content-language" not in response.headers
    # Another page next: nothing fetched ahead. Another version, or none: asked again.
    assert "prefetch" not in web.client.get("/login?next=/entry").text
    stale = web.client.get("/static/demine-map.js?v=000000000000")
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"
    assert web.client.get("/static/demine-map.js").headers["cache-control"] == "no-cache"


def test_dashboard_shows_the_last_complete_week_against_the_one_before(web: Web) -> None:
    page = web.client.get("/").text
    # The sample's newest approved record ends on Sunday 7 July 2024: week 27.
    assert "2024-W27: Jul 1, 2024 to Jul 7, 2024" in page  # dates per locale (Babel)
    assert "2024-W26: Jun 24, 2024 to Jun 30, 2024" in page
    assert page.count('class="figure"') == 8
    # The charts are asked for by the page once its map is drawn: a part of the page.
    assert 'data-src="/dashboard/charts?week=2024-W27"' in page
    assert "<svg" not in page and "/static/dashboard-charts.js?v=" in page
    assert "/static/vendor/leaflet/leaflet.js?v=" in page and "/static/demine-map.js?v=" in page
    assert "http://" not in page and "https://" not in page  # nothing from the internet
    charts = web.client.get("/dashboard/charts?week=2024-W27")
    assert charts.status_code == 200, charts.text
    # The charts drew from the week's figures the page had made (made once, not twice).
    assert len(web.client.app.state.dashboard_figures) == 1  # type: ignore[attr-defined]
    # The trend chart inside the page (its bars measurable), the cumulative one an image.
    assert charts.text.count('<svg id="trend" class="chart"') == 1
    assert charts.text.count('src="data:image/svg+xml;base64,') == 1
    assert '<svg id="trend"' in web.client.get("/dashboard/charts").text  # the last week
    assert web.client.get("/dashboard/charts?week=2024-W99").status_code == 400


def _figures(page: str) -> list[str]:
    return re.findall(r'<div class="value">([^<]*)</div>', page)


def test_the_dashboard_made_once_is_made_again_after_any_change(web: Web) -> None:
    first = web.client.get("/").text
    assert web.client.get("/").text == first  # the same view, made once
    assert correct(web, "ines", "finds", "FND-002", quantity=90).status_code == 200
    changed = web.client.get("/").text
    assert _figures(changed) != _figures(first), "an edit shows at once"
    assert web.client.get("/?week=2024-W26").text != changed


def test_the_map_offers_each_role_its_layers(web: Web) -> None:
    public = _map_config(web.client.get("/").text)
    viewer = _map_config(web.client.get("/", headers=web.as_("vera")).text)
    assert public["layers"] == ["districts"]
    assert viewer["layers"] == ["districts", "risk", "hazards", "finds", "accidents", "minefields"]
    min_x, min_y, max_x, max_y = viewer["extent"]  # type: ignore[misc]
    assert (min_x, min_y, max_x, max_y) == (46.8, 39.45, 47.3, 40.45)


def test_dashboard_week_can_be_chosen_and_a_bad_one_is_explained(web: Web) -> None:
    assert "2024-W26: Jun 24, 2024" in web.client.get("/?week=2024-W26").text
    bad = web.client.get("/?week=2024-W99")
    assert bad.status_code == 400 and "2024 has no week 99" in bad.text


def test_dashboard_of_an_empty_register_says_so(store: Store) -> None:
    web = web_on(store, sample=False)
    page = web.client.get("/")
    assert page.status_code == 200
    assert "There are no approved records yet" in page.text
    assert web.client.get("/bulletin", headers=web.as_("vera")).status_code == 404


def test_bulletin_page_embeds_the_bulletin_and_links_its_pdf(web: Web) -> None:
    page = web.client.get("/bulletin?week=2024-W27", headers=web.as_("vera")).text
    assert 'href="/bulletin.pdf?week=2024-W27"' in page
    assert 'src="/bulletin.html?week=2024-W27"' in page
    html = web.client.get("/bulletin.html?week=2024-W27", headers=web.as_("vera")).text
    assert "Weekly operations report" in html
    pdf = web.client.get("/bulletin.pdf?week=2024-W27", headers=web.as_("vera"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="bulletin-2024-W27.pdf"'
    assert pdf.content.startswith(b"%PDF")
    bad = web.client.get("/bulletin?week=W27", headers=web.as_("vera"))
    assert bad.status_code == 400 and "is not an ISO week" in bad.text
    assert web.client.get("/bulletin.pdf?week=W27", headers=web.as_("vera")).status_code == 400


def test_entry_form_asks_for_the_import_columns(web: Web) -> None:
    page = web.client.get("/entry", headers=web.as_("dora")).text
    for column in ("external_id", "kind", "organisation", "start_date", "area_cleared_m2"):
        assert f'name="{column}"' in page
    assert 'name="category"' in page and 'name="found_on"' in page  # the find template
    # Data entry staff enter reports of their own organisation only.
    organisations = re.search(r'<select name="organisation".*?</select>', page, re.S)
    assert organisations and re.findall(r'<option value="(\w+)"', organisations.group(0)) == [
        "ANAMA"
    ]


def test_entry_reopens_own_drafts_and_refuses_other_organisations(web: Web) -> None:
    draft = {
        "external_id": "ACT-WEB-9",
        "kind": "clearance",
        "organisation": "ANAMA",
        "district": "Tartar",
        "start_date": "2024-07-08",
        "end_date": "2024-07-09",
    }
    created = web.client.post("/api/activities", json=draft, headers=web.as_("dora"))
    assert created.status_code == 201, created.text
    page = web.client.get("/entry", headers=web.as_("dora")).text
    assert 'href="/entry?activity=ACT-WEB-9"' in page
    reopened = web.client.get("/entry?activity=ACT-WEB-9", headers=web.as_("dora"))
    assert reopened.status_code == 200 and '"external_id": "ACT-WEB-9"' in reopened.text
    other = web.client.get("/entry?activity=ACT-WEB-9", headers=web.as_("sami"))
    assert other.status_code == 403
    assert "your own organisation" in other.text
    missing = web.client.get("/entry?activity=NOPE", headers=web.as_("dora"))
    assert missing.status_code == 404


def test_review_lists_submitted_reports_only(web: Web) -> None:
    draft = {
        "external_id": "ACT-WEB-8",
        "kind": "clearance",
        "organisation": "ANAMA",
        "district": "Tartar",
        "start_date": "2024-07-08",
        "end_date": "2024-07-09",
    }
    web.client.post("/api/activities", json=draft, headers=web.as_("dora"))
    assert "ACT-WEB-8" not in web.client.get("/review", headers=web.as_("ines")).text
    web.client.post("/api/activities/ACT-WEB-8/submit", headers=web.as_("dora"))
    page = web.client.get("/review", headers=web.as_("ines")).text
    assert 'data-key="ACT-WEB-8" data-kind="activities"' in page
    assert "Approve" in page and "Reason for rejecting" in page


def test_data_entry_submits_the_finds_of_its_report(web: Web) -> None:
    find = {"external_id": "FND-WEB-1", "district": "Tartar", "category": "UXO",
            "quantity": 2, "found_on": "2024-07-03", "activity": "ACT-001"}  # fmt: skip
    assert web.client.post("/api/finds", json=find, headers=web.as_("dora")).status_code == 201
    submitted = web.client.post("/api/finds/FND-WEB-1/submit", headers=web.as_("dora"))
    assert submitted.status_code == 200, submitted.text


def test_a_server_makes_its_first_dashboard_before_answering_anyone(store: Store) -> None:
    cold = web_on(store)
    expected = cold.client.get("/").text
    app = create_app(Settings(database_url="unused", country="AZ"), store, warm=True)
    with TestClient(app) as client:  # starting: the warm-up runs before any request
        assert len(app.state.dashboard_views) == 1 and len(app.state.dashboard_figures) == 1
        (made,) = app.state.dashboard_views._entries.values()
        assert client.get("/").text == expected  # the same page as a cold server's
        assert list(app.state.dashboard_views._entries.values()) == [made]  # not made again


def test_a_failed_warm_up_does_not_stop_the_server(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    web_on(store)

    def unreadable(*_args: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(warm_up, "kept_view", unreadable)
    app = create_app(Settings(database_url="unused", country="AZ"), store, warm=True)
    with TestClient(app) as client:
        assert "the server's warm-up failed" in caplog.text
        assert len(app.state.dashboard_views) == 0
        assert "2024-W27: Jul 1, 2024 to Jul 7, 2024" in client.get("/").text
