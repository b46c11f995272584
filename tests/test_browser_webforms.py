"""The field forms in a real browser (Debian's Chromium through Playwright): a clearance
progress report filled in ODK Web Forms served by Demine (``/forms``), sent, sent again
(the resend changes nothing), approved by an information manager, and the week's
figures grown by exactly its devices and hectares; a report filled offline waits in the
browser and is sent when the connection is back. Screenshots go to
``test-artifacts/browser/webforms-*.png``.

Skipped when ``/usr/bin/chromium`` is missing, except in CI (``CI=true``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from tests.browser_session import checked_page
from tests.migrated_copies import copy_sqlite_database
from tests.test_browser import ARTIFACTS, _chromium, _log_in, _log_out, _until
from tests.web_fixtures import PASSWORD
from tests.web_server import serving
from typer.testing import CliRunner

from demine.cli.main import app as cli
from demine.store import schema
from demine.store.engine import open_store
from demine.store.users import add_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

FORM = "demine_clearance_progress"
#: The week of the reports filled here (past, as the form's dates must be).
WEEK = "2026-W48"
FIRST_DAY, LAST_DAY, FOUND_ON = "2026-11-23", "2026-11-27", "2026-11-25"
#: ODK Web Forms' map questions ask OpenStreetMap for tiles; the page's policy refuses
#: every other site, so the map has no background here (the shape is still drawn).
TILES = "tile.openstreetmap.org"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, demo_sqlite_template: Path) -> str:
    _chromium()
    path = tmp_path_factory.mktemp("webforms") / "demo.db"
    copy_sqlite_database(demo_sqlite_template, path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    with store.write() as connection:
        add_user(connection, "dora", PASSWORD, "data_entry", organisation="ANAMA")
        add_user(connection, "ines", PASSWORD, "information_manager")
    store.dispose()
    return url


@pytest.fixture(scope="module")
def site(database: str) -> Iterator[str]:
    with serving(database) as base:
        yield base


@pytest.fixture
def page(site: str, chromium_browser: Browser) -> Iterator[Page]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield from checked_page(chromium_browser, allowed_blocks=TILES)


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"webforms-{name}.png"), full_page=True)


def _question(page: Page, label: str) -> Locator:
    return page.locator(".question-container").filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}"))
    )


def _choose(page: Page, label: str, value: str) -> None:
    _question(page, label).locator(f'input[type="radio"][value="{value}"]').check()


def _type(page: Page, label: str, text: str) -> None:
    # PrimeVue's number input takes keystrokes, not a filled value.
    field = _question(page, label).locator("input").first
    field.click()
    field.press_sequentially(text)
    field.press("Tab")


def _date(page: Page, label: str, day: str) -> None:
    field = _question(page, label).locator("input.p-datepicker-input")
    year, month, dom = day.split("-")
    field.fill(f"{month}/{dom}/{year}")
    field.press("Escape")
    field.press("Tab")


def _fill_clearance(page: Page, site: str, *, cleared_m2: str, at_mines: str) -> None:
    page.goto(f"{site}/forms/{FORM}")
    page.wait_for_selector("#odk-form[data-ready=true] .question-container")
    _choose(page, "Kind of work", "clearance")
    _choose(page, "Organisation", "ANAMA")
    _choose(page, "District", "AZ-TAR")
    _date(page, "First day of the work", FIRST_DAY)
    _date(page, "Last day of the work", LAST_DAY)
    _type(page, "Area cleared (m²)", cleared_m2)
    _choose(page, "Category", "AT_MINE")
    _type(page, "How many devices", at_mines)
    _date(page, "Day found", FOUND_ON)


def _send(page: Page) -> None:
    page.locator('button[aria-label="Send"]').click()


def _status(page: Page) -> str:
    return str(page.locator("#form-status").inner_text())


def _weekly(database: str) -> dict[str, float]:
    result = CliRunner().invoke(
        cli, ["--db", database, "report", "weekly", "--week", WEEK, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    return {name: figures[name] for name in ("at_mines", "hectares_cleared", "activities")}


def _stored(database: str) -> tuple[int, int]:
    store = open_store(database)
    try:
        with store.read() as connection:
            return (
                connection.execute(
                    select(func.count()).select_from(schema.field_submissions)
                ).scalar_one(),
                connection.execute(
                    select(func.count()).select_from(schema.activities)
                ).scalar_one(),
            )
    finally:
        store.dispose()


def _key(instance_id: str) -> str:
    """The record key a submission's instanceID gives (``demine.submissions``)."""
    return "ODK-" + instance_id.removeprefix("uuid:").replace("-", "")[:12].upper()


