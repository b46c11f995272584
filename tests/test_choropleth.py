"""The dashboard map's choropleth, server side: natural-break classes (zero and no data
apart), the week's figures by district exactly as the public district figures give
them, names in the reader's language at a point inside each district, and the legend
written per locale; on the demo register, both databases."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
import shapely
from fastapi.testclient import TestClient

from demine.analysis.district_choropleth import (
    MEASURES,
    NO_DATA,
    ZERO,
    class_key,
    district_choropleth,
)
from demine.analysis.public_districts import public_district_figures
from demine.analysis.summary import Summariser
from demine.domain.class_breaks import ValueClass, class_of, natural_breaks
from demine.domain.periods import parse_iso_week
from demine.domain.vocab import AdminLevel
from demine.i18n import format_number, using_locale
from demine.settings import Settings
from demine.store.engine import Store, open_store
from demine.store.reader import RegisterReader
from demine.web.app import create_app
from demine.web.choropleth import DECIMALS, NO_DATA_COLOUR, PALETTES, ZERO_COLOUR, legend_entries

#: The demo's last complete week with approved records (as in tests/test_browser.py).
DEMO_WEEK = "2025-W52"


def _spread(classes: list[ValueClass], values: list[float]) -> float:
    """The sum over classes of squared deviations from the class mean."""
    total = 0.0
    for value_class in classes:
        members = [v for v in values if value_class.holds(v)]
        mean = sum(members) / len(members)
        total += sum((v - mean) ** 2 for v in members)
    return total


def _best_by_trying_all(values: list[float], count: int) -> float:
    """The least spread of any ``count`` classes, found by trying every cut."""
    distinct = sorted(set(values))
    best = float("inf")
    for cuts in itertools.combinations(range(1, len(distinct)), count - 1):
        edges = [0, *cuts, len(distinct)]
        classes = [ValueClass(distinct[a], distinct[b - 1]) for a, b in itertools.pairwise(edges)]
        best = min(best, _spread(classes, values))
    return best


@pytest.mark.parametrize(
    "values",
    [
        [1, 1, 2, 2, 40, 41, 41, 90, 100, 250],
        [93, 115, 21, 105, 43, 32, 32, 81, 105, 42, 63, 32],
        [0.5, 0.7, 3.2, 3.3, 3.3, 8.0, 9.5, 12.25, 30.0],
    ],
)
def test_natural_breaks_are_the_least_spread_classes(values: list[float]) -> None:
    for count in (2, 3, 5):
        classes = natural_breaks(values, count)
        assert len(classes) == count
        assert _spread(classes, values) == pytest.approx(_best_by_trying_all(values, count))


def test_natural_breaks_never_split_equal_values_and_leave_zero_out() -> None:
    assert natural_breaks([0, 0, 1, 1, 2, 2, 40, 41, 41, 90, 100, 250], 3) == [
        ValueClass(1, 41), ValueClass(90, 100), ValueClass(250, 250),
    ]  # fmt: skip
    # Never more classes than distinct positive values; zeros are no class.
    assert natural_breaks([5, 5, 5, 0]) == [ValueClass(5, 5)]
    assert natural_breaks([0, 0]) == [] and natural_breaks([]) == []
    assert natural_breaks([3, 1, 2], 5) == [ValueClass(1, 1), ValueClass(2, 2), ValueClass(3, 3)]
    with pytest.raises(ValueError):
        natural_breaks([1], 0)


def test_every_value_falls_in_one_class_and_zero_in_none() -> None:
    values = [0.0, 27.31, 27.8, 37.04, 41.6, 42.8, 53.57, 54.36, 70.6, 87.41, 104.79, 114.3]
    classes = natural_breaks(values)
    assert len(classes) == 5
    assert all(a.highest < b.lowest for a, b in itertools.pairwise(classes))
    assert [class_of(v, classes) for v in values] == [None, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4]
    with pytest.raises(ValueError):
        class_of(60.0, classes)


def test_the_legend_writes_ranges_per_locale_highest_first() -> None:
    classes = [ValueClass(1.25, 1.25), ValueClass(1234.5, 5678.25)]
    with using_locale("ru"):
        entries = legend_entries("hectares_cleared", classes)
        labels = [entry["label"] for entry in entries]
        assert labels[0].startswith("1\u00a0234,5") and "5\u00a0678,2" in labels[0]
        assert labels[1] == "1,2"  # one value: no range
    assert [entry["key"] for entry in entries] == ["class-1", "class-0", ZERO, NO_DATA]
    assert [entry["colour"] for entry in entries] == [
        *reversed(PALETTES["hectares_cleared"][1]), ZERO_COLOUR, NO_DATA_COLOUR,
    ]  # fmt: skip
    with using_locale("en"):
        assert legend_entries("devices_found", [ValueClass(1000, 2500)])[0]["label"] == (
            "1,000 to 2,500"
        )


@pytest.fixture(scope="module")
def demo(demo_database_url: str) -> Iterator[Store]:
    opened = open_store(demo_database_url)
    yield opened
    opened.dispose()


def test_the_choropleth_holds_the_public_figures_of_the_week(demo: Store) -> None:
    period = parse_iso_week(DEMO_WEEK)
    with demo.read() as connection:
        reader = RegisterReader(connection, "AZ")
        summariser = Summariser(reader)
        choropleth = district_choropleth(summariser, period, "en")
        public = public_district_figures(reader, period.start, period.end)
        total = summariser.summarise(period.start, period.end).total
    rows = {row["code"]: row for row in public["districts"]}
    assert [d.code for d in choropleth.districts] == list(rows)
    for district in choropleth.districts:
        row = rows[district.code]
        assert district.reported is row["reported"]
        for name, value in district.figures.items():
            assert value == row[name], (district.code, name)
    # Exact: the districts add up to the week's national figures.
    shaded = choropleth.districts
    assert sum(d.figures["devices_found"] for d in shaded) == total.devices
    assert sum(d.figures["hectares_cleared"] for d in shaded) == pytest.approx(
        total.area_cleared_m2 / 10_000, abs=0.01
    )
    assert total.devices > 0 and any(d.reported for d in shaded)
    for measure in MEASURES:
        classes = choropleth.classes[measure]
        assert 1 <= len(classes) <= 5
        used = {d.shades[measure] for d in shaded}
        # Every class holds a district (natural breaks leave none empty).
        assert {class_key(i) for i in range(len(classes))} <= used
        for district in shaded:
            value = district.figures[measure]
            shade = district.shades[measure]
            if not district.reported:
                assert shade == NO_DATA and value == 0
            elif value == 0:
                assert shade == ZERO
            else:
                index = int(shade.removeprefix("class-"))
                assert classes[index].lowest <= value <= classes[index].highest


def test_district_names_are_in_the_readers_language_inside_their_district(demo: Store) -> None:
    period = parse_iso_week(DEMO_WEEK)
    with demo.read() as connection:
        summariser = Summariser(RegisterReader(connection, "AZ"))
        shown = {
            language: district_choropleth(summariser, period, language)
            for language in ("en", "az", "ru")
        }
    areas = summariser.places.areas
    for language, choropleth in shown.items():
        for district in choropleth.districts:
            area = areas[district.code]
            assert area.level is AdminLevel.DISTRICT
            assert district.name == area.name_in(language)
            if area.geometry is not None:
                assert district.label_point is not None
                assert shapely.covers(area.geometry, shapely.Point(district.label_point))
    names = {lang: {d.code: d.name for d in c.districts} for lang, c in shown.items()}
    assert names["az"]["AZ-KHN"] == "Xankəndi" and names["ru"]["AZ-KHN"] == "Ханкенди"
    assert names["en"]["AZ-KHN"] == "Khankendi"
    ranks = sorted(d.label_rank for d in shown["en"].districts if d.label_point)
    assert ranks == list(range(len(ranks)))


def _config(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', html)
    assert found is not None
    return dict(json.loads(found.group(1)))


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_the_public_dashboard_carries_the_choropleth_and_a_measurable_trend_chart(
    demo: Store, language: str
) -> None:
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), demo))
    answer = client.get(f"/?week={DEMO_WEEK}", headers={"Accept-Language": language})
    assert answer.status_code == 200
    html = answer.text
    config = _config(html)
    choropleth = config["choropleth"]
    assert isinstance(choropleth, dict) and choropleth["week"] == DEMO_WEEK
    period = parse_iso_week(DEMO_WEEK)
    with demo.read() as connection:
        public = public_district_figures(RegisterReader(connection, "AZ"), period.start, period.end)
    figures = {row["code"]: row for row in public["districts"]}
    # Aggregates only: the figures of the public district figures, and no record.
    for row in choropleth["districts"]:
        expected = figures[row["code"]]
        assert {m: row[m] for m in MEASURES} == {m: expected[m] for m in MEASURES}
        assert row["reported"] is expected["reported"]
        assert set(row) == {
            "code", "name", "label_point", "label_rank", "reported", "shades",
            "devices_found", "hectares_cleared", "ap_mines", "at_mines", "uxo", "other_devices",
        }  # fmt: skip
    # The legend is in the page, numbers as the language writes them.
    for measure, shown in choropleth["measures"].items():
        assert DEMO_WEEK in shown["title"]
        for entry in shown["legend"]:
            assert f'data-key="{entry["key"]}"' in html and entry["label"] in html
        with using_locale(language):
            highest = max(float(row[measure]) for row in choropleth["districts"])
            assert format_number(highest, DECIMALS[measure]) in shown["legend"][0]["label"]
    # The trend chart comes inside the page (a part the page asks for once its map is
    # drawn): its first bar and its legend can be measured.
    assert f'data-src="/dashboard/charts?week={DEMO_WEEK}"' in html
    part = client.get(
        f"/dashboard/charts?week={DEMO_WEEK}", headers={"Accept-Language": language}
    ).text
    assert 'id="trend-legend"' in part and 'id="trend-bar-ap_mines-0"' in part
    assert '<div class="chart-scroll"><svg id="trend" class="chart" role="img"' in part
    chart = part.split('<svg id="trend"', 1)[1].split("</svg>")[0]
    assert not re.findall(r'\bid="(?!trend-)', chart)  # no id that could clash
    # matplotlib's ``*{…}`` rule would restyle every line of the page's map: kept inside.
    rules = re.findall(r"<style[^>]*>(.*?)</style>", html + part, re.DOTALL)
    assert rules and all(rule.strip().startswith("#trend *{") for rule in rules)
    # The boundaries' licence (CC BY-SA 3.0) asks for their credit on the map.
    words = json.loads(html.split('id="words">', 1)[1].split("</script>", 1)[0])
    assert "geoBoundaries" in words["credit"] and "CC BY-SA 3.0" in words["credit"]


def test_a_week_without_figures_has_every_district_without_data(demo: Store) -> None:
    period = parse_iso_week("1999-W01")
    with demo.read() as connection:
        choropleth = district_choropleth(Summariser(RegisterReader(connection, "AZ")), period, "en")
    assert choropleth.districts and all(
        d.shades == {m: NO_DATA for m in MEASURES} for d in choropleth.districts
    )
    assert choropleth.classes == {m: [] for m in MEASURES}
    assert legend_entries("devices_found", [])[-2:] == [
        {"key": ZERO, "colour": ZERO_COLOUR, "label": "0 (none)"},
        {"key": NO_DATA, "colour": NO_DATA_COLOUR, "label": "No data"},
    ]
    assert date(1999, 1, 4) == period.start
