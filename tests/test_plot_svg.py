"""Charts drawn straight to SVG (reports.plot, reports.bulletin.drawing): the ticks
matplotlib would choose, labels in the reader's language, thousands of finds as one
picture, and a bulletin PDF that never loads matplotlib."""

from __future__ import annotations

import base64
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from datetime import date, timedelta
from pathlib import Path

import pytest
from shapely.geometry import Point, box

from demine.analysis.bulletin import MapFeatures, SeriesPoint
from demine.analysis.summary import FigureSource
from demine.domain.periods import Period, PeriodKind
from demine.i18n import using_locale
from demine.reports.bulletin.drawing import cumulative_chart, period_map, trend_chart
from demine.reports.bulletin.palette import DENSE_MAP_FEATURES
from demine.reports.plot.ticks import data_range, nice_ticks, tick_bins

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("low", "high", "length"),
    [
        (0.0, 8739.15, 155.2),
        (0.0, 399.73, 155.2),
        (-31845.8, 669069.8, 144.1),
        (-20.25, -14.75, 401.8),
        (37.9, 40.1, 209.0),
        (0.0, 1.05, 100.0),
        (-0.935, 11.935, 401.8),
        (1_000_000.0, 1_000_010.0, 155.2),
        (0.0, 0.0004, 155.2),
    ],
)
def test_ticks_are_the_ones_matplotlib_chooses(low: float, high: float, length: float) -> None:
    from matplotlib.ticker import MaxNLocator

    bins = tick_bins(length, 8.0, horizontal=False)
    expected = MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    inside = [float(t) for t in expected if low - 1e-9 <= t <= high + 1e-9]
    assert nice_ticks(low, high, bins) == pytest.approx(inside)


def test_ranges_have_margins_except_at_a_bars_base() -> None:
    assert data_range([0.0, 100.0]) == pytest.approx((-5.0, 105.0))
    assert data_range([10.0, 100.0], sticky_low=0.0) == pytest.approx((0.0, 105.0))
    assert data_range([5.0, 5.0])[0] < 5.0 < data_range([5.0, 5.0])[1]
    assert tick_bins(1000.0, 8.0, horizontal=True) == 9
    assert tick_bins(20.0, 8.0, horizontal=False) == 1


def _svg(uri: str) -> ElementTree.Element:
    assert uri.startswith("data:image/svg+xml;base64,")
    return ElementTree.fromstring(base64.b64decode(uri.split(",", 1)[1]))


def _texts(root: ElementTree.Element) -> list[str]:
    return [node.text or "" for node in root.iter(f"{SVG}text")]


def _weeks(count: int) -> list[SeriesPoint]:
    first = date(2024, 4, 15)
    return [
        SeriesPoint(
            Period(first + timedelta(weeks=i), first + timedelta(weeks=i, days=6), PeriodKind.WEEK),
            FigureSource.RECORDS if i else FigureSource.REPORTED_SUMMARIES,
            100 + i,
            20,
            1500 * i,
            3,
            250.5 + i,
        )
        for i in range(count)
    ]


def test_trend_chart_has_bars_legend_and_numbers_in_the_readers_language() -> None:
    with using_locale("ru"):
        root = _svg(trend_chart(_weeks(12), "Последние 12 периодов"))
    texts = _texts(root)
    assert "Последние 12 периодов" in texts
    assert "P" in texts  # the first week's figures come from a published summary
    assert "10\u00a0000" in texts  # the devices axis, grouped as Russian groups
    assert len(root.findall(f".//{SVG}rect")) >= 3 * 12
    width, height = (float(root.get(name, "0").removesuffix("pt")) for name in ("width", "height"))
    assert 400 < width < 520 and 150 < height < 260


def test_cumulative_chart_draws_every_series_and_the_area() -> None:
    root = _svg(cumulative_chart(_weeks(30), "Cumulative by month"))
    assert len(root.findall(f".//{SVG}polyline")) >= 3
    assert len(root.findall(f".//{SVG}polygon")) == 1
    assert "Hectares cleared (cumulative)" in _texts(root)


def _features(finds: int) -> MapFeatures:
    districts = [("North", box(45.0, 39.5, 46.0, 40.0)), ("South", box(45.0, 39.0, 46.0, 39.5))]
    points = [
        ("AP_MINE" if i % 7 == 0 else "UXO", Point(45 + i % 97 / 97, 39 + i % 89 / 89), i % 5)
        for i in range(finds)
    ]
    released = [("CLEARED", box(45.1, 39.1, 45.2, 39.2))]
    return MapFeatures(districts, points, released)


def test_a_sparse_map_draws_each_find_and_a_dense_one_a_picture() -> None:
    sparse = _svg(period_map(_features(40), "Week 27"))
    assert len(sparse.findall(f".//{SVG}circle")) >= 40
    assert sparse.findall(f".//{SVG}image") == []
    assert {"North", "South", "Released land", "AP mine", "UXO"} <= set(_texts(sparse))
    dense = _svg(period_map(_features(DENSE_MAP_FEATURES + 1), "Week 27"))
    images = dense.findall(f".//{SVG}image")
    assert len(images) == 1
    assert images[0].get("href", "").startswith("data:image/png;base64,")
    # The legend's dots only: the finds are in the picture.
    assert len(dense.findall(f".//{SVG}circle")) == 2
    with using_locale("az"):
        assert "45,2" in _texts(_svg(period_map(_features(40), "Həftə 27")))


def test_a_bulletin_pdf_never_loads_matplotlib(demo_database_url: str, tmp_path: Path) -> None:
    """Its import and its second layout pass were half of a national PDF's time."""
    script = (
        "import sys\n"
        "from demine.cli.main import run\n"
        "sys.argv = ['demine', *sys.argv[1:]]\n"
        "try:\n"
        "    run()\n"
        "finally:\n"
        "    assert 'matplotlib' not in sys.modules, 'matplotlib was loaded'\n"
    )
    pdf = tmp_path / "weekly.pdf"
    subprocess.run(
        [sys.executable, "-c", script, "--db", demo_database_url, "report", "weekly", "--week",
         "2024-W27", "--format", "pdf", "--output", str(pdf)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF")
