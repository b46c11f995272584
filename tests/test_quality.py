"""Quality management (IMAS 07.12): inspections and non-conformities are kinds of the
registry like any other, and an approved failed quality control of a clearance reopens
its land in every land-release figure.

The register is the sample (tests/fixtures/register): ACT-004 is ANAMA's clearance of
8 ha of HA-002 (Aghdam), ended 2024-06-30 (week 2024-W26); ACT-001 is ANAMA's
clearance of 12.50005 ha of HA-001 (Tartar), ended 2024-07-07 (2024-W27); ACT-002 is
Safe Ground's technical survey of HA-002. Before any inspection, 2024 counts 20.5001 ha
cleared; 2024-W26 8 ha.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import TODAY, load_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.store.engine import Store, open_store

runner = CliRunner()

INSPECTIONS = """\
external_id,type,inspected_on,operator,result,inspector,hazard,activity,sampled_hectares,findings
QI-1,qa,2024-06-26,ANAMA,pass,MOD-ENG,HA-002,ACT-004,,drills and marking as accredited
QI-2,qc,2024-07-10,ANAMA,fail,MOD-ENG,,ACT-004,0.8,AP mine found in a sampled lane
QI-3,qc,2024-07-12,ANAMA,pass,MOD-ENG,,ACT-001,1.25,
QI-4,qa,2024-07-03,SAFE,fail,ANAMA,HA-002,ACT-002,,no medical cover on site
"""
NON_CONFORMITIES = """\
external_id,inspection,grade,raised_on,description,corrective_action,due_on,closed_on
NC-1,QI-2,critical,2024-07-10,AP mine missed in lane 3,re-clear the whole site,2024-08-10,
NC-2,QI-2,major,2024-07-10,lane marking lost,re-mark,2024-07-20,2024-07-18
NC-3,QI-4,major,2024-07-03,no medic on site,suspend until a medic is present,2024-07-04,2024-07-04
NC-4,QI-1,minor,2024-06-26,logbook incomplete,complete the logbook,2024-06-30,2024-06-28
"""
#: ANAMA clears HA-002 again after the failed QC (week 2024-W31).
RECLEARANCE = """\
external_id,kind,organisation,district,start_date,end_date,hazard,area_cleared_m2,team_days
ACT-005,clearance,ANAMA,Aghdam,2024-07-22,2024-08-04,HA-002,80000,14
"""


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def sample_url(database_url: str, store: Store) -> Iterator[str]:
    """The sample register, on SQLite and PostGIS."""
    load_sample(store)
    store.dispose()
    yield database_url


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(url: str, kind: str, path: Path) -> str:
    return demine("--db", url, "--country", "AZ", "import", kind, str(path))


def _json(url: str, *args: str) -> dict[str, Any]:
    return json.loads(demine("--db", url, "--country", "AZ", *args, "--format", "json"))


def _public_2024(url: str) -> float:
    """The national hectares cleared of the public aggregates of 2024."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        demine("--db", url, "--country", "AZ", "export", "--public", "--since", "2024-01-01",
               "--as-of", "2024-12-31", "--threshold", "1", "-o", folder)  # fmt: skip
        document = json.loads((Path(folder) / "public-aggregates.json").read_text("utf-8"))
    return float(document["national"]["hectares_cleared"])


