"""A read news item reviewed in a real browser (Debian's Chromium through Playwright)
against a real ``demine serve`` on the demo register: the item's reader abstained on its
anti-tank mines (two candidate figures); an information manager opens it from the
review queue, sees the spans read marked in its text, picks the right candidate, and
approves it. The national series changes by exactly that item, in exactly its week,
marked read and reviewed. Screenshots go to ``test-artifacts/browser/``
(``news-item-*.png``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser_session import checked_page, chromium_path
from tests.conftest import DATA
from tests.migrated_copies import copy_sqlite_database
from tests.test_browser import ARTIFACTS, _log_in, _shot, _until
from tests.web_fixtures import PASSWORD
from tests.web_server import serving
from typer.testing import CliRunner

from demine.cli.main import app
from demine.ingest.news_items import parse_news_item
from demine.ingest.news_items.model import Candidate, FieldReading
from demine.ingest.news_items.summaries import stored_reading, text_digest
from demine.store.engine import open_store
from demine.store.news_items import NewNewsItem, add_items, news_items
from demine.store.users import add_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: The seed item, moved to a week after the demo register's records end (2026-W02).
TEXT = (
    (DATA / "bulletins" / "seed-bulletin.txt")
    .read_text(encoding="utf-8")
    .replace("08.07.2024", "12.01.2026")
    .replace("01.07.2024 - 07.07.2024", "05.01.2026 - 11.01.2026")
    .replace("2024-07-08 8 July 2024", "2026-01-12 12 January 2026")
)
WEEK = "2026-W02"


@pytest.fixture(scope="module")
def review_site(
    tmp_path_factory: pytest.TempPathFactory, demo_sqlite_template: Path
) -> Iterator[tuple[str, str]]:
    """A server on a fresh copy of the demo register with an information manager, and
    the database's URL."""
    chromium_path()
    path = tmp_path_factory.mktemp("news-review") / "demo.db"
    copy_sqlite_database(demo_sqlite_template, path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    with store.write() as connection:
        add_user(connection, "ines", PASSWORD, "information_manager")
    store.dispose()
    with serving(url) as base:
        yield base, url


@pytest.fixture
def page(review_site: tuple[str, str], chromium_browser: Browser) -> Iterator[Page]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield from checked_page(chromium_browser)


def _series(url: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["--db", url, "report", "series", "--from", "2025-12", "--to", "2026-02"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def _store_item_abstaining_on_at_mines(url: str) -> int:
    """The item as the abstaining reader gives it: anti-tank mines left empty, with the
    two figures that could be them as candidates."""
    parsed = parse_news_item(TEXT, source="seed-2026.txt")
    reading = stored_reading(parsed, TEXT)
    ap_mines, at_mines = TEXT.index("28 anti-personnel"), TEXT.index("107 anti-tank")
    reading["readings"]["at_mines"] = FieldReading(
        None,
        candidates=(
            Candidate(28, (ap_mines, ap_mines + 2)),
            Candidate(107, (at_mines, at_mines + 3)),
        ),
        reason="two figures could be the week's anti-tank mines",
    ).to_json()
    item = NewNewsItem(text_digest(TEXT), "AZ", "seed-2026.txt", "seed-2026.txt", TEXT, reading)
    store = open_store(url)
    with store.write() as connection:
        add_items(connection, [item], "operator (viewer)", datetime.now(UTC))
        [stored] = news_items(connection, "AZ")
    store.dispose()
    return stored.id


def test_an_abstained_field_is_completed_and_the_item_enters_the_series(
    page: Page, review_site: tuple[str, str]
) -> None:
    site, url = review_site
    item_id = _store_item_abstaining_on_at_mines(url)
    before = _series(url)
    week_before = next(week for week in before["weeks"] if week["period"] == WEEK)
    assert week_before["source"] == "none" and before["read_and_reviewed_weeks"] == []

    # The queue lists the item; its page marks what was read and what was not.
    _log_in(page, site, "ines", "/review")
    page.click(f'section.news-items a[href="/review/news-items/{item_id}"]')
    page.wait_for_url(f"{site}/review/news-items/{item_id}")
    text = page.locator("#news-item-text")
    assert text.locator('mark[data-fields~="ap_mines"]').first.inner_text() == "28"
    assert text.locator('mark[data-fields~="uxo"]').first.inner_text().startswith("830 ")
    assert text.locator('mark[data-candidate-of~="at_mines"]').count() == 2
    abstained = page.locator("#abstained li")
    # The anti-tank mines, and the day the victim figures are given as of (the seed
    # does not say it).
    assert abstained.count() == 2
    at_mines_abstained = page.locator('#abstained li[data-field="at_mines"]')
    assert "two figures could be the week's anti-tank mines" in at_mines_abstained.inner_text()
    at_mines = page.locator('#news-item-form input[name="at_mines"]')
    assert at_mines.input_value() == ""
    _shot(page, "news-item-1-abstained")

    # The right candidate is picked, and the item approved.
    abstained.locator('button.pick[data-value="107"]').click()
    assert at_mines.input_value() == "107"
    page.click("#approve-item")
    _until(page, "() => document.getElementById('news-item-status').dataset.status === 'approved'")
    assert at_mines.is_disabled()
    _shot(page, "news-item-2-approved")
    page.goto(f"{site}/review")
    assert page.locator(f'section.news-items a[href="/review/news-items/{item_id}"]').count() == 0

    # The series changed by exactly that item, in its week only, marked read and reviewed.
    after = _series(url)
    assert after["read_and_reviewed_weeks"] == [WEEK]
    changed = [
        (old["period"], new)
        for old, new in zip(before["weeks"], after["weeks"], strict=True)
        if {**old, "read_and_reviewed": None} != {**new, "read_and_reviewed": None}
    ]
    assert changed == [
        (WEEK, {**week_before, "source": "reported_summaries", "ap_mines": 28, "at_mines": 107,
                "uxo": 830, "hectares_cleared": 1039.5, "read_and_reviewed": True})
    ]  # fmt: skip
    assert after["weeks_by_source"]["reported_summaries"] == 1 + before["weeks_by_source"].get(
        "reported_summaries", 0
    )
