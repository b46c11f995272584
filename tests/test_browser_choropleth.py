"""The public dashboard's choropleth in a real browser (Debian's Chromium through
Playwright) on the demo register, at a laptop's 1366×768 and a phone's 390×844: every
district is filled with its class's colour from the legend, the districts' names are
written on the map without overlapping, and the legend hides nothing — neither the map
nor the first bar of the trend chart (nor does the chart's own legend). Screenshots go
to ``test-artifacts/browser/`` (``choropleth-*.png``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tests.test_browser import DEMO_WEEK, _map_drawn, _shot, _until, page, site

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
__all__ = ["page", "site"]  # the fixtures, shared with test_browser.py

VIEWPORTS = ((1366, 768), (390, 844))

#: Boxes of what the test compares, as the page lays them out (CSS pixels).
MEASURE = """() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  // The first week's bar: its stacked parts (an empty part has no width).
  const parts = [...document.querySelectorAll("#trend [id^='trend-bar-']")]
    .filter((element) => /^trend-bar-[a-z_]+-0$/.test(element.id))
    .map((element) => element.getBoundingClientRect())
    .filter((r) => r.width > 0);
  const least = (side) => Math.min(...parts.map((r) => r[side]));
  const most = (side) => Math.max(...parts.map((r) => r[side]));
  const firstBar = {left: least("left"), top: least("top"), right: most("right"),
    bottom: most("bottom")};
  const labels = [...document.querySelectorAll(".district-label span")]
    .filter((span) => span.style.visibility !== "hidden")
    .map((span) => ({code: span.dataset.code, text: span.textContent, ...box(span)}));
  const byId = (id) => box(document.getElementById(id));
  return {firstBar: firstBar, parts: parts.length, legend: byId("map-legend"),
    chartLegend: byId("trend-legend"), map: byId("map"), labels: labels};
}"""

#: Each district's fill and class, and the colour the visible legend gives that class.
FILLS = """() => {
  const legend = {};
  document.querySelectorAll("#map-legend .classes:not([hidden]) .class").forEach((entry) => {
    legend[entry.dataset.key] = entry.querySelector(".swatch").dataset.colour;
  });
  const paths = document.querySelectorAll(".leaflet-overlay-pane path.district");
  const shapes = [...paths].map((path) => ({fill: path.getAttribute("fill"),
    shade: path.dataset.shade}));
  return {legend: legend, shapes: shapes};
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def _config(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate("() => JSON.parse(document.getElementById('map-config').textContent)")
    )


def _check_fills(page: Page, expected_shades: dict[str, str]) -> dict[str, str]:
    drawn = page.evaluate(FILLS)
    legend, shapes = drawn["legend"], drawn["shapes"]
    assert len(shapes) == len(expected_shades)
    assert sorted(s["shade"] for s in shapes) == sorted(expected_shades.values())
    for shape in shapes:
        assert shape["fill"] == legend[shape["shade"]], shape
    return dict(legend)


def _load(page: Page, site: str, width: int, height: int) -> dict[str, Any]:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{site}/?week={DEMO_WEEK}")
    _map_drawn(page, "districts")
    _until(page, "() => document.getElementById('map').dataset.labels !== undefined")
    # The trend charts come once the map is drawn.
    _until(page, "() => document.getElementById('charts').dataset.charts === 'loaded'")
    return _config(page)


def test_the_public_map_shades_and_names_the_districts_and_its_legend_hides_nothing(
    page: Page, site: str
) -> None:
    for width, height in VIEWPORTS:
        choropleth = _load(page, site, width, height)["choropleth"]
        rows = {row["code"]: row for row in choropleth["districts"]}
        drawn = {code: row for code, row in rows.items() if row["label_point"]}
        assert len(drawn) == 14
        # Filled with the legend's colours, devices found first, then hectares cleared.
        devices = _check_fills(page, {c: r["shades"]["devices_found"] for c, r in drawn.items()})
        assert len(set(devices.values())) == len(devices) >= 4  # classes, zero, no data
        page.check('#map-legend input[value="hectares_cleared"]')
        _until(page, "() => document.getElementById('map').dataset.measure === 'hectares_cleared'")
        hectares = _check_fills(
            page, {c: r["shades"]["hectares_cleared"] for c, r in drawn.items()}
        )
        assert set(hectares.values()) != set(devices.values())
        _shot(page, f"choropleth-{width}x{height}-hectares")
        page.check('#map-legend input[value="devices_found"]')

        boxes = page.evaluate(MEASURE)
        # The names drawn are the districts' own, inside the map, none over another.
        labels = boxes["labels"]
        assert len(labels) >= (10 if width > 1000 else 6), labels
        assert all(label["text"] == rows[label["code"]]["name"] for label in labels)
        assert all(_overlap(label, boxes["map"]) for label in labels)
        assert not [
            (a["code"], b["code"]) for i, a in enumerate(labels) for b in labels[i + 1 :]
            if _overlap(a, b)
        ]  # fmt: skip
        # The legend hides neither the map nor the trend chart's first bar, and the
        # chart's own legend does not either.
        assert boxes["parts"] >= 1 and boxes["firstBar"]["bottom"] > boxes["firstBar"]["top"]
        assert not _overlap(boxes["legend"], boxes["map"])
        assert not _overlap(boxes["legend"], boxes["firstBar"])
        assert not _overlap(boxes["chartLegend"], boxes["firstBar"])
        _shot(page, f"choropleth-{width}x{height}")

    # In Russian: the names and the legend's numbers as Russian writes them.
    page.set_extra_http_headers({"Accept-Language": "ru"})
    choropleth = _load(page, site, *VIEWPORTS[0])["choropleth"]
    labels = {label["code"]: label["text"] for label in page.evaluate(MEASURE)["labels"]}
    names = {row["code"]: row["name"] for row in choropleth["districts"]}
    assert names["AZ-KHN"] == "Ханкенди"
    # Small districts (Khankendi, inside Khojaly) are named once zooming in makes room.
    assert len(labels) >= 7 and all(labels[code] == names[code] for code in labels)
    assert all(text in page.inner_text("#map") for text in labels.values())
    legend = page.inner_text("#map-legend")
    assert choropleth["measures"]["devices_found"]["legend"][0]["label"] in legend
    _shot(page, "choropleth-ru")