def _released(url: str) -> dict[str, float]:
    """Hectares cleared in every figure that counts them."""
    week = _json(url, "report", "weekly", "--week", "2024-W26")
    year = _json(url, "report", "annual", "--year", "2024")
    land = _json(url, "report", "landrelease", "--from", "2024-01-01", "--to", "2024-12-31")
    summary = _json(url, "summary", "--from", "2024-01-01", "--to", "2024-12-31")
    series = json.loads(
        demine("--db", url, "--country", "AZ", "report", "series", "--from", "2024-06",
               "--to", "2024-08")
    )  # fmt: skip
    weeks = {w["period"]: w["hectares_cleared"] for w in series["weeks"]}
    aghdam = next(d for d in land["by_district"] if d["code"] == "AZ-AGD")
    return {
        "week": week["hectares_cleared"],
        "week_aghdam": next(d for d in week["by_district"] if d["code"] == "AZ-AGD")[
            "hectares_cleared"
        ],
        "year": year["hectares_cleared"],
        "year_cumulative": year["cumulative"][-1]["hectares_cleared"],
        "landrelease": land["hectares_cleared"],
        "landrelease_released": land["hectares_released"],
        "summary": summary["hectares_cleared"],
        "series_w26": weeks["2024-W26"],
        "series_w31": weeks["2024-W31"],
        "aghdam_remaining": aghdam["remaining_hectares"],
        "public": _public_2024(url),
    }


def _cleared_m2(url: str) -> float:
    """Square metres cleared in 2024, as the annual figures count them."""
    from datetime import date

    from demine.analysis.landrelease.figures import land_release_figures
    from demine.analysis.summary import summarise_period
    from demine.store.reader import RegisterReader

    store = open_store(url)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        first, last = date(2024, 1, 1), date(2024, 12, 31)
        summary = summarise_period(reader, first, last).total.area_cleared_m2
        land = land_release_figures(reader, first, last).released.cleared_m2
    store.dispose()
    assert summary == land
    return summary


def test_a_failed_qc_reopens_a_cleared_area_in_every_figure(
    sample_url: str, tmp_path: Path
) -> None:
    before = _released(sample_url)
    assert before["week"] == before["series_w26"] == 8.0
    assert before["year"] == before["landrelease"] == before["summary"] == 20.5001
    assert before["public"] == 20.5001

    assert _cleared_m2(sample_url) == 205_000.5
    _import(sample_url, "quality-inspections", _write(tmp_path, "qi.csv", INSPECTIONS))
    after = _released(sample_url)
    # ACT-004's 80 000 m² (8 ha) leave every figure, exactly; nothing else moves.
    assert _cleared_m2(sample_url) == 125_000.5
    assert after == {
        "week": 0.0,
        "week_aghdam": 0.0,
        # 12.50005 ha, shown to 4 decimals (before: 20.50005 ha shown as 20.5001).
        "year": 12.5,
        # Since the first record (published totals too), less the same 8 ha.
        "year_cumulative": round(before["year_cumulative"] - 8.0, 4),
        "landrelease": 12.5,
        "landrelease_released": round(before["landrelease_released"] - 8.0, 4),
        "summary": 12.5,
        "public": 12.5,
        "series_w26": 0.0,
        "series_w31": 0.0,
        # HA-002 is open again with ACT-004's land still to clear.
        "aghdam_remaining": round(before["aghdam_remaining"] + 8.0, 4),
    }

    _import(sample_url, "activities", _write(tmp_path, "again.csv", RECLEARANCE))
    again = _released(sample_url)
    # Re-cleared in 2024-W31: the year counts the land once more, in the week it was.
    assert again["year"] == again["landrelease"] == again["summary"] == before["year"]
    assert (again["week"], again["series_w26"], again["series_w31"]) == (0.0, 0.0, 8.0)
    assert again["aghdam_remaining"] == before["aghdam_remaining"]


def test_the_hazard_status_history_shows_the_inspection(sample_url: str, tmp_path: Path) -> None:
    from datetime import date

    from demine.analysis.landrelease.read import load_ledgers, load_register
    from demine.domain.vocab import HazardStatus
    from demine.store.reader import RegisterReader

    _import(sample_url, "quality-inspections", _write(tmp_path, "qi.csv", INSPECTIONS))
    store = open_store(sample_url)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        ledgers = {h.key: h for h in load_ledgers(reader, load_register(reader))}
    store.dispose()
    hazard = ledgers["HA-002"]
    assert hazard.reopenings == ((date(2024, 7, 10), "QI-2"),)
    assert hazard.status_on(date(2024, 7, 10)) is HazardStatus.OPEN
    assert ledgers["HA-001"].reopenings == ()  # QI-3 passed


