"""The demo's casualty register: ANAMA's published figures as of 7 July 2024, the weekly
bulletin's closing paragraph, and the demo's accidents (SQLite and PostGIS)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from demine.cli.main import app
from demine.demo.casualties import BASELINE, DemoCasualties, plan_casualties
from demine.demo.districts import COUNTRY_BOX, district_polygons
from demine.demo.hazards import plan_hazards
from demine.domain import rules
from demine.domain.entities import HazardArea
from demine.domain.vocab import VictimCategory

runner = CliRunner()
SEED_OPERATIONS = (
    "28 anti-personnel mines, 107 anti-tank mines, and 830 unexploded ordnances (UXOs) were "
    "discovered in Tartar, Aghdam, Aghdara, Lachin, Fuzuli, Shusha, Khojaly, Khankendi, "
    "Kalbajar, Khojavend, Jabrayil, Gubadli, and Zangilan.\n\n"
    "An area of 1,039.5 hectares was cleared of mines and UXOs."
)
#: The seed bulletin's casualty sentences, word for word.
SEED_CASUALTY_SENTENCES = [
    "Note that the number of mine victims since the Second Garabagh War has reached 350, "
    "and 65 of them have died.",
    "More than 70% of landmine victims are civilians.",
    "Among them are people of all age categories.",
    "The total number of landmine victims in Azerbaijan is 3,429, including 357 children "
    "and 38 women.",
    "595 of those people lost their lives.",
]
CONTEXT = rules.RuleContext(today=date(2026, 1, 1), extent=rules.Extent(*COUNTRY_BOX))


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def hazards() -> tuple[HazardArea, ...]:
    return tuple(p.hazard for p in plan_hazards(2024))


@pytest.fixture(scope="module")
def casualties(hazards: tuple[HazardArea, ...]) -> DemoCasualties:
    return plan_casualties(2024, hazards)


def test_demo_report_gives_the_published_figures(demo_database_url: str) -> None:
    figures = json.loads(
        demine("--db", demo_database_url, "report", "casualties", "--as-of", "2024-07-07",
               "--since", "2020-11-10", "--format", "json")
    )  # fmt: skip
    assert (figures["as_of"], figures["since"]) == ("2024-07-07", "2020-11-10")
    assert figures["since_total"] == 350
    assert figures["since_killed"] == 65
    assert figures["since_civilian_share"] > 0.70
    assert figures["all_time_total"] == 3429
    assert figures["all_time_children"] == 357
    assert figures["all_time_women"] == 38
    assert figures["all_time_killed"] == 595
    assert figures["baseline"]["date"] == "2020-11-09"
    assert figures["baseline"]["source"] == "published ANAMA figures (seed bulletin 2024-07-08)"
    assert figures["baseline"]["figures"]["total"] + figures["after_baseline"]["total"] == 3429
    assert (
        figures["since_killed"] + figures["since_injured"] + figures["since_unknown_outcome"] == 350
    )
    inside = figures["inside_known_hazard"]
    assert inside["outside"] / figures["since_accidents"] > 0.55


def test_demo_text_states_the_figures_as_the_seed_does(demo_database_url: str) -> None:
    text = demine("--db", demo_database_url, "report", "casualties", "--as-of", "2024-07-07")
    paragraph = text.split("\n\n")[0]
    assert paragraph == " ".join(SEED_CASUALTY_SENTENCES)
    assert "3,079 victims published up to Nov 9, 2020" in text


def test_weekly_bulletin_follows_operations_with_the_casualty_paragraph(
    demo_database_url: str,
) -> None:
    text = demine("--db", demo_database_url, "report", "weekly", "--week", "2024-W27")
    # Then the week's risk education (tests/test_eore_figures.py checks its figures).
    operations, casualties, risk_education = text.strip().rsplit("\n\n", 2)
    assert operations == SEED_OPERATIONS
    assert casualties == " ".join(SEED_CASUALTY_SENTENCES)
    assert "explosive ordnance risk education sessions were held" in risk_education
    # A district bulletin says nothing of casualties: published baselines are national.
    fuzuli = demine("--db", demo_database_url, "report", "weekly", "--week", "2024-W27",
                    "--district", "Fuzuli")  # fmt: skip
    assert "mine victims" not in fuzuli


def test_later_reports_continue_after_the_seed_week(demo_database_url: str) -> None:
    figures = json.loads(
        demine("--db", demo_database_url, "report", "casualties", "--as-of", "2025-12-31",
               "--format", "json")
    )  # fmt: skip
    assert 400 < figures["since_total"] < 600
    assert figures["since_unknown_outcome"] > 0
    assert figures["all_time_total"] == BASELINE.total + figures["since_total"]


def test_public_demo_report_holds_no_point_and_no_small_cell(
    demo_database_url: str, casualties: DemoCasualties
) -> None:
    base = ["--db", demo_database_url, "report", "casualties", "--as-of", "2025-12-31"]
    figures = json.loads(demine(*base, "--public", "--format", "json"))
    html = demine(*base, "--public", "--format", "html")
    for breakdown in ("by_month", "by_district", "by_age_band", "accidents_by_district"):
        for cell in figures[breakdown].values():
            assert isinstance(cell, str) or cell == 0 or cell >= 5
    for output in (json.dumps(figures), html):
        assert "AZ-ACC-" not in output
        for accident in casualties.accidents[:50]:
            assert accident.geometry is not None
            for number in (accident.geometry.x, accident.geometry.y):
                assert not re.search(rf"(?<![\d.]){re.escape(f'{number:.4f}')}", output)


def test_demo_html_and_pdf_reports(demo_database_url: str) -> None:
    html = demine("--db", demo_database_url, "report", "casualties", "--as-of", "2024-07-07",
                  "--format", "html")  # fmt: skip
    assert html.count("data:image/svg+xml;base64,") == 12  # 11 breakdowns and the map
    assert "Accidents inside and outside known hazard areas" in html
    assert "3,079" in html and "3,429" in html
    if demo_database_url.startswith("sqlite"):
        result = runner.invoke(
            app,
            ["--db", demo_database_url, "report", "casualties", "--as-of", "2024-07-07",
             "--format", "pdf"],
            catch_exceptions=False,
        )  # fmt: skip
        assert result.stdout_bytes.startswith(b"%PDF") and len(result.stdout_bytes) > 50_000


def test_demo_accidents_lie_in_their_districts_with_consistent_hazard_flags(
    casualties: DemoCasualties, hazards: tuple[HazardArea, ...]
) -> None:
    polygons = district_polygons()
    for accident in casualties.accidents:
        assert accident.geometry is not None and accident.district != "AZ-GOR"
        assert polygons[accident.district].contains(accident.geometry), accident.external_id
        day = accident.occurred.earliest
        assert date(2020, 11, 10) <= day <= date(2025, 12, 31)
        known = [
            h.geometry
            for h in hazards
            if h.geometry is not None and h.geometry.geom_type == "Polygon" and h.recorded_on <= day
        ]
        inside = any(shape.intersects(accident.geometry) for shape in known)
        assert accident.inside_known_hazard is inside, accident.external_id
    outside = sum(1 for a in casualties.accidents if not a.inside_known_hazard)
    assert outside / len(casualties.accidents) > 0.55


def test_demo_victims_fit_their_accidents_and_pass_the_rules(casualties: DemoCasualties) -> None:
    accidents = {a.external_id: a for a in casualties.accidents}
    for victim in casualties.victims:
        accident = accidents[victim.accident]
        assert accident.demining_accident is (victim.category is VictimCategory.DEMINER)
        assert rules.check_victim(victim, CONTEXT) == []
    for accident in casualties.accidents:
        assert rules.check_accident(accident, CONTEXT) == []
        assert accident.device_category is None or accident.activity_at_time
    assert rules.check_baseline(BASELINE, CONTEXT) == []
    ids = [a.external_id for a in casualties.accidents] + [
        v.external_id for v in casualties.victims
    ]
    assert len(ids) == len(set(ids))
    assert set(Counter(a.activity_at_time for a in casualties.accidents)) >= {
        "farming", "herding livestock", "construction work", "collecting firewood", "demining",
    }  # fmt: skip


def test_demo_casualties_are_deterministic(
    casualties: DemoCasualties, hazards: tuple[HazardArea, ...]
) -> None:
    assert plan_casualties(2024, hazards) == casualties
    other = plan_casualties(7, hazards)
    assert other != casualties
    # Other seeds draw other people and places, to the same published figures.
    days = {a.external_id: a.occurred.earliest for a in other.accidents}
    to_seed = [v for v in other.victims if days[v.accident] <= date(2024, 7, 7)]
    assert len(to_seed) == 350
    assert sum(1 for v in to_seed if v.outcome.value == "killed") == 65
