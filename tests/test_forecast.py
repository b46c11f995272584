"""Completion forecasts: dates, band and scenario exactly on the constructed scenario, and
sane figures on the demo, whose HTML and PDF carry the charts and the warning."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.projects_scenario import AS_OF, load_scenario
from typer.testing import CliRunner

from demine.analysis.forecast.forecast import NOT_IN_FORECAST, forecast_completion
from demine.cli.main import app
from demine.errors import InvalidRequestError
from demine.store.engine import Store
from demine.store.reader import RegisterReader

runner = CliRunner()


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def forecast(store: Store) -> dict[str, Any]:
    load_scenario(store)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        return forecast_completion(reader, AS_OF, weeks=4, teams_change=2).to_json()


def test_rates_band_and_dates_are_exact(forecast: dict[str, Any]) -> None:
    assert (forecast["window_start"], forecast["window_end"]) == ("2025-12-01", "2025-12-28")
    assert [w["released_hectares"] for w in forecast["weekly"]] == [2.0, 1.0, 0.0, 3.0]
    aghdam = {d["code"]: d for d in forecast["districts"]}["AZ-AGD"]
    assert aghdam["remaining_hectares"] == 11.0
    assert aghdam["rate_hectares_per_week"] == 1.5
    assert (aghdam["rate_p10_hectares_per_week"], aghdam["rate_p90_hectares_per_week"]) == (
        0.3,
        2.7,
    )
    assert aghdam["teams"] == 2.0
    assert (aghdam["completion_date"], aghdam["completion_earliest"]) == (
        "2026-02-21",
        "2026-01-29",
    )
    assert aghdam["completion_latest"] == "2026-09-14"
    assert aghdam["scenario"]["completion_date"] == "2026-01-26"


def test_a_district_without_release_makes_no_progress(forecast: dict[str, Any]) -> None:
    tartar = {d["code"]: d for d in forecast["districts"]}["AZ-TAR"]
    assert (tartar["remaining_hectares"], tartar["status"]) == (4.0, "no_progress")
    assert tartar["completion_date"] is None


def test_national_forecast_and_scenario(forecast: dict[str, Any]) -> None:
    total = forecast["total"]
    assert total["remaining_hectares"] == 15.0
    assert (total["completion_date"], total["completion_earliest"]) == ("2026-03-11", "2026-02-08")
    assert total["completion_latest"] == "2026-12-16"
    assert forecast["scenario_factor"] == 2.0
    assert total["known_area_change_hectares"] == 0.0


def test_unknown_contamination_is_excluded_and_its_evidence_shown(
    forecast: dict[str, Any],
) -> None:
    assert forecast["excludes_unknown_contamination"] is True
    assert forecast["note"] == NOT_IN_FORECAST
    evidence = forecast["unknown_contamination"]
    assert (evidence["accidents_located"], evidence["accidents_outside_hazards"]) == (3, 2)
    assert evidence["accidents_outside_hazards_and_records"] == 2
    assert (evidence["find_records_located"], evidence["find_records_outside_hazards"]) == (6, 4)
    assert evidence["devices_outside_hazards"] == 7


def test_removing_more_teams_than_work_is_refused(store: Store) -> None:
    load_scenario(store)
    with store.read() as connection, pytest.raises(InvalidRequestError):
        forecast_completion(RegisterReader(connection, "AZ"), AS_OF, weeks=4, teams_change=-3)


def _json(url: str, *args: str) -> dict[str, Any]:
    return dict(json.loads(demine("--db", url, *args, "--format", "json")))


def test_demo_forecast_follows_from_the_demo(demo_database_url: str) -> None:
    data = _json(demo_database_url, "forecast", "--teams", "-10", "--weeks", "13")
    as_of = date.fromisoformat(data["as_of"])
    assert as_of == date(2025, 12, 28)  # the demo's last activity day (default as-of)
    assert data["weeks"] == 13 and len(data["weekly"]) == 13
    assert data["excludes_unknown_contamination"] is True
    assert data["unknown_contamination"]["accidents_outside_hazards"] > 0
    assert data["unknown_contamination"]["devices_outside_hazards"] > 0
    assert 0 < data["scenario_factor"] < 1
    for scope in [data["total"], *data["districts"]]:
        assert scope["remaining_hectares"] >= 0 and scope["rate_hectares_per_week"] >= 0
        if scope["status"] == "forecast":
            assert date.fromisoformat(scope["completion_date"]) > as_of
            assert scope["completion_earliest"] <= scope["completion_date"]
            assert scope["completion_date"] <= (scope["completion_latest"] or "9999")
            assert scope["scenario"]["completion_date"] >= scope["completion_date"]
    assert sum(d["remaining_hectares"] for d in data["districts"]) == pytest.approx(
        data["total"]["remaining_hectares"], abs=0.01
    )


def test_demo_forecast_text_says_what_it_leaves_out(demo_database_url: str) -> None:
    text = demine("--db", demo_database_url, "forecast", "--district", "Fuzuli")
    assert NOT_IN_FORECAST in text
    assert "accidents with a location happened outside every recorded hazard area" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_demo_forecast_pdf_has_charts(demo_database_url: str, tmp_path: Path) -> None:
    pdf = tmp_path / "forecast.pdf"
    demine("--db", demo_database_url, "forecast", "--teams", "+20", "--format", "pdf",
           "--output", str(pdf))  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Completion forecast", "is not in this forecast", "By district", "Khojavend"):
        assert expected in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        assert _ink_share(page) > 0.01, f"{page.name} is blank"
    html = demine("--db", demo_database_url, "forecast", "--format", "html")
    assert html.count("data:image/svg+xml;base64,") == 3


def _ink_share(png: Path) -> float:
    """Share of pixels that are not white (a blank page is 0)."""
    import matplotlib.image

    pixels = matplotlib.image.imread(png)
    return float((pixels[..., :3].mean(axis=2) < 0.95).mean())