def test_a_draft_failed_qc_reopens_nothing_until_approved(sample_url: str) -> None:
    from fastapi.testclient import TestClient

    from demine.settings import Settings
    from demine.store.users import add_user, create_token
    from demine.web.app import create_app

    store = open_store(sample_url)
    with store.write() as connection:
        add_user(connection, "dora", "a long enough password", "data_entry", organisation="ANAMA")
        add_user(connection, "ines", "a long enough password", "information_manager")
        dora = {"Authorization": f"Bearer {create_token(connection, 'dora', 't')}"}
        ines = {"Authorization": f"Bearer {create_token(connection, 'ines', 't')}"}
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), store))
    failed = {
        "external_id": "QI-WEB",
        "type": "qc",
        "inspected_on": "2024-07-10",
        "operator": "ANAMA",
        "result": "fail",
        "activity": "ACT-004",
        "sampled_hectares": 0.8,
    }
    created = client.post("/api/quality-inspections", json=failed, headers=dora)
    assert created.status_code == 201, created.text
    assert created.json()["review_status"] == "draft"
    assert _released(sample_url)["year"] == 20.5001
    assert client.post("/api/quality-inspections/QI-WEB/submit", headers=dora).status_code == 200
    approved = client.post("/api/quality-inspections/QI-WEB/approve", headers=ines)
    assert approved.json()["review_status"] == "approved"
    assert _released(sample_url)["year"] == 12.5
    listed = client.get("/api/quality-inspections", headers=ines).json()
    assert [r["external_id"] for r in listed["items"]] == ["QI-WEB"]
    assert listed["items"][0]["sampled_hectares"] == 0.8
    store.dispose()


def test_figures_per_operator(sample_url: str, tmp_path: Path) -> None:
    _import(sample_url, "quality-inspections", _write(tmp_path, "qi.csv", INSPECTIONS))
    _import(sample_url, "non-conformities", _write(tmp_path, "nc.csv", NON_CONFORMITIES))
    period = ("--from", "2024-06-01", "--to", "2024-07-31")
    figures = _json(sample_url, "report", "quality", *period)
    by_code = {o["operator"]: o for o in figures["operators"]}
    anama, safe = by_code["ANAMA"], by_code["SAFE"]
    assert (anama["inspections"], anama["qa"], anama["qc"]) == (3, 1, 2)
    assert (anama["passed"], anama["failed"], anama["failed_qc"]) == (2, 1, 1)
    assert anama["hectares_sampled"] == 2.05
    assert anama["non_conformities_by_grade"] == {"critical": 1, "major": 1, "minor": 1}
    assert anama["non_conformities_open"] == 1  # NC-1 still open on 31 July
    # ACT-004 was reopened: ANAMA cleared only ACT-001's 12.50005 ha.
    assert anama["hectares_cleared"] == 12.5  # 12.50005 ha
    assert anama["non_conformities_per_100_hectares"] == round(3 * 100 / 12.50005, 2)
    assert (safe["inspections"], safe["failed"], safe["hectares_cleared"]) == (1, 1, 0.0)
    assert safe["non_conformities_by_grade"] == {"critical": 0, "major": 1, "minor": 0}
    assert safe["non_conformities_per_100_hectares"] is None  # cleared nothing
    assert figures["total"]["inspections"] == 4
    assert figures["total"]["non_conformities"] == 4
    assert figures["reopened"] == [
        {
            "inspection": "QI-2",
            "inspected_on": "2024-07-10",
            "operator": "ANAMA",
            "activity": "ACT-004",
            "activity_ended": "2024-06-30",
            "hazard": "HA-002",
            "hectares_reopened": 8.0,
            "released_again_by": [],
        }
    ]
    _import(sample_url, "activities", _write(tmp_path, "again.csv", RECLEARANCE))
    text = demine("--db", sample_url, "--country", "AZ", "report", "quality", "--from",
                  "2024-06-01", "--to", "2024-08-31")  # fmt: skip
    assert "QI-2 (2024-07-10) failed the quality control of ACT-004 by ANAMA" in text
    assert "Released again by ACT-005 (2024-08-04, 8.00 ha)." in text
    html = demine("--db", sample_url, "--country", "AZ", "report", "quality", *period,
                  "--format", "html")  # fmt: skip
    assert "<table>" in html and "QI-2" in html


