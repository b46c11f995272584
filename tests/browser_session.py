"""Debian's Chromium driven by Playwright, launched once per session for every browser test.

Each test opens a context of its own (its own cookies, storage and routes), so sharing
the browser shares no state between tests; launching it per test cost about a CPU
second each time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> Path:
    """Debian's Chromium; skips the test when it is missing, except in CI (an error)."""
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests are mandatory in CI: {reason}")
        pytest.skip(reason)
    return CHROMIUM


def launched_chromium() -> Iterator[Browser]:
    """Chromium, launched through Playwright (never downloaded: Debian's own); closed
    when the generator is."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def checked_page(browser: Browser, *, allowed_blocks: str | None = None) -> Iterator[Page]:
    """A page in a fresh context of ``browser`` that reaches nothing beyond this machine;
    afterwards, fails the test if a script raised or the Content-Security-Policy blocked
    anything (but what holds ``allowed_blocks``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    # Nothing may leave the machine: every page works offline.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # The pages must work under their Content-Security-Policy: nothing it blocks.
    opened.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy" in message.text
            and (allowed_blocks is None or allowed_blocks not in message.text)
            else None
        ),
    )
    yield opened
    context.close()
    assert not errors, f"script errors in the pages: {errors}"
