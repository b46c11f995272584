"""The entry page's map in a real browser (Debian's Chromium through Playwright), on the
demo register: a data-entry clerk picks the hazard worked (drawn on the map to snap to),
draws the cleared polygon, sees its area as it is drawn, saves it, and the stored
activity has the same area; a polygon that crosses itself is refused as it is drawn,
and, typed as WKT, by the server with the place of the crossing. Coordinates typed in
degrees-minutes-seconds are put on the map. Screenshots go to ``test-artifacts/browser/``
(``geometry-*.png``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest
import shapely
from tests.test_browser import _log_in, _shot, _until, page, site

from demine.ingest.geometry_input import geodesic_area_m2

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
__all__ = ["page", "site"]  # the fixtures, shared with test_browser.py

#: The drawing tools' buttons (leaflet-geoman's toolbar).
POLYGON_TOOL = ".leaflet-pm-toolbar .leaflet-pm-icon-polygon"
EDIT_TOOL = ".leaflet-pm-toolbar .leaflet-pm-icon-edit"
#: Three corners typed as a GPS shows them.
TRIANGLE_DMS = ("40°20'31\"N 46°55'55\"E", "40°20'51\"N 46°55'55\"E", "40°20'51\"N 46°56'33\"E")
#: A polygon drawn around the map's centre, in pixels from it (a quadrilateral).
CORNERS = [(-90, -50), (80, -60), (100, 45), (-70, 55)]


def _a_hazard(page: Page, site: str) -> str:
    """An open hazard area of the demo in Tartar, with a polygon."""
    answer = page.request.get(f"{site}/api/hazards?district=Tartar&limit=1000").json()
    for record in answer["items"]:
        if (record.get("wkt") or "").startswith("POLYGON") and record.get("status") == "open":
            return str(record["external_id"])
    raise AssertionError("the demo has no open hazard polygon in Tartar")


def _fill_activity(page: Page, key: str, hazard: str) -> None:
    activity = page.locator("#activity")
    activity.locator('[name="external_id"]').fill(key)
    activity.locator('[name="kind"]').select_option("clearance")
    activity.locator('[name="district"]').select_option("Tartar")
    activity.locator('[name="start_date"]').fill("2025-12-22")
    activity.locator('[name="end_date"]').fill("2025-12-24")
    activity.locator('[name="hazard"]').fill(hazard)
    activity.locator('[name="hazard"]').dispatch_event("change")


def _draw(page: Page, corners: list[tuple[int, int]], *, close: bool = True) -> None:
    """Click the polygon tool, then each corner (pixels from the map's centre)."""
    page.click(POLYGON_TOOL)
    box = page.locator("#entry-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in corners:
        page.mouse.move(cx + dx, cy + dy, steps=4)
        page.mouse.click(cx + dx, cy + dy)
    if close:
        first = corners[0]
        page.mouse.move(cx + first[0], cy + first[1], steps=4)
        page.mouse.click(cx + first[0], cy + first[1])


def _corner_handle(page: Page, near: tuple[float, float]) -> tuple[float, float]:
    """The centre of the editor's corner handle nearest ``near`` (page pixels), once the
    editor shows a handle for every corner."""
    handles = "#entry-map .marker-icon:not(.marker-icon-middle)"
    _until(page, f"() => document.querySelectorAll('{handles}').length >= 4")
    centres = []
    for handle in page.locator(handles).all():
        box = handle.bounding_box()
        if box is not None:
            centres.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    return min(centres, key=lambda c: (c[0] - near[0]) ** 2 + (c[1] - near[1]) ** 2)


def test_a_cleared_polygon_drawn_on_the_map_is_stored_with_its_area(page: Page, site: str) -> None:
    _log_in(page, site, "dora", "/entry")
    hazard = _a_hazard(page, site)
    _fill_activity(page, "ACT-DRAWN-1", hazard)
    # The hazard worked is drawn on the map, which turns to it.
    _until(page, "() => document.getElementById('geometry').dataset.hazard !== undefined")
    _draw(page, CORNERS)
    _until(page, "() => document.querySelector('#activity [name=\"wkt\"]').value !== ''")
    measure = page.locator("#geometry-measure")
    shown = float(str(measure.get_attribute("data-area-m2")))
    assert "m²" in measure.inner_text() and "ha" in measure.inner_text()
    assert shown > 1000
    _shot(page, "geometry-01-polygon-drawn")
    page.click("#use-area")
    # The page rounds as JavaScript does (halves up), not to the even neighbour.
    whole_m2 = math.floor(shown + 0.5)
    assert page.locator('#activity [name="area_cleared_m2"]').input_value() == str(whole_m2)
    page.click("#save-draft")
    _until(page, "() => document.getElementById('entry-status').textContent.includes('draft')")
    _shot(page, "geometry-02-saved")

    stored = page.request.get(f"{site}/api/activities/ACT-DRAWN-1").json()
    polygon = shapely.from_wkt(stored["wkt"])
    assert polygon.geom_type == "Polygon" and len(polygon.exterior.coords) == 5
    # The must-show asks for 0.5%; the page measures on the ellipsoid, so it is far closer.
    assert geodesic_area_m2(polygon) == pytest.approx(shown, rel=1e-4)
    assert float(stored["area_cleared_m2"]) == whole_m2
    assert stored["hazard"] == hazard and stored["review_status"] == "draft"

    # Opened again, the draft's polygon is on the map with the same area.
    page.goto(f"{site}/entry?activity=ACT-DRAWN-1")
    _until(page, "() => document.getElementById('geometry-measure').dataset.areaM2 !== undefined")
    again = float(str(page.locator("#geometry-measure").get_attribute("data-area-m2")))
    assert again == pytest.approx(shown, rel=1e-6)


def test_a_polygon_that_crosses_itself_is_refused(page: Page, site: str) -> None:
    _log_in(page, site, "dora", "/entry")
    _fill_activity(page, "ACT-DRAWN-2", _a_hazard(page, site))
    _until(page, "() => document.getElementById('geometry').dataset.hazard !== undefined")
    # A bow tie: the fourth corner would make the last side cross the first.
    _draw(page, [(-90, -50), (90, 50), (90, -50), (-90, 50)], close=False)
    measure = page.locator("#geometry-measure")
    _until(page, "() => document.getElementById('geometry-measure').classList.contains('bad')")
    assert "may not cross itself" in measure.inner_text()
    _shot(page, "geometry-03-crossing-refused-on-the-spot")
    page.click(".leaflet-pm-toolbar .button-container.active .action-cancel")
    assert page.locator('#activity [name="wkt"]').input_value() == ""

    # A square, then a corner dragged across the opposite side: the edit is undone.
    _draw(page, [(-60, -40), (60, -40), (60, 40), (-60, 40)])
    _until(page, "() => document.querySelector('#activity [name=\"wkt\"]').value !== ''")
    square = page.locator('#activity [name="wkt"]').input_value()
    page.click(EDIT_TOOL)
    box = page.locator("#entry-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The corner is taken where the editor put its handle: drawing may have snapped it to
    # the hazard's outline, a few pixels from where it was clicked.
    x, y = _corner_handle(page, (cx + 60, cy + 40))
    page.mouse.move(x, y, steps=4)
    page.mouse.down()
    page.mouse.move(cx - 20, cy + 20, steps=10)
    page.mouse.move(cx - 100, cy, steps=10)
    page.mouse.up()
    _until(page, "() => document.getElementById('geometry-measure').classList.contains('bad')")
    assert "undone" in measure.inner_text()
    assert page.locator('#activity [name="wkt"]').input_value() == square
    _shot(page, "geometry-04-crossing-edit-undone")
    page.click(EDIT_TOOL)

    # Typed as WKT, it reaches the server, which refuses it beside the field.
    page.click("#wkt-text summary")
    page.fill('#activity [name="wkt"]',
              "POLYGON ((46.9 40.1, 46.91 40.11, 46.91 40.1, 46.9 40.11, 46.9 40.1))")  # fmt: skip
    page.click("#save-draft")
    problem = page.wait_for_selector('#activity [data-problem="wkt"]:not(:empty)')
    assert "the polygon crosses itself near latitude 40.10500, longitude 46.90500" in (
        problem.inner_text()
    )
    _shot(page, "geometry-05-crossing-refused-by-the-server")


def test_typed_coordinates_and_a_gps_file_are_put_on_the_map(page: Page, site: str) -> None:
    _log_in(page, site, "dora", "/entry")
    page.click("#typed-coordinates summary")
    page.fill("#coordinates-text", "40°20'31\"N 46°55'55\"E\nabc")
    page.click("#coordinates-read")
    problem = page.wait_for_selector('#geometry [data-problem="coordinates"]:not(:empty)')
    assert problem.inner_text() == "line 2: unexpected text 'ABC'"
    page.fill("#coordinates-text", "\n".join(TRIANGLE_DMS))
    page.click("#coordinates-read")
    _until(page, "() => document.getElementById('geometry-measure').dataset.areaM2 !== undefined")
    wkt = page.locator('#activity [name="wkt"]').input_value()
    assert wkt.startswith("POLYGON ((46.9319444")
    shown = float(str(page.locator("#geometry-measure").get_attribute("data-area-m2")))
    assert geodesic_area_m2(shapely.from_wkt(wkt)) == pytest.approx(shown, rel=0.001)
    _shot(page, "geometry-06-typed-coordinates")

    # A track walked round the area with a GPS, uploaded: the same triangle.
    page.click("#gps-upload summary")
    page.set_input_files("#gps-file", files=[{"name": "walk.gpx", "mimeType": "application/gpx+xml",
                                              "buffer": GPX_TRACK.encode()}])  # fmt: skip
    _until(page, "(before) => document.querySelector('#activity [name=\"wkt\"]').value !== before",
           arg=wkt)  # fmt: skip
    walked = shapely.from_wkt(page.locator('#activity [name="wkt"]').input_value())
    assert walked.symmetric_difference(shapely.from_wkt(wkt)).area < 1e-12
    _shot(page, "geometry-07-gps-track")


#: The triangle above as a GPS track (GPX 1.1, closed where it started).
GPX_TRACK = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="eTrex" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="40.3419444444" lon="46.9319444444"/><trkpt lat="40.3475" lon="46.9319444444"/>
<trkpt lat="40.3475" lon="46.9425"/><trkpt lat="40.3419444444" lon="46.9319444444"/>
</trkseg></trk></gpx>"""