def test_import_template_and_reimport(sample_url: str, tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    demine("template", "quality-inspections", "--output", str(template))
    header = template.read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "external_id,type,inspected_on,operator,result,inspector,hazard,activity,"
        "sampled_hectares,findings,example"
    )
    path = _write(tmp_path, "qi.csv", INSPECTIONS)
    assert "4 new, 0 changed, 0 unchanged" in _import(sample_url, "quality-inspections", path)
    assert "0 new, 0 changed, 4 unchanged" in _import(sample_url, "quality-inspections", path)
    findings = _write(tmp_path, "nc.csv", NON_CONFORMITIES)
    assert "4 new" in _import(sample_url, "non-conformities", findings)


def test_bad_inspections_are_refused_naming_file_row_and_field(
    sample_url: str, tmp_path: Path
) -> None:
    bad = INSPECTIONS.splitlines()[0] + "\nQI-9,qc,2024-07-10,ANAMA,fail,,HA-002,,,\n"
    bad += "QI-10,qa,2024-07-10,ANAMA,maybe,,HA-002,,,\n"
    bad += "QI-11,qa,2024-07-10,ANAMA,pass,,,ACT-404,,\n"
    path = _write(tmp_path, "bad.csv", bad)
    result = runner.invoke(
        app, ["--db", sample_url, "--country", "AZ", "import", "quality-inspections", str(path),
               "--all-problems"],
    )  # fmt: skip
    assert result.exit_code == 6, (result.exit_code, result.exception, result.output)
    output = " ".join((result.output + result.stderr).split())
    assert "bad.csv" in output
    assert "activity" in output and "a quality control names the clearance activity" in output
    assert "result" in output and "maybe" in output
    assert "unknown activity 'ACT-404'" in output
    nc = "external_id,inspection,grade,raised_on,description,closed_on\n"
    nc += "NC-9,QI-404,minor,2024-07-10,x,\nNC-10,QI-2,minor,2024-07-10,x,2024-07-01\n"
    _import(sample_url, "quality-inspections", _write(tmp_path, "qi.csv", INSPECTIONS))
    path = _write(tmp_path, "nc.csv", nc)
    result = runner.invoke(
        app, ["--db", sample_url, "--country", "AZ", "import", "non-conformities", str(path),
               "--all-problems"],
    )  # fmt: skip
    output = " ".join((result.output + result.stderr).split())
    assert "unknown quality-inspections record 'QI-404'" in output
    assert "before the day it was raised" in output


def test_export_writes_inspections_and_non_conformities(sample_url: str, tmp_path: Path) -> None:
    _import(sample_url, "quality-inspections", _write(tmp_path, "qi.csv", INSPECTIONS))
    _import(sample_url, "non-conformities", _write(tmp_path, "nc.csv", NON_CONFORMITIES))
    folder = tmp_path / "out"
    demine("--db", sample_url, "--country", "AZ", "export", "--format", "csv", "--output",
           str(folder), "--kind", "quality-inspections", "--kind", "non-conformities")  # fmt: skip
    files = {p.name: p for p in folder.iterdir()}
    assert set(files) >= {"quality_inspections.csv", "non_conformities.csv"}
    with files["quality_inspections.csv"].open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not r["external_id"].startswith("#")]
    assert {r["external_id"]: r["result"] for r in rows} == {
        "QI-1": "pass", "QI-2": "fail", "QI-3": "pass", "QI-4": "fail",
    }  # fmt: skip
    assert next(r for r in rows if r["external_id"] == "QI-2")["sampled_hectares"] == "0.8"


