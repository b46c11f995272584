"""The national weekly series: one point per ISO week, its source, missing weeks shown."""

from __future__ import annotations

import json
from datetime import date

from tests.helpers import load_sample
from typer.testing import CliRunner

from demine.analysis.series import weekly_series
from demine.analysis.summary import FigureSource
from demine.cli.main import app
from demine.store.engine import Store
from demine.store.reader import RegisterReader

runner = CliRunner()


def test_demo_series_has_every_week_from_records(demo_database_url: str) -> None:
    result = runner.invoke(
        app,
        ["--db", demo_database_url, "report", "series", "--from", "2021-01", "--to", "2025-12"],
        catch_exceptions=False,
    )
    series = json.loads(result.output)
    assert len(series["weeks"]) == 260
    assert series["weeks"][0]["period"] == "2021-W01"
    assert series["weeks"][-1]["period"] == "2025-W52"
    assert series["weeks_by_source"] == {"records": 260}
    assert series["missing_weeks"] == []
    seed_week = next(w for w in series["weeks"] if w["period"] == "2024-W27")
    assert (seed_week["ap_mines"], seed_week["at_mines"], seed_week["uxo"]) == (28, 107, 830)
    assert seed_week["hectares_cleared"] == 1039.5


def test_series_csv(demo_database_url: str) -> None:
    result = runner.invoke(
        app,
        ["--db", demo_database_url, "report", "series", "--from", "2024-07", "--to", "2024-07",
         "--format", "csv"],
        catch_exceptions=False,
    )  # fmt: skip
    lines = result.output.splitlines()
    assert lines[0] == (
        "period,period_start,period_end,source,ap_mines,at_mines,uxo,other_devices,hectares_cleared,"
        "read_and_reviewed"
    )
    assert lines[1].startswith("2024-W27,2024-07-01,2024-07-07,records,28,107,830,0,1039.5")
    assert len(lines) == 1 + 4  # W27..W30: the weeks whose Thursday is in July


def test_published_weeks_and_gaps_are_marked(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        series = weekly_series(
            RegisterReader(connection, "AZ"), date(2023, 12, 1), date(2023, 12, 31)
        )
    assert [(p.period.label, p.source) for p in series.points] == [
        ("2023-W49", FigureSource.NONE),
        ("2023-W50", FigureSource.REPORTED_SUMMARIES),
        ("2023-W51", FigureSource.NONE),
        ("2023-W52", FigureSource.NONE),
    ]
    published = series.points[1]
    assert (published.ap_mines, published.at_mines, published.uxo) == (22, 17, 234)
    assert published.hectares_cleared == 325.6
    assert [p.label for p in series.missing] == ["2023-W49", "2023-W51", "2023-W52"]
