"""Risk education and the annual profile on the demo register, recounted by hand here
from the demo builders' records (not through Demine's figure code): the weekly
bulletin's sessions and beneficiaries, the public aggregates with small counts hidden
and nothing recoverable, and ``demine report article7`` in every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.differencing import lp_worked_out
from typer.testing import CliRunner

from demine.cli.main import app
from demine.demo.build import DemoRegister, build_demo
from demine.domain.entities import CHILD_AGE_BANDS, CHILD_AGE_LIMIT, HazardArea
from demine.domain.vocab import EOCategory, HazardClassification, HazardStatus
from demine.settings import Settings
from demine.store.engine import open_store
from demine.web.app import create_app

runner = CliRunner()
GROUPS = ("girls", "boys", "women", "men")
WEEK = (date(2024, 7, 1), date(2024, 7, 7))
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo() -> DemoRegister:
    return build_demo(2024)


def _reach(
    demo: DemoRegister, first: date, last: date, district: str | None = None
) -> dict[str, int]:
    """Sessions and people reached, counted from the demo's session records."""
    held = [
        s for s in demo.eore_sessions
        if first <= s.held_on <= last and district in (None, s.district)
    ]  # fmt: skip
    counts = {name: sum(getattr(s, name) for s in held) for name in GROUPS}
    return {
        "sessions": len(held),
        "beneficiaries": sum(counts.values()),
        **counts,
        "persons_with_disabilities": sum(s.persons_with_disabilities for s in held),
    }


def test_the_weekly_bulletin_gives_the_weeks_sessions_and_people(
    demo_database_url: str, demo: DemoRegister
) -> None:
    expected = _reach(demo, *WEEK)
    assert expected["sessions"] > 0  # the seed week has sessions to show
    week = ["--db", demo_database_url, "report", "weekly", "--week", "2024-W27"]
    figures = json.loads(demine(*week, "--format", "json"))
    assert figures["risk_education"] == expected
    before = _reach(demo, date(2024, 6, 24), date(2024, 6, 30))
    assert figures["previous_period"]["risk_education"] == before
    # The seed week's published figures are untouched.
    assert (figures["ap_mines"], figures["at_mines"], figures["uxo"]) == (28, 107, 830)
    assert figures["hectares_cleared"] == 1039.5
    text = demine(*week)
    assert text.startswith("28 anti-personnel mines, 107 anti-tank mines, and 830 ")
    sentence = (
        f"{expected['sessions']} explosive ordnance risk education sessions were held, "
        f"reaching {expected['beneficiaries']} people: {expected['girls']} girls, "
        f"{expected['boys']} boys, {expected['women']} women, and {expected['men']} men."
    )
    assert sentence in text
    html = demine(*week, "--format", "html")
    assert sentence in html
    # A headline figure against the week before, as the dashboard shows it too.
    assert "People reached by risk education" in html
    assert f"{expected['beneficiaries'] - before['beneficiaries']:+d}".replace("-", "−") in html


def _reading(row: dict[str, str], column: str) -> int | str:
    """A count of the public CSV: a number, or how its status says it was hidden."""
    status = {"suppressed": "<5", "withheld": "withheld", "": None}[row[f"{column}_status"]]
    assert (status is None) == (row[column] != ""), column
    return int(row[column]) if status is None else status


