"""Development projects: contaminated area, effort, dates and ranks, exactly.

The scenario (tests/projects_scenario.py) draws hazards, projects, finds and clearance
in metres; its docstring gives every figure asserted here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from shapely.geometry import Point
from sqlalchemy import update
from tests.projects_scenario import AS_OF, load_scenario
from tests.records_scenario import lonlat

from demine.analysis.projects.analysis import analyse_projects
from demine.analysis.projects.ranking import Weights
from demine.domain.dates import EventDate
from demine.domain.entities import DeviceFind
from demine.domain.vocab import EOCategory
from demine.errors import InvalidRequestError
from demine.ingest.importer import save_entities
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader


@pytest.fixture
def projects(store: Store) -> dict[str, Any]:
    load_scenario(store)
    with store.read() as connection:
        data = analyse_projects(RegisterReader(connection, "AZ"), AS_OF).to_json()
    return data


def _by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in data["projects"]}


def test_contaminated_area_in_each_footprint(projects: dict[str, Any]) -> None:
    found = _by_id(projects)
    assert set(found) == {"P1", "P2", "P3"}  # P4 is deleted
    road = found["P1"]
    assert road["hazardous_cha_m2"] == pytest.approx(40_000, abs=0.1)
    assert road["hazardous_sha_m2"] == pytest.approx(15_000, abs=0.1)
    assert road["hazardous_m2"] == pytest.approx(55_000, abs=0.1)
    hazards = {h["id"]: h for h in road["hazards"]}
    assert set(hazards) == {"H1", "H2", "H3"}  # H5 was recorded after the as-of day
    assert hazards["H2"]["overlap_m2"] == pytest.approx(20_000, abs=0.1)
    assert hazards["H2"]["remaining_share"] == 0.75
    assert hazards["H3"]["status"] == "closed" and hazards["H3"]["hazardous_m2"] == 0
    assert found["P2"]["hazardous_cha_m2"] == pytest.approx(20_000, abs=0.1)
    assert found["P2"]["hazardous_sha_m2"] == 0
    assert found["P3"]["hazardous_m2"] == 0 and found["P3"]["hazards"] == []


def test_evidence_and_records_near_each_footprint(projects: dict[str, Any]) -> None:
    found = _by_id(projects)
    assert (found["P1"]["devices_nearby"], found["P1"]["device_finds_nearby"]) == (7, 2)
    assert found["P1"]["accidents_nearby"] == 2
    assert found["P1"]["minefield_records"] == ["MFR-P1"]
    assert (found["P3"]["devices_nearby"], found["P3"]["accidents_nearby"]) == (3, 1)
    assert found["P2"]["devices_nearby"] == found["P2"]["accidents_nearby"] == 0


def test_productivity_is_measured_on_counted_clearance_in_the_window(
    projects: dict[str, Any],
) -> None:
    productivity = projects["productivity"]
    assert (productivity["window_start"], productivity["window_end"]) == (
        "2025-06-30",
        "2025-12-31",
    )
    districts = {d["code"]: d for d in productivity["by_district"]}
    assert districts["AZ-AGD"]["cleared_m2_per_team_day"] == 2_500
    assert districts["AZ-AGD"]["team_days_per_week"] == 7
    assert districts["AZ-TAR"]["cleared_m2_per_team_day"] == 3_000
    assert productivity["national"]["cleared_m2_per_team_day"] == round(550_000 / 214, 2)


def test_effort_and_earliest_clear_dates(projects: dict[str, Any]) -> None:
    found = _by_id(projects)
    road, solar, village = found["P1"], found["P2"], found["P3"]
    assert road["effort_team_days"] == 22.0
    assert road["effort_by_district"][0]["days"] == 22.0
    assert road["earliest_clear_date"] == "2026-01-22"
    assert road["starts_before_clear"] is True
    assert solar["effort_team_days"] == pytest.approx(6.7, abs=0.05)
    assert solar["effort_by_district"][0]["productivity_source"] == "district"
    assert solar["earliest_clear_date"] == "2026-02-10"
    assert village["clear_status"] == "no_known_hazard"
    assert village["earliest_clear_date"] == AS_OF.isoformat()
    assert village["effort_team_days"] == 0


def test_ranks_follow_the_weights_and_are_explained(store: Store) -> None:
    load_scenario(store)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        equal = analyse_projects(reader, AS_OF).to_json()
        urgent = analyse_projects(reader, AS_OF, Weights.parse("priority=3")).to_json()
    assert [(p["id"], p["rank"], p["score"]) for p in equal["projects"]] == [
        ("P2", 1, 0.6402),
        ("P1", 2, 0.55),
        ("P3", 3, 0.25),
    ]
    assert [p["id"] for p in urgent["projects"]] == ["P1", "P2", "P3"]
    road = _by_id(equal)["P1"]
    assert road["scores"] == {"priority": 1.0, "people": 0.2, "contamination": 1.0, "effort": 0.0}
    explanation = road["explanation"]
    assert explanation.startswith("Rank 2 of 3 (score 0.55); priority 1")
    assert "5.50 ha of known hazardous area lie in its footprint (4.00 ha confirmed, 1.50 ha" in (
        explanation
    )
    assert "Clearing it takes about 22 team-days." in explanation
    assert "could be clear by 2026-01-22. Its planned start (2026-01-15) comes before" in (
        explanation
    )
    assert "it loses most on the clearance it needs." in explanation


def test_a_district_without_timed_clearance_borrows_the_national_rate(store: Store) -> None:
    load_scenario(store)
    with store.read() as connection:
        data = analyse_projects(RegisterReader(connection, "AZ"), AS_OF, months=1).to_json()
    # Only the December surveys fall in a one-month window: no clearance was timed at all.
    assert _by_id(data)["P1"]["clear_status"] == "no_productivity"
    assert _by_id(data)["P1"]["earliest_clear_date"] is None


@pytest.mark.parametrize(
    "text", ["speed=1", "priority=-1", "priority=0,people=0,contamination=0,effort=0", "people=x"]
)
def test_bad_weights_are_refused(text: str) -> None:
    with pytest.raises(InvalidRequestError):
        Weights.parse(text)


def test_draft_and_deleted_finds_in_a_record_change_no_assessment(store: Store) -> None:
    """A draft and a soft-deleted find inside record MFR-P1, on road P1's footprint
    (40 AP mines each), would add 80 devices near P1 if they counted: hidden, they leave
    every assessment, rank and explanation as it was."""
    load_scenario(store)
    with store.read() as connection:
        before = analyse_projects(RegisterReader(connection, "AZ"), AS_OF).to_json()
    extra = [
        DeviceFind(key, "AZ", "AZ-AGD", EOCategory.AP_MINE, 40, EventDate.on(date(2025, 8, 1)),
                   geometry=Point(lonlat(*at)))
        for key, at in (("MFR-P1-DRAFT", (-400, 10)), ("MFR-P1-DELETED", (-410, -10)))
    ]  # fmt: skip
    save_entities(store, extra, kind="test", source_name="extra", sha256="1" * 64, country="AZ")
    with store.read() as connection:
        live = analyse_projects(RegisterReader(connection, "AZ"), AS_OF).to_json()
    assert _by_id(live)["P1"]["devices_nearby"] == 7 + 80
    finds = schema.device_finds
    with store.write() as connection:
        connection.execute(
            update(finds).where(finds.c.external_id == "MFR-P1-DRAFT").values(review_status="draft")
        )
        connection.execute(
            update(finds)
            .where(finds.c.external_id == "MFR-P1-DELETED")
            .values(deleted_at=datetime.now(UTC))
        )
    with store.read() as connection:
        after = analyse_projects(RegisterReader(connection, "AZ"), AS_OF).to_json()
    assert after == before