def test_a_clearance_report_filled_in_odk_web_forms_counts_once_approved(
    page: Page, site: str, database: str
) -> None:
    before = _weekly(database)
    _log_in(page, site, "dora", "/forms")
    assert page.locator(f'a[data-form="{FORM}"]').count() == 1
    _shot(page, "01-forms")

    _fill_clearance(page, site, cleared_m2="25000", at_mines="3")  # 2.5 ha, 3 AT mines
    _shot(page, "02-filled")
    _send(page)
    _until(page, "() => document.getElementById('form-status').textContent"
           ".includes('waits for review')")  # fmt: skip
    sent = page.locator("#outbox ul.sent li[data-instance]")
    assert sent.count() == 1
    instance_id = str(sent.get_attribute("data-instance"))
    assert instance_id.startswith("uuid:")
    stored = _stored(database)
    _shot(page, "03-sent")

    # The same submission again, from the browser's own copy: the server keeps it once.
    sent.locator("button.send-again").click()
    _until(page, "() => document.getElementById('form-status').textContent"
           ".includes('nothing changed')")  # fmt: skip
    assert _stored(database) == stored
    _shot(page, "04-sent-again")
    assert _weekly(database) == before, "nothing counts before approval"
    _log_out(page)

    # Another user approves the activity and its find on the review page.
    key = _key(instance_id)
    _log_in(page, site, "ines", "/review")
    for row_key in (key, f"{key}-FINDS-1"):
        row = page.locator(f'tr[data-key="{row_key}"]')
        row.locator("button.approve").click()
        page.wait_for_selector(f'tr[data-key="{row_key}"].decided')
    _shot(page, "05-approved")
    # The browser keeps each user's reports apart: dora's are not ines's to send.
    page.goto(f"{site}/forms")
    page.wait_for_selector("#outbox ul.sent li.note")
    assert page.locator("#outbox li[data-instance]").count() == 0

    after = _weekly(database)
    assert after["at_mines"] == before["at_mines"] + 3
    assert after["hectares_cleared"] == pytest.approx(before["hectares_cleared"] + 2.5)
    assert after["activities"] == before["activities"] + 1


def test_a_report_filled_offline_waits_in_the_browser_and_is_sent_when_back_online(
    page: Page, site: str, database: str
) -> None:
    _log_in(page, site, "dora", "/forms")
    _fill_clearance(page, site, cleared_m2="1000", at_mines="1")
    stored = _stored(database)
    page.context.set_offline(True)
    _send(page)
    _until(page, "() => document.getElementById('form-status').textContent"
           ".includes('kept in this browser')")  # fmt: skip
    waiting = page.locator("#outbox ul.waiting li[data-instance]")
    assert waiting.count() == 1
    assert _stored(database) == stored, "nothing reached the server"
    _shot(page, "06-offline-waiting")

    # Still offline, the form opens again (the service worker's copy), the report waiting.
    page.reload()
    page.wait_for_selector("#odk-form[data-ready=true] .question-container")
    assert page.locator("#outbox ul.waiting li[data-instance]").count() == 1
    _shot(page, "07-offline-reloaded")

    page.context.set_offline(False)
    _until(page, "() => !document.querySelector('#outbox ul.waiting li[data-instance]')")
    assert _stored(database)[0] == stored[0] + 1
    sent = page.locator("#outbox ul.sent li[data-instance]")
    assert "waits for review" in sent.first.inner_text()
    _shot(page, "08-back-online-sent")


def test_the_form_opens_in_the_readers_language(page: Page, site: str) -> None:
    _log_in(page, site, "dora", "/forms")
    page.click('#languages button[value="az"]')
    page.wait_for_selector('html[lang="az"]')
    page.goto(f"{site}/forms/{FORM}")
    page.wait_for_selector("#odk-form[data-ready=true] .question-container")
    labels = page.locator(".question-container label[for^='node:']").all_inner_texts()
    assert "Kind of work" not in " ".join(labels)
    _shot(page, "09-azerbaijani")
    page.click('#languages button[value="en"]')