def test_public_aggregates_hide_small_groups_and_give_nothing_back(
    demo_database_url: str, demo: DemoRegister, tmp_path: Path
) -> None:
    first, last = WEEK
    demine("--db", demo_database_url, "export", "--public", "--since", first.isoformat(),
           "--as-of", last.isoformat(), "-o", str(tmp_path))  # fmt: skip
    text = (tmp_path / "public-aggregates.csv").read_text(encoding="utf-8")
    rows = {row["district"]: row for row in csv.DictReader(io.StringIO(text))}
    national_file = (tmp_path / "public-aggregates-national.csv").read_text(encoding="utf-8")
    (national_row,) = csv.DictReader(io.StringIO(national_file))
    names = {area.code: area.name for area in demo.admin_areas if area.level == "district"}
    people = (*GROUPS, "beneficiaries", "persons_with_disabilities")
    # The national row is exact, as the authority publishes it.
    national = _reach(demo, first, last)
    assert {k: int(national_row[f"eore_{k}"]) for k in national} == national
    # Districts: sessions exact; small counts of people hidden, and none recoverable.
    values: dict[tuple[str, str], int] = {}
    readings: dict[tuple[str, str], int | str] = {}
    sums: list[tuple[Any, list[Any]]] = []
    for code, name in names.items():
        truth = _reach(demo, first, last, code)
        assert int(rows[name]["eore_sessions"]) == truth["sessions"]
        for group in people:
            values[name, group] = truth[group]
            readings[name, group] = _reading(rows[name], f"eore_{group}")
            shown = readings[name, group]
            assert shown == truth[group] or shown in ("<5", "withheld")
            if 0 < truth[group] < 5:
                assert shown == "<5", (name, group)
        sums.append(((name, "beneficiaries"), [(name, g) for g in GROUPS]))
    for group in people:
        values["national", group] = national[group]
        readings["national", group] = national[group]
        sums.append((("national", group), [(name, group) for name in names.values()]))
    sums.append((("national", "beneficiaries"), [("national", g) for g in GROUPS]))
    assert any(reading == "<5" for reading in readings.values())
    assert lp_worked_out(values, sums, readings, 5) == []
    # The public district figures show the same cells.
    store = open_store(demo_database_url)
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), store))
    answer = client.get(f"/api/public/districts?from={first}&to={last}").json()
    store.dispose()
    for district in answer["districts"]:
        row = rows[district["name"]]
        assert district["risk_education"] == {
            "sessions": int(row["eore_sessions"]),
            **{group: _reading(row, f"eore_{group}") for group in people},
        }
    assert answer["total"]["risk_education"] == national


# -- the annual profile, recounted -------------------------------------------------------


def _status_on(hazard: HazardArea, changes: list[tuple[date, HazardStatus]], day: date) -> Any:
    if day < hazard.recorded_on:
        return None
    if not changes:
        return hazard.status
    before = [status for changed, status in sorted(changes) if changed <= day]
    return before[-1] if before else HazardStatus.OPEN


def _known(demo: DemoRegister, day: date) -> dict[str, Any]:
    """Hazardous areas not closed on ``day``, with the area still to release in them."""
    changes: dict[str, list[tuple[date, HazardStatus]]] = {}
    for change in demo.hazard_status_changes:
        changes.setdefault(change.hazard, []).append((change.changed_on, change.status))
    released: Counter[str] = Counter()
    for activity in demo.activities:
        if activity.hazard is not None and activity.end_date <= day:
            released[activity.hazard] += (
                activity.area_cancelled_m2 + activity.area_reduced_m2 + activity.area_cleared_m2
            )
    hazards, area = 0, {HazardClassification.SHA: 0.0, HazardClassification.CHA: 0.0}
    for hazard in demo.hazards:
        status = _status_on(hazard, changes.get(hazard.external_id, []), day)
        if status is None or status is HazardStatus.CLOSED:
            continue
        hazards += 1
        start = hazard.estimated_area_m2
        start = start if start is not None else (hazard.remaining_area_m2 or 0.0)
        if hazard.classification in area:
            area[hazard.classification] += max(0.0, start - released[hazard.external_id])
    sha, cha = area[HazardClassification.SHA], area[HazardClassification.CHA]
    return {
        "day": day.isoformat(),
        "hazards": hazards,
        "area_m2": pytest.approx(sha + cha, abs=0.01),
        "sha_m2": pytest.approx(sha, abs=0.01),
        "cha_m2": pytest.approx(cha, abs=0.01),
    }


def _age(age: int | None, band: str | None) -> str:
    if age is not None:
        return "child" if age < CHILD_AGE_LIMIT else "adult"
    if band is None:
        return "unknown"
    return "child" if band in CHILD_AGE_BANDS else "adult"


def _casualties(demo: DemoRegister, first: date, last: date) -> dict[str, Any]:
    accidents = {
        a.external_id: a
        for a in demo.accidents
        if a.occurred.earliest >= first and a.occurred.latest <= last
    }
    victims = [v for v in demo.victims if v.accident in accidents]

    def tally(values: list[str], cells: tuple[str, ...]) -> dict[str, int]:
        counted = Counter(values)
        return {cell: counted[cell] for cell in cells}

    devices = [accidents[v.accident].device_category for v in victims]
    return {
        "victims": len(victims),
        "by_outcome": tally([v.outcome.value for v in victims], ("killed", "injured", "unknown")),
        "by_sex": tally([v.sex.value for v in victims], ("female", "male", "unknown")),
        "by_age": tally([_age(v.age, v.age_band) for v in victims], ("child", "adult", "unknown")),
        "by_category": tally(
            [v.category.value for v in victims], ("civilian", "military", "deminer", "unknown")
        ),
        "by_device": tally(
            [d.value if d is not None else "unknown" for d in devices],
            (*(c.value for c in EOCategory), "unknown"),
        ),
    }


