"""Land-release accounting: the remaining area on any day, land released and efficiency.

The constructed scenario is tests/projects_scenario.py; the demo week is ANAMA's bulletin
week of 1–7 July 2024, whose 1039.5 hectares cleared the summary also reports.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import update
from tests.projects_scenario import AS_OF, load_scenario
from typer.testing import CliRunner

from demine.analysis.forecast.forecast import forecast_completion
from demine.analysis.landrelease.figures import land_release_figures
from demine.analysis.landrelease.ledger import ledger
from demine.cli.main import app
from demine.domain.entities import Activity
from demine.domain.vocab import ActivityKind, HazardClassification, HazardStatus
from demine.ingest.importer import save_entities
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader

runner = CliRunner()


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_remaining_area_follows_releases_and_status_changes() -> None:
    hazard = ledger(
        "H",
        "AZ-AGD",
        HazardClassification.CHA,
        date(2022, 1, 10),
        HazardStatus.CLOSED,
        estimated_m2=50_000,
        recorded_remaining_m2=0,
        changes=[(date(2024, 6, 1), HazardStatus.CLOSED),
                 (date(2023, 1, 1), HazardStatus.WORKED_ON)],
        releases=[(date(2023, 5, 7), 20_000), (date(2023, 3, 5), 10_000),
                  (date(2023, 5, 7), 5_000)],
    )  # fmt: skip
    assert hazard.remaining_on(date(2022, 1, 9)) == 0  # not yet recorded
    assert hazard.status_on(date(2022, 6, 1)) is HazardStatus.OPEN  # before its first change
    assert hazard.remaining_on(date(2022, 6, 1)) == 50_000
    assert hazard.remaining_on(date(2023, 3, 5)) == 40_000
    assert hazard.remaining_on(date(2023, 5, 7)) == 15_000
    assert hazard.remaining_share_on(date(2023, 5, 7)) == 0.3
    assert hazard.remaining_on(date(2024, 6, 1)) == 0  # closed


def test_remaining_never_goes_below_zero_and_falls_back_to_the_recorded_area() -> None:
    released = [(date(2022, 2, 1), 25_000.0)]
    over_released = ledger("A", "D", HazardClassification.SHA, date(2022, 1, 1),
                           HazardStatus.WORKED_ON, 10_000, None, [], released)  # fmt: skip
    assert over_released.remaining_on(date(2022, 3, 1)) == 0
    no_estimate = ledger("B", "D", HazardClassification.CHA, date(2022, 1, 1), HazardStatus.OPEN,
                         None, 7_000, [], [])  # fmt: skip
    assert no_estimate.remaining_on(date(2023, 1, 1)) == 7_000


def _scenario_report(store: Store, start: date, end: date) -> dict[str, Any]:
    load_scenario(store)
    with store.read() as connection:
        return land_release_figures(RegisterReader(connection, "AZ"), start, end).to_json()


def test_scenario_land_release_and_efficiency(store: Store) -> None:
    report = _scenario_report(store, date(2025, 7, 1), date(2025, 12, 31))
    assert (report["hectares_cleared"], report["hectares_reduced"]) == (55.0, 1.5)
    assert (report["hectares_cancelled"], report["hectares_released"]) == (5.0, 61.5)
    efficiency = report["efficiency"]
    assert efficiency["cleared_m2_per_team_day"] == round(550_000 / 214, 2)
    assert efficiency["devices_per_hectare_cleared"] == round(5 / 55, 4)
    assert efficiency["cleared_share_with_finds"] == round(300 / 550, 4)
    assert efficiency["method_shares"] == {
        "cancelled": round(5 / 61.5, 4),
        "reduced": round(1.5 / 61.5, 4),
        "cleared": round(55 / 61.5, 4),
    }
    end = report["remaining_at_end"]
    assert (end["remaining_cha_hectares"], end["remaining_sha_hectares"]) == (12.0, 3.0)
    districts = {d["code"]: d for d in report["by_district"]}
    assert districts["AZ-AGD"]["remaining_hectares"] == 11.0
    assert districts["AZ-TAR"]["remaining_hectares"] == 4.0


def test_scenario_remaining_area_at_the_start_of_the_year(store: Store) -> None:
    report = _scenario_report(store, date(2025, 1, 1), date(2025, 12, 31))
    start = report["remaining_at_start"]
    # H3 was still open and H2 not yet reduced on 31 December 2024.
    assert (start["remaining_cha_hectares"], start["remaining_sha_hectares"]) == (16.0, 4.0)
    assert (start["hazards_open"], start["hazards_worked_on"], start["hazards_closed"]) == (4, 0, 0)
    end = report["remaining_at_end"]
    assert (end["hazards_open"], end["hazards_worked_on"], end["hazards_closed"]) == (2, 1, 1)


def test_demo_week_clears_what_the_summary_says(demo_database_url: str) -> None:
    arguments = ["--db", demo_database_url, "--country", "AZ"]
    week = ["--from", "2024-07-01", "--to", "2024-07-07", "--format", "json"]
    report = json.loads(demine(*arguments, "report", "landrelease", *week))
    summary = json.loads(demine(*arguments, "summary", *week))
    assert report["hectares_cleared"] == summary["hectares_cleared"] == 1039.5
    assert report["hectares_reduced"] == summary["hectares_reduced"]
    assert report["hectares_cancelled"] == summary["hectares_cancelled"]
    worked = {d["code"]: d["hectares_cleared"] for d in report["by_district"] if d["activities"]}
    assert worked == {d["code"]: d["hectares_cleared"] for d in summary["by_district"]}
    assert report["remaining_at_end"]["remaining_hectares"] >= 0
    assert report["efficiency"]["cleared_m2_per_team_day"] > 0


def test_demo_report_html_has_charts_and_map(demo_database_url: str) -> None:
    page = demine(
        "--db", demo_database_url, "report", "landrelease", "--from", "2025-07-01",
        "--to", "2025-12-28", "--district", "Aghdam", "--format", "html",
    )  # fmt: skip
    assert page.count("data:image/svg+xml;base64,") == 3
    assert "Aghdam" in page and "Hazards open / worked on / closed" in page


@pytest.mark.parametrize("period", [("2024-07-08", "2024-07-01")])
def test_a_period_ending_before_it_starts_is_refused(store: Store, period: tuple[str, str]) -> None:
    from demine.errors import InvalidRequestError

    with store.read() as connection, pytest.raises(InvalidRequestError):
        land_release_figures(
            RegisterReader(connection, "AZ"),
            date.fromisoformat(period[0]),
            date.fromisoformat(period[1]),
        )


def _figures_and_forecast(store: Store) -> tuple[dict[str, Any], dict[str, Any]]:
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        figures = land_release_figures(reader, date(2025, 7, 1), AS_OF).to_json()
        forecast = forecast_completion(reader, AS_OF, weeks=4, teams_change=2).to_json()
    return figures, forecast


def test_draft_and_deleted_clearance_change_neither_report_nor_forecast(store: Store) -> None:
    load_scenario(store)
    before = _figures_and_forecast(store)
    clearance, day = ActivityKind.CLEARANCE, date(2025, 12, 10)
    extra = [
        Activity("NEW-DRAFT", "AZ", clearance, "ANAMA", "AZ-AGD", day, day, hazard="H1",
                 area_cleared_m2=70_000, team_days=40),
        Activity("GONE", "AZ", clearance, "ANAMA", "AZ-TAR", day, day, hazard="H4",
                 area_cleared_m2=30_000, team_days=20),
    ]  # fmt: skip
    save_entities(store, extra, kind="test", source_name="extra", sha256="1" * 64, country="AZ")
    acts = schema.activities
    with store.write() as connection:
        connection.execute(
            update(acts).where(acts.c.external_id == "NEW-DRAFT").values(review_status="draft")
        )
        connection.execute(
            update(acts).where(acts.c.external_id == "GONE").values(deleted_at=acts.c.updated_at)
        )
    assert _figures_and_forecast(store) == before