def test_the_demo_has_one_failed_qc_outside_every_published_figure() -> None:
    from datetime import timedelta

    from demine.demo.load import _built
    from demine.demo.published import PUBLISHED_MONTHS, PUBLISHED_WEEKS
    from demine.domain.quality import check_inspection, check_non_conformity
    from demine.domain.rules import RuleContext
    from demine.domain.vocab import HazardStatus

    register = _built(2024)
    context = RuleContext(today=TODAY)
    assert not [p for i in register.quality_inspections for p in check_inspection(i, context)]
    assert not [p for n in register.non_conformities for p in check_non_conformity(n, context)]
    failed = [i for i in register.quality_inspections if i.reopens]
    assert [i.external_id for i in failed] == ["QI-2022-FAIL"]
    activity = next(a for a in register.activities if a.external_id == failed[0].inspected_activity)
    assert (activity.external_id, activity.area_cleared_m2) == ("AZ-ACT-2022W13-FUZ-1", 74_600)
    week = activity.end_date - timedelta(days=6)
    assert week not in {w.start for w in PUBLISHED_WEEKS}
    assert (week.year, week.month) not in {(m.year, m.month) for m in PUBLISHED_MONTHS}
    closed = [c.changed_on for c in register.hazard_status_changes
              if c.hazard == activity.hazard and c.status is HazardStatus.CLOSED]  # fmt: skip
    inspected = failed[0].inspected_on
    again = [a for a in register.activities if a.hazard == activity.hazard
             and inspected <= a.end_date < closed[0] and a.area_cleared_m2 > 0]  # fmt: skip
    assert again, "the hazard is cleared again before it is closed"
    grades = {n.grade.value for n in register.non_conformities if n.inspection == "QI-2022-FAIL"}
    assert grades == {"critical", "major"}


def test_the_demo_failed_qc_reopens_its_hectares(demo_database_url: str) -> None:
    from demine.demo.series import weekly_series

    planned = {w.week_start.isoformat(): w.area_cleared_m2 for w in weekly_series(2024)}
    series = json.loads(demine("--db", demo_database_url, "--country", "AZ", "report",
                               "series", "--from", "2022-03", "--to", "2022-04",
                               "--format", "json"))  # fmt: skip
    counted = {w["period_start"]: w["hectares_cleared"] for w in series["weeks"]}
    # 2022-W13 counts ACT-2022W13-FUZ-1's 7.46 ha less than planned; no other week moves.
    assert counted["2022-03-28"] == round((planned["2022-03-28"] - 74_600) / 10_000, 4)
    assert {d: h for d, h in counted.items() if d != "2022-03-28"} == {
        d: round(planned[d] / 10_000, 4) for d in counted if d != "2022-03-28"
    }
    year = _json(demo_database_url, "report", "annual", "--year", "2022")
    planned_2022 = sum(w.area_cleared_m2 for w in weekly_series(2024) if w.week_end.year == 2022)
    assert year["hectares_cleared"] == round((planned_2022 - 74_600) / 10_000, 4)
    figures = _json(demo_database_url, "report", "quality", "--from", "2022-01-01",
                    "--to", "2022-12-31")  # fmt: skip
    assert [r["inspection"] for r in figures["reopened"]] == ["QI-2022-FAIL"]
    assert figures["reopened"][0]["hectares_reopened"] == 7.46
    assert figures["reopened"][0]["released_again_by"][0]["activity"] == "AZ-ACT-2022W15-FUZ-2"
    assert figures["total"]["failed_qc"] == 1