def _profile(demo: DemoRegister) -> dict[str, Any]:
    first, last = YEAR
    ended = [a for a in demo.activities if first <= a.end_date <= last]
    cancelled = sum(a.area_cancelled_m2 for a in ended)
    reduced = sum(a.area_reduced_m2 for a in ended)
    cleared = sum(a.area_cleared_m2 for a in ended)
    found: Counter[str] = Counter()
    for find in demo.device_finds:
        if find.found.earliest >= first and find.found.latest <= last:
            found[find.category.value] += find.quantity
    devices = {category.value: found[category.value] for category in EOCategory}
    return {
        "country": "AZ",
        "country_name": "Azerbaijan",
        "year": 2024,
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "hazardous_areas_at_start": _known(demo, date(2023, 12, 31)),
        "hazardous_areas_at_end": _known(demo, last),
        "released": {
            "cancelled_m2": pytest.approx(cancelled, abs=0.01),
            "reduced_m2": pytest.approx(reduced, abs=0.01),
            "cleared_m2": pytest.approx(cleared, abs=0.01),
            "total_m2": pytest.approx(cancelled + reduced + cleared, abs=0.01),
            "activities": len(ended),
        },
        "devices_destroyed": {**devices, "total": sum(devices.values())},
        "risk_education": _reach(demo, first, last),
        "casualties": _casualties(demo, first, last),
    }


@pytest.fixture(scope="module")
def expected_profile(demo: DemoRegister) -> dict[str, Any]:
    return _profile(demo)


def test_article7_json_is_the_demo_recounted_by_hand(
    demo_database_url: str, expected_profile: dict[str, Any]
) -> None:
    args = ["--db", demo_database_url, "report", "article7", "--year", "2024"]
    profile = json.loads(demine(*args, "--format", "json"))
    assert profile == expected_profile
    # Something of each table to file: the demo's year is not empty.
    assert profile["hazardous_areas_at_end"]["hazards"] > 0
    assert profile["released"]["activities"] > 0 and profile["devices_destroyed"]["total"] > 0
    assert profile["risk_education"]["beneficiaries"] > 0
    assert profile["casualties"]["victims"] > 0


def test_article7_workbook_opens_and_holds_the_figures(
    demo_database_url: str, expected_profile: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "article7.xlsx"
    demine("--db", demo_database_url, "report", "article7", "--year", "2024",
           "--format", "xlsx", "-o", str(path))  # fmt: skip
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == [
        "Hazardous areas", "Land released", "Devices destroyed", "Risk education", "Casualties",
    ]  # fmt: skip
    sheet = {row[0]: row[1:] for row in workbook["Risk education"].iter_rows(values_only=True)}
    reach = expected_profile["risk_education"]
    assert sheet["Girls (under 18)"] == (reach["girls"],)
    assert sheet["Persons with disabilities among them"] == (reach["persons_with_disabilities"],)
    devices = {row[0]: row[1] for row in workbook["Devices destroyed"].iter_rows(values_only=True)}
    assert devices["Anti-personnel mine"] == expected_profile["devices_destroyed"]["AP_MINE"]
    assert devices["Total"] == expected_profile["devices_destroyed"]["total"]
    known = list(workbook["Hazardous areas"].iter_rows(values_only=True))
    assert known[0][:2] == ("Day", "Hazardous areas")  # the header row, frozen
    assert known[2][1] == expected_profile["hazardous_areas_at_end"]["hazards"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_article7_pdf_and_text_hold_the_figures(
    demo_database_url: str, expected_profile: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "article7.pdf"
    args = ["--db", demo_database_url, "report", "article7", "--year", "2024"]
    demine(*args, "--format", "pdf", "-o", str(path))
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = demine(*args)
    reach, casualties = expected_profile["risk_education"], expected_profile["casualties"]
    figures = [
        f"{reach['girls']:,}", f"{reach['boys']:,}", f"{reach['women']:,}", f"{reach['men']:,}",
        f"{expected_profile['devices_destroyed']['total']:,}", f"{casualties['victims']:,}",
        f"{expected_profile['hazardous_areas_at_end']['hazards']:,}",
    ]  # fmt: skip
    for document in (pdf_text, text):
        assert "Annual profile 2024: Azerbaijan" in document
        for figure in figures:
            assert figure in document
    assert "Explosive ordnance risk education: beneficiaries by sex and age" in pdf_text
