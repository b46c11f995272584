"""The pages in a real browser (Debian's Chromium through Playwright) against a real
``demine serve`` on the demo register: the dashboard map draws its layers for each
role, a data-entry clerk submits an activity report (and sees its problems beside the
fields first), an information manager approves it, and the dashboard's figures and the
bulletin change. Screenshots of every step go to ``test-artifacts/browser/``.

Skipped when ``/usr/bin/chromium`` is missing, except in CI (``CI=true``), where that
is an error. Playwright never downloads a browser here (no ``playwright install``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser_session import CHROMIUM, CHROMIUM_ARGS, checked_page, chromium_path
from tests.english_leftovers import english_leftovers
from tests.migrated_copies import copy_sqlite_database
from tests.web_fixtures import PASSWORD
from tests.web_server import serving

from demine.store.engine import open_store
from demine.store.users import add_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FilePayload, Page

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
#: A week of the demo register, the last complete one with approved records.
DEMO_WEEK = "2025-W52"
#: Markers the map draws: polygons are SVG paths, points circle markers (paths too).
OVERLAY_SHAPES = ".leaflet-overlay-pane path"


#: Other browser tests import these from here.
_chromium = chromium_path
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "_chromium"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_sqlite_template: Path) -> Iterator[str]:
    """A server on a fresh demo register with a clerk of ANAMA, an information manager
    and an administrator."""
    _chromium()
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    copy_sqlite_database(demo_sqlite_template, path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    with store.write() as connection:
        add_user(connection, "dora", PASSWORD, "data_entry", organisation="ANAMA")
        add_user(connection, "ines", PASSWORD, "information_manager")
        add_user(connection, "adam", PASSWORD, "administrator")
        # Reads the pages in Azerbaijani (her own: the others' stay English).
        add_user(connection, "aysel", PASSWORD, "information_manager")
    store.dispose()
    with serving(url) as base:
        yield base


@pytest.fixture
def page(site: str, chromium_browser: Browser) -> Iterator[Page]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield from checked_page(chromium_browser)


def _until(page: Page, expression: str, arg: object = None, timeout: float = 30) -> None:
    """Wait until ``expression`` (a function of ``arg``) is true in the page.

    Polled from here: Playwright's own ``wait_for_function`` evaluates strings inside the
    page, which the pages' Content-Security-Policy (no ``unsafe-eval``) forbids.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page: Page, site: str, username: str, target: str) -> None:
    page.goto(f"{site}/login?next={target}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')
    page.wait_for_url(f"{site}{target}")


def _log_out(page: Page) -> None:
    page.click("#logout")
    page.wait_for_selector('a.button[href^="/login"]')


def _map_drawn(page: Page, *layers: str) -> dict[str, str]:
    """Wait until Leaflet has drawn every layer named; the map's counts per layer."""
    _until(
        page,
        "([selector, layers]) => document.querySelectorAll(selector).length > 0 && "
        "layers.every(name => document.getElementById('map').dataset['features' + "
        "name[0].toUpperCase() + name.slice(1)] !== undefined)",
        arg=[OVERLAY_SHAPES, list(layers)],
    )
    return dict(page.evaluate("({...document.getElementById('map').dataset})"))


def _hectares_cleared(page: Page) -> str:
    figure = page.locator('.figure[data-label="Hectares cleared"] .value')
    return str(figure.inner_text())


def _bulletin_hectares(page: Page, site: str) -> str:
    page.goto(f"{site}/bulletin?week={DEMO_WEEK}")
    frame = page.frame_locator("#bulletin")
    figure = frame.locator(".figure", has_text="Hectares cleared").locator(".value")
    return str(figure.inner_text())


#: Points of the map, in the page's pixels: one where a record (find, hazard, accident)
#: is drawn on a tile's canvas, and one inside a district with no record within 8 pixels.
_POINTS = """() => {
  const canvases = [...document.querySelectorAll('.leaflet-records-pane canvas')].map((canvas) => {
    const box = canvas.getBoundingClientRect();
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return {box, pixels, width: canvas.width, height: canvas.height};
  });
  const inked = (x, y) => canvases.some(({box, pixels, width, height}) => {
    const cx = Math.floor((x - box.left) * width / box.width);
    const cy = Math.floor((y - box.top) * height / box.height);
    return cx >= 0 && cy >= 0 && cx < width && cy < height && pixels[(cy * width + cx) * 4 + 3] > 0;
  });
  const map = document.getElementById('map').getBoundingClientRect();
  let record = null, district = null;
  for (let y = map.top + 40; y < map.bottom - 40; y += 3) {
    for (let x = map.left + 60; x < map.right - 60; x += 3) {
      if (document.elementFromPoint(x, y).closest('.leaflet-control')) continue;
      // Well inside a drawn shape, not on its blurred edge.
      const inside = [[0, 0], [-3, 0], [3, 0], [0, -3], [0, 3]]
        .every(([dx, dy]) => inked(x + dx, y + dy));
      if (!record && inside) record = [x, y];
      const under = document.elementsFromPoint(x, y).find((e) => e.matches('path.district'));
      const near = [-8, 0, 8].some((dx) => [-8, 0, 8].some((dy) => inked(x + dx, y + dy)));
      if (!district && under && !near) {
        district = [x, y];
      }
      if (record && district) return {record, district};
    }
  }
  return {record, district};
}"""


def test_a_click_on_a_record_drawn_on_the_map_opens_its_popup(page: Page, site: str) -> None:
    """Finds, hazards and accidents are drawn on canvases over the districts: a click on
    one opens its popup, a click beside it still opens the district's, and the pointer
    says which can be clicked."""
    _log_in(page, site, "ines", "/")
    _map_drawn(page, "districts", "hazards", "finds", "accidents", "minefields")
    page.wait_for_selector("#map[data-figures=loaded]")
    points = page.evaluate(_POINTS)
    assert points["record"] and points["district"], points
    # On a record, the record's popup (and not the district's under it).
    page.mouse.move(*points["record"])
    page.wait_for_selector("#map.over-record")
    page.mouse.click(*points["record"])
    text = page.wait_for_selector(".leaflet-popup-content").inner_text()
    assert "Devices found" not in text
    assert re.search(r"Category|in this cell|Status|Hazard", text), text
    _shot(page, "04-record-popup")
    # Beside the records, the district's popup with its figures (looked for again: the
    # popup may have moved the map to show itself).
    page.click(".leaflet-popup-close-button")
    page.wait_for_selector(".leaflet-popup", state="detached")
    district = page.evaluate(_POINTS)["district"]
    page.mouse.move(*district)
    page.wait_for_selector("#map:not(.over-record)")
    page.mouse.click(*district)
    _until(
        page,
        "() => document.querySelector('.leaflet-popup-content')?.innerText"
        ".includes('Devices found')",
    )


def test_the_public_sees_district_figures_only(page: Page, site: str) -> None:
    page.goto(site + "/")
    drawn = _map_drawn(page, "districts")
    assert int(drawn["featuresDistricts"]) == 14
    assert "featuresFinds" not in drawn and "featuresHazards" not in drawn
    assert page.locator(OVERLAY_SHAPES).count() == 14
    # The layer switcher and the legend are there; a district's popup gives its figures.
    assert page.locator(".leaflet-control-layers-overlays label").count() == 1
    # The districts are shaded by the week's devices found, as the legend says.
    assert f"Devices found in {DEMO_WEEK}" in page.locator(".legend").inner_text()
    page.wait_for_selector("#map[data-figures=loaded]")
    page.locator(OVERLAY_SHAPES).first.click(force=True)
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert "Devices found" in popup.inner_text()
    _shot(page, "01-public-dashboard")


def test_a_report_goes_from_entry_to_the_dashboard_and_bulletin(page: Page, site: str) -> None:
    # Before: the information manager's dashboard, with every layer, and the bulletin.
    _log_in(page, site, "ines", "/")
    drawn = _map_drawn(page, "districts", "hazards", "finds", "accidents", "minefields")
    assert int(drawn["featuresHazards"]) > 0 and int(drawn["featuresFinds"]) > 0
    assert int(drawn["featuresMinefields"]) > 0
    # Five layers drawn, and the predicted risk layer offered (switched off) to operational roles.
    assert page.locator(".leaflet-control-layers-overlays label").count() == 6
    assert DEMO_WEEK in page.inner_text(".subtitle")
    hectares_before = _hectares_cleared(page)
    _shot(page, "02-manager-dashboard-before")
    bulletin_before = _bulletin_hectares(page, site)
    _shot(page, "03-bulletin-before")
    _log_out(page)

    # The clerk enters a report; a wrong date is shown beside its field, then corrected.
    _log_in(page, site, "dora", "/entry")
    activity = page.locator("#activity")
    activity.locator('[name="external_id"]').fill("ACT-BROWSER-1")
    activity.locator('[name="kind"]').select_option("clearance")
    activity.locator('[name="district"]').select_option("Tartar")
    activity.locator('[name="start_date"]').fill("2025-12-22")
    activity.locator('[name="end_date"]').fill("2025-12-26")
    activity.locator('[name="area_cleared_m2"]').fill("-5")
    page.click("#save-draft")
    problem = page.wait_for_selector('#activity [data-problem="area_cleared_m2"]:not(:empty)')
    assert problem.inner_text()
    _shot(page, "04-entry-problem-beside-the-field")
    activity.locator('[name="area_cleared_m2"]').fill("500000")  # 50 ha
    page.click("#submit-report")
    _until(page, "() => document.getElementById('entry-status').textContent"
           ".includes('Submitted for review')")  # fmt: skip
    _shot(page, "05-entry-submitted")
    _log_out(page)

    # The information manager approves it.
    _log_in(page, site, "ines", "/review")
    row = page.locator('tr[data-key="ACT-BROWSER-1"]')
    row.locator("button.approve").click()
    page.wait_for_selector('tr[data-key="ACT-BROWSER-1"].decided')
    assert "Approved" in row.inner_text()
    _shot(page, "06-review-approved")

    # After: the week's hectares and the bulletin's have grown by 50 ha.
    page.goto(site + "/")
    _map_drawn(page, "districts", "hazards", "finds", "accidents")
    hectares_after = _hectares_cleared(page)
    _shot(page, "07-manager-dashboard-after")
    bulletin_after = _bulletin_hectares(page, site)
    _shot(page, "08-bulletin-after")

    def number(text: str) -> float:
        return float(text.replace(",", ""))

    assert number(hectares_after) == pytest.approx(number(hectares_before) + 50, abs=0.1)
    assert number(bulletin_after) == pytest.approx(number(bulletin_before) + 50, abs=0.1)


def test_a_risk_education_session_goes_from_its_form_to_the_bulletin(page: Page, site: str) -> None:
    """The form of a kind drawn from its description alone (/entry?kind=eore-sessions)."""
    _log_in(page, site, "ines", f"/bulletin?week={DEMO_WEEK}")
    frame = page.frame_locator("#bulletin")
    assert "risk education session" not in frame.locator("body").inner_text()
    _log_out(page)

    _log_in(page, site, "dora", "/entry?kind=eore-sessions")
    record = page.locator("#activity")
    record.locator('[name="external_id"]').fill("EORE-BROWSER-1")
    record.locator('[name="held_on"]').fill("2025-12-23")
    record.locator('[name="district"]').select_option("Aghdam")
    record.locator('[name="method"]').select_option("face_to_face")
    record.locator('[name="target_group"]').select_option("schoolchildren")
    for group, count in (("girls", "-3"), ("boys", "14"), ("women", "2"), ("men", "1")):
        record.locator(f'[name="{group}"]').fill(count)
    page.click("#save-draft")
    problem = page.wait_for_selector('#activity [data-problem="girls"]:not(:empty)')
    assert "must not be negative" in problem.inner_text()
    _shot(page, "20-eore-problem-beside-the-field")
    record.locator('[name="girls"]').fill("12")
    page.click("#submit-report")
    _until(page, "() => document.getElementById('entry-status').textContent"
           ".includes('Submitted for review')")  # fmt: skip
    _shot(page, "21-eore-submitted")
    _log_out(page)

    _log_in(page, site, "ines", "/review")
    row = page.locator('tr[data-key="EORE-BROWSER-1"]')
    row.locator("button.approve").click()
    page.wait_for_selector('tr[data-key="EORE-BROWSER-1"].decided')
    page.goto(f"{site}/bulletin?week={DEMO_WEEK}")
    sentence = (
        "1 explosive ordnance risk education session was held, reaching 29 people: "
        "12 girls, 14 boys, 2 women, and 1 man."
    )
    frame = page.frame_locator("#bulletin")
    assert sentence in frame.locator("body").inner_text()
    _shot(page, "22-eore-in-the-bulletin")


def test_an_information_manager_records_an_accreditation_on_the_entry_page(
    page: Page, site: str
) -> None:
    """Reference data is entered on the same page, saved at once (no review)."""
    _log_in(page, site, "ines", "/entry?kind=accreditations")
    record = page.locator("#activity")
    record.locator('[name="external_id"]').fill("ACC-BROWSER-1")
    record.locator('[name="organisation"]').select_option("ANAMA")
    record.locator('[name="method"]').select_option("clearance")
    record.locator('[name="valid_from"]').fill("2026-01-01")
    record.locator('[name="valid_until"]').fill("2025-12-31")
    page.click("#save-record")
    problem = page.wait_for_selector('#activity [data-problem="valid_until"]:not(:empty)')
    assert problem.inner_text() == "valid until 2025-12-31 is before valid from 2026-01-01"
    record.locator('[name="valid_until"]').fill("2027-12-31")
    page.click("#save-record")
    _until(page, "() => document.getElementById('entry-status').textContent === 'Saved.'")
    _shot(page, "23-accreditation-saved")
    answer = page.request.get(f"{site}/api/accreditations/ACC-BROWSER-1")
    assert answer.ok and answer.json()["valid_until"] == "2027-12-31"


def _csv(name: str, content: bytes) -> FilePayload:
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def test_files_are_imported_and_accounts_managed_from_the_pages(page: Page, site: str) -> None:
    _log_in(page, site, "adam", "/import")
    header = b"external_id,district,category,quantity,found_on\n"
    good = header + b"FND-BROWSER-1,Tartar,UXO,2,2025-12-23\n"
    bad = header + b"FND-BROWSER-2,Nowhere,BANANA,2,2025-12-23\n"
    page.select_option('#import-form [name="kind"]', "finds")
    page.set_input_files('#import-form [name="file"]', files=[_csv("bad.csv", bad)])
    page.click('#import-form button[type="submit"]')
    _until(page, "() => document.querySelectorAll('#import-result td').length >= 8")
    assert "Nothing was written." in page.inner_text("#import-state")
    assert "BANANA" in page.inner_text("#import-result")
    _shot(page, "09-import-problems")
    page.set_input_files('#import-form [name="file"]', files=[_csv("good.csv", good)])
    page.click('#import-form button[type="submit"]')
    _until(page, "() => document.getElementById('import-state').textContent.includes('finished')")
    cells = page.locator("#import-result td").all_inner_texts()
    assert cells == ["good.csv", "1", "1", "0", "0"]
    _shot(page, "10-import-report")

    page.goto(site + "/users")
    page.fill('#user-form [name="username"]', "nora")
    page.fill('#user-form [name="password"]', "short")
    page.click('#user-form button[type="submit"]')
    page.wait_for_selector('#user-form [data-problem="password"]:not(:empty)')
    page.fill('#user-form [name="password"]', PASSWORD)
    page.select_option('#user-form [name="role"]', "data_entry")
    page.select_option('#user-form [name="organisation"]', "ANAMA")
    page.click('#user-form button[type="submit"]')
    row = page.wait_for_selector('tr[data-username="nora"]')
    assert "Data entry" in row.inner_text() and "active" in row.inner_text()
    page.click('tr[data-username="nora"] button.toggle')
    page.wait_for_selector('tr[data-username="nora"] button[data-action="enable"]')
    _shot(page, "11-users")


def test_the_api_browser_works_offline_under_its_policy(page: Page, site: str) -> None:
    page.goto(f"{site}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Demine" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag-section")
    _shot(page, "12-api-docs")


def test_an_ogc_page_draws_its_features_from_a_script_file(page: Page, site: str) -> None:
    page.goto(f"{site}/ogc/collections/districts/items?f=html&limit=5")
    page.wait_for_selector(OVERLAY_SHAPES)
    _shot(page, "13-ogc-items")


def _visible_text(page: Page) -> str:
    """What a reader sees: the page's text, the map's legend and layer names included."""
    return str(page.evaluate("() => document.body.innerText"))


def test_the_dashboard_map_and_entry_page_speak_azerbaijani(page: Page, site: str) -> None:
    """Switched with the switcher, the dashboard, its map (legend, layers, a district's
    popup) and the data-entry form are in Azerbaijani, with no English word of the
    catalogue left; the choice is kept for the user, cookie or not."""
    _log_in(page, site, "aysel", "/")
    assert page.get_attribute("html", "lang") == "en"
    page.click('#languages button[value="az"]')
    page.wait_for_selector('html[lang="az"]')
    assert page.url == f"{site}/"
    _map_drawn(page, "districts", "hazards", "finds", "accidents", "minefields")
    page.wait_for_selector("#map[data-figures=loaded]")
    # Popups of the shapes drawn (a district's, a hazard's…); the layers are fetched
    # again as a popup moves the map, so each shape is looked up afresh.
    popups: list[str] = []
    for index in range(40):
        shape = page.locator(f"{OVERLAY_SHAPES}.leaflet-interactive").nth(index)
        try:
            shape.dispatch_event("click", timeout=2_000)
        except Exception:  # gone while the layers were drawn again
            continue
        content = page.locator(".leaflet-popup-content")
        try:  # a popup closes when its shape is drawn again (the map moved to show it)
            text = content.last.inner_text(timeout=2_000) if content.count() else None
        except Exception:
            continue
        if text is not None and text not in popups:
            popups.append(text)
        if len(popups) >= 3:
            break
    assert popups, "a popup of the map opens"
    # Numbers as the page's text writes them: "16.122" in Azerbaijani, never "16,122".
    assert not [p for p in popups if re.search(r"\d,\d{3}\b", p)], popups
    legend = page.locator(".legend").inner_text()
    # A minefield record's popup (open, so in the page's text too) quotes its handover as
    # the record gives it (the demo's are written in English): data, not the catalogue's.
    shown = "\n".join((_visible_text(page), legend, *popups))
    dashboard = re.sub(r"handed over [^\n]*", "", shown)
    _shot(page, "10-dashboard-az")
    assert "Şərti işarələr" in legend or "şərti işarələr" in legend.lower()
    leftovers = {"dashboard and map": english_leftovers(dashboard, "az")}

    page.goto(f"{site}/entry?kind=activities")
    page.click("#add-find")
    page.wait_for_selector("#finds fieldset.find")
    entry = _visible_text(page)
    _shot(page, "11-entry-az")
    leftovers["data entry"] = english_leftovers(entry, "az")
    assert leftovers == {"dashboard and map": [], "data entry": []}, dashboard + entry

    # Kept for the user: without the language cookie (another browser), still Azerbaijani.
    page.context.clear_cookies(name="demine_lang")
    assert not [c for c in page.context.cookies() if c["name"] == "demine_lang"]
    page.goto(f"{site}/")
    assert page.get_attribute("html", "lang") == "az"
    assert english_leftovers(_visible_text(page), "az") == []