def test_entry_page_and_review_queue_take_the_new_kinds(store: Store) -> None:
    from tests.web_fixtures import web_on

    web = web_on(store)
    page = web.client.get("/entry?kind=quality-inspections", headers=web.as_("dora"))
    assert page.status_code == 200
    assert 'data-kind="quality-inspections"' in page.text
    for column in ("type", "inspected_on", "operator", "result", "activity", "sampled_hectares"):
        assert f'name="{column}"' in page.text
    assert 'id="add-find"' not in page.text and 'name="wkt"' not in page.text
    # Codes are chosen from the kind's vocabulary.
    assert '<select name="result" required>' in page.text
    assert '<option value="qc">' in page.text
    findings = web.client.get("/entry?kind=non-conformities", headers=web.as_("dora"))
    assert findings.status_code == 200 and 'name="corrective_action"' in findings.text
    # Reference data is for information managers to enter, not data entry staff.
    assert web.client.get("/entry?kind=organisations", headers=web.as_("dora")).status_code == 403
    assert web.client.get("/entry?kind=nothing", headers=web.as_("dora")).status_code == 404
    draft = {"external_id": "QI-PAGE", "type": "qa", "inspected_on": "2024-07-03",
             "operator": "SAFE", "result": "pass", "hazard": "HA-002"}  # fmt: skip
    assert web.client.post("/api/quality-inspections", json=draft,
                           headers=web.as_("dora")).status_code == 201  # fmt: skip
    listed = web.client.get("/entry?kind=quality-inspections", headers=web.as_("dora")).text
    assert 'href="/entry?kind=quality-inspections&amp;key=QI-PAGE"' in listed
    reopened = web.client.get("/entry?kind=quality-inspections&key=QI-PAGE",
                              headers=web.as_("dora"))  # fmt: skip
    assert reopened.status_code == 200 and '"external_id": "QI-PAGE"' in reopened.text
    web.client.post("/api/quality-inspections/QI-PAGE/submit", headers=web.as_("dora"))
    review = web.client.get("/review", headers=web.as_("ines")).text
    assert 'data-key="QI-PAGE" data-kind="quality-inspections"' in review
    assert "Quality inspections (1)" in review


def test_the_generic_parts_needed_no_code_for_the_new_kinds() -> None:
    """Beyond their description (domain/kinds/quality.py, the entities and rules in
    domain/quality.py), the kinds are named only where a table is declared (schema, its
    migration), in the command line's help list, and by their own rule (reopening) and
    report; the importer, template, REST API, OGC API, exports and entry page derive
    everything from the registry."""
    from demine.domain.kinds import KINDS
    from demine.ingest.specs import SPECS
    from demine.store import schema
    from demine.store.mapping import mapping_for

    source = Path(__file__).parent.parent / "src" / "demine"
    names = ("quality-inspections", "non-conformities", "quality_inspections",
             "non_conformities", "QualityInspection", "NonConformity")  # fmt: skip
    naming = {
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if any(name in path.read_text(encoding="utf-8") for name in names)
    }
    assert naming == {
        "domain/kinds/quality.py",
        "domain/quality.py",
        # The vocabularies' words (every page and field form reads this one table).
        "domain/vocabulary_labels.py",
        "store/schema.py",
        "store/migrations/versions/0014_quality.py",
        # Adds the custom-fields column to every kind table, named one by one.
        "store/migrations/versions/0017_custom_fields.py",
        # Versions every kind's table by triggers, named as they were at the revision.
        "store/migrations/versions/0023_rtree_and_data_versions.py",
        "cli/commands_data.py",
        # The kinds' own rule (a failed QC reopens its land), report and demo records.
        "store/reads/reopened.py",
        "store/reads/quality.py",
        "analysis/quality.py",
        "reports/quality/document.py",
        "reports/quality/sheets.py",
        "cli/commands_report.py",
        "demo/quality.py",
        "demo/build.py",
        "demo/load.py",
    }
    for name in ("quality-inspections", "non-conformities"):
        kind = KINDS[name]
        assert kind.workflow and kind.soft_delete
        assert [f.name for f in SPECS[name].fields] == [f.name for f in kind.fields]
        assert mapping_for(kind.entity).table is schema.metadata.tables[kind.table]
