"""The dashboard in a browser: from logging in to a drawn map, on the whole register.

Debian's Chromium, driven by Playwright as the browser tests drive it
(``tests/browser_session.py``), with a 1280 × 1000 window: a viewer logs in on
``/login?next=/`` and the clock stops when the map has drawn every layer the viewer
gets (the page says so on the map: ``data-features-<layer>`` for each layer of its
``map-config``; finds, hazards and accidents are vector tiles, said drawn when every
tile on screen has arrived). Cold: the first login after the server started (median over
``context.repeats`` fresh servers); warm: the same again in a new browser context (no
cache, no cookie), median. Also: the time to the dashboard's page (logged in, its HTML
read, before any script ran), the requests the page made and the bytes it received.

No reference tool: the figure is held to an absolute limit (2 s, issue 19).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from harness import Context, Limit, Side
from peers.scratch import USERNAME, scratch_register
from peers.servers import demine_server, free_port

TITLE = "Dashboard in Chromium: login to a drawn map, whole register (cold, warm)"
BACKENDS = ("sqlite", "postgis")
REFERENCE = "none (absolute limit)"
COMPARISONS = ()
LIMITS = (Limit("warm_s", 2.0, "s"), Limit("cold_s", 2.0, "s"))
PASSWORD = "benchmark-only-password"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
WORKERS = 2
#: Every layer the page's map shows at first has said how many features it drew (the
#: predicted risk layer starts switched off, so it never draws unless asked).
_DRAWN = """() => {
  const config = document.getElementById('map-config');
  const map = document.getElementById('map');
  if (!config || !map) return false;
  const layers = JSON.parse(config.textContent).layers.filter((name) => name !== 'risk');
  return layers.every((name) =>
    map.dataset['features' + name[0].toUpperCase() + name.slice(1)] !== undefined);
}"""


def _first_load(browser: Any, base: str) -> dict[str, float]:
    """Log in and wait for the drawn map: seconds, requests and bytes received."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    requests: list[Any] = []

    def record(request: Any) -> None:
        requests.append(request)

    page.goto(f"{base}/login?next=/")
    page.fill('input[name="username"]', USERNAME)
    page.fill('input[name="password"]', PASSWORD)
    page.on("requestfinished", record)
    started = time.perf_counter()
    page.click('#login-form button[type="submit"]')
    page.wait_for_url(f"{base}/", wait_until="domcontentloaded")
    page_loaded = time.perf_counter() - started
    page.wait_for_function(_DRAWN, polling=20)
    elapsed = time.perf_counter() - started
    page.remove_listener("requestfinished", record)
    received = sum(request.sizes().get("responseBodySize", 0) for request in requests)
    context.close()
    return {
        "seconds": elapsed,
        "page": page_loaded,
        "requests": float(len(requests)),
        "bytes": float(received),
    }


def measure_demine(context: Context) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"this case needs Debian's Chromium at {CHROMIUM}")
    url, token = scratch_register(context.database_url, context.work, "dashboard_first_load")
    headers = {"Authorization": f"Bearer {token}"}
    colds: list[dict[str, float]] = []
    warms: list[dict[str, float]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(max(1, context.repeats)):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            with demine_server(
                context, "dashboard_first_load", url, port, "/api/me", headers, WORKERS
            ):
                colds.append(_first_load(browser, base))
                for _ in range(max(1, context.repeats)):
                    warms.append(_first_load(browser, base))
        browser.close()
    return {
        "cold_s": statistics.median(c["seconds"] for c in colds),
        "warm_s": statistics.median(w["seconds"] for w in warms),
        "warm_page_s": statistics.median(w["page"] for w in warms),
        "requests": statistics.median(w["requests"] for w in warms),
        "received_kb": statistics.median(w["bytes"] for w in warms) / 1024,
    }


def measure(side: Side, context: Context) -> dict[str, float]:
    if side == "demine":
        return measure_demine(context)
    return {}
