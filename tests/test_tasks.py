"""Tasks and operators' accreditations: kinds of the registry whose generic parts
(table, import, template, REST, OGC collection, export, forms) need no code beyond their
description; their own rules (accreditation, status moves); a task's dossier and the
land release certificate of a completed task."""

from __future__ import annotations

import csv
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import shapely
from tests.helpers import TODAY, load_sample
from tests.web_fixtures import Web, correct, web_on
from typer.testing import CliRunner

from demine.analysis.tasks.certificate import release_certificate
from demine.analysis.tasks.dossier import task_dossier
from demine.analysis.tasks.priority import suggested_priority
from demine.cli.main import app as cli_app
from demine.demo.build import build_demo
from demine.domain.kinds import KIND_BY_COLLECTION, KINDS, FieldType
from demine.domain.projects import DevelopmentProject
from demine.domain.rules import RuleContext
from demine.domain.tasks import (
    HELD_STATUSES,
    NEXT_STATUSES,
    accreditation_problem,
    can_move,
    check_task,
)
from demine.domain.vocab import ProjectKind, TaskStatus
from demine.errors import ImportRejected, InvalidRequestError, Problem
from demine.export.writer import export_register
from demine.ingest.importer import import_file
from demine.ingest.specs import SPECS
from demine.reports.formats import DocumentFormat, ExportFormat
from demine.reports.tasks.certificate import render_certificate
from demine.reports.tasks.dossier import render_dossier
from demine.store import schema
from demine.store.engine import Store, open_store
from demine.store.mapping import MAPPINGS
from demine.store.reader import RegisterReader
from demine.store.refs import load_refs
from demine.store.register import save
from demine.web.entry_form import form_fields
from demine.web.routes_api import Kind as RestKind

TASKS = Path(__file__).parent / "fixtures" / "tasks"
SOURCE = Path(__file__).resolve().parents[1] / "src" / "demine"
NEW_KINDS = ("accreditations", "tasks")


def load_tasks(store: Store) -> None:
    load_sample(store)
    for kind in NEW_KINDS:
        import_file(store, kind, TASKS / f"{kind}.csv", country="AZ", today=TODAY)


@pytest.fixture
def tasked(store: Store) -> Store:
    load_tasks(store)
    return store


def refused_row(store: Store, path: Path, row: str) -> Problem:
    """The one problem of importing a tasks file of one ``row`` (refused)."""
    path.write_text(f"{TASK_HEADER}\n{row}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_file(store, "tasks", path, country="AZ", today=TODAY)
    [problem] = refused.value.problems
    assert (problem.file, problem.row) == (path.name, 2)
    return problem


#: The columns of the sample tasks, but the task area (optional).
TASK_HEADER = (TASKS / "tasks.csv").read_text(encoding="utf-8").splitlines()[0].removesuffix(",wkt")


# -- the registry --------------------------------------------------------------------


def test_registry_describes_tasks_and_accreditations() -> None:
    tasks, accreditations = KINDS["tasks"], KINDS["accreditations"]
    assert (tasks.table, tasks.key, tasks.collection) == ("tasks", "external_id", "tasks")
    assert tasks.field("hazards").type is FieldType.REFERENCES
    assert tasks.field("hazards").references == "hazards"
    assert tasks.field("activities").references == "activities"
    assert tasks.field("organisation").references == "organisations"
    assert tasks.register_check is not None and tasks.soft_delete and not tasks.workflow
    assert accreditations.collection is None, "an accreditation has no place on a map"
    assert [f.name for f in accreditations.fields] == [
        "external_id", "organisation", "method", "valid_from", "valid_until", "reference",
    ]  # fmt: skip


def test_the_generic_parts_follow_from_the_description_alone() -> None:
    """Table, import spec, mapping, REST route, OGC collection and form exist for both
    kinds, and no module outside their own names them: no code beyond the description."""
    for name in NEW_KINDS:
        kind = KINDS[name]
        table = schema.metadata.tables[kind.table]
        assert {f.stored_column for f in kind.fields} <= set(table.c.keys())
        assert [s.name for s in SPECS[name].fields] == [f.name for f in kind.fields]
        assert kind.entity in MAPPINGS
        assert name in {k.value for k in RestKind}
        assert [f.name for f in form_fields(name, ["Fuzuli"], ["ANAMA"])] == [
            f.name for f in kind.fields
        ]
    assert KIND_BY_COLLECTION["tasks"] is KINDS["tasks"]
    # Outside the kinds' own modules (their entity and rules, their description, their
    # table's line in the schema, their reports and migration), nothing names them; the
    # command line's help lists every kind by name so as not to load the registry.
    own = {
        "domain/tasks.py", "domain/kinds/tasks.py", "store/schema.py",
        "store/migrations/versions/0013_tasks.py", "cli/commands_data.py",
        # Adds the custom-fields column to every kind table, named one by one.
        "store/migrations/versions/0017_custom_fields.py",
        # Counts the changes to every kind table (data versions), named one by one.
        "store/migrations/versions/0023_rtree_and_data_versions.py",
    }  # fmt: skip
    own_folders = ("analysis/tasks/", "reports/tasks/")
    naming = re.compile(r"""["'](tasks|accreditations)["']""")
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if relative in own or relative.startswith(own_folders):
            continue
        assert not naming.search(path.read_text(encoding="utf-8")), relative


def test_status_moves() -> None:
    assert can_move(TaskStatus.PLANNED, TaskStatus.ISSUED)
    assert can_move(TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED)
    assert can_move(TaskStatus.SUSPENDED, TaskStatus.IN_PROGRESS)
    assert not can_move(TaskStatus.PLANNED, TaskStatus.COMPLETED)
    assert not can_move(TaskStatus.COMPLETED, TaskStatus.ISSUED)
    assert not NEXT_STATUSES[TaskStatus.CANCELLED]


# -- template, import, export --------------------------------------------------------


def test_template_lists_the_task_columns(tmp_path: Path) -> None:
    output = tmp_path / "tasks.csv"
    result = CliRunner().invoke(cli_app, ["template", "tasks", "-o", str(output)])
    assert result.exit_code == 0, result.output
    header = next(csv.reader(output.open(encoding="utf-8")))
    for column in ("external_id", "organisation", "method", "status", "hazards", "activities"):
        assert column in header


def test_import_and_import_again_changes_nothing(store: Store) -> None:
    load_sample(store)
    for kind in NEW_KINDS:
        first = import_file(store, kind, TASKS / f"{kind}.csv", country="AZ", today=TODAY)
        assert first.counts.inserted == 3
        again = import_file(store, kind, TASKS / f"{kind}.csv", country="AZ", today=TODAY)
        assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 3)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        rows = {row["external_id"]: row for row in reader.rows("tasks")}
    assert rows["TSK-001"]["hazards"] == "HA-001"
    assert rows["TSK-001"]["activities"] == "ACT-001;ACT-003"
    assert rows["TSK-002"]["assets"] == "manual;mine_detection_dogs"


def test_an_unknown_hazard_is_refused_with_file_row_and_field(
    tasked: Store, tmp_path: Path
) -> None:
    problem = refused_row(
        tasked,
        tmp_path / "bad.csv",
        "TSK-009,Aghdam,ANAMA,clearance,planned,2024-08-01,2024-09-30,HA-002;HA-404,,,,,",
    )
    assert problem.field == "hazards" and "HA-404" in problem.reason


def test_a_task_cannot_be_issued_to_an_operator_whose_accreditation_lapsed(
    tasked: Store, tmp_path: Path
) -> None:
    # SAFE's technical-survey accreditation expired on 2024-06-30; its task is only planned.
    problem = refused_row(
        tasked,
        tmp_path / "issue.csv",
        "TSK-003,Aghdam,SAFE,TS,issued,2024-08-01,2024-09-30,HA-002,TS-4,mechanical,3,,",
    )
    assert problem.field == "organisation"
    for word in ("SAFE", "technical_survey", "expires on 2024-06-30", "SAFE/ACC/2023-004"):
        assert word in problem.reason
    # Nothing was written: the task is still planned.
    with tasked.read() as connection:
        rows = list(RegisterReader(connection, "AZ").rows("tasks"))
    assert {r["external_id"]: r["status"] for r in rows}["TSK-003"] == "planned"
    problem = refused_row(
        tasked,
        tmp_path / "never.csv",
        "TSK-010,Aghdam,MOD-ENG,BAC,issued,2024-08-01,2024-09-30,HA-002,,,,,",
    )
    assert "MOD-ENG holds no accreditation for battle_area_clearance" in problem.reason


def test_a_status_cannot_go_back(tasked: Store, tmp_path: Path) -> None:
    problem = refused_row(
        tasked,
        tmp_path / "reopen.csv",
        "TSK-001,Tartar,ANAMA,clearance,issued,2024-06-20,2024-07-31,HA-001,MCT-1,,1,ACT-001,",
    )
    assert problem.field == "status" and "a completed task cannot become issued" in problem.reason


def test_export_writes_the_tasks(tasked: Store, tmp_path: Path) -> None:
    [path] = export_register(tasked, tmp_path, ExportFormat.CSV, ["tasks"], "AZ")
    rows = list(csv.DictReader(line for line in path.open(encoding="utf-8") if line[:1] != "#"))
    keyed = {row["external_id"]: row for row in rows}
    assert keyed["TSK-001"]["hazards"] == "HA-001"
    assert keyed["TSK-001"]["activities"] == "ACT-001;ACT-003"
    # The exported files import again unchanged.
    again = import_file(tasked, "tasks", path, country="AZ", today=TODAY)
    assert again.counts.unchanged == 3
    [layers] = export_register(tasked, tmp_path / "tasks.gpkg", ExportFormat.GPKG, NEW_KINDS, "AZ")
    for kind in NEW_KINDS:
        # Every layer of the kind (tasks: tasks_points and tasks_areas) in one import.
        again = import_file(tasked, kind, layers, country="AZ", today=TODAY)
        assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 3)


# -- REST, OGC and pages -------------------------------------------------------------


@pytest.fixture
def web(store: Store) -> Web:
    served = web_on(store)
    for kind in NEW_KINDS:
        import_file(store, kind, TASKS / f"{kind}.csv", country="AZ", today=TODAY)
    return served


NEW_TASK = {
    "external_id": "TSK-API-1",
    "organisation": "ANAMA",
    "method": "clearance",
    "status": "issued",
    "planned_start": "2024-08-01",
    "due_date": "2024-10-31",
    "hazards": "HA-002",
    "assets": "manual",
    "priority": 2,
    "wkt": "POLYGON ((46.95 40.0, 46.96 40.0, 46.96 40.01, 46.95 40.01, 46.95 40.0))",
}


def test_rest_creates_and_reads_a_task(web: Web) -> None:
    created = web.client.post("/api/tasks", json=NEW_TASK, headers=web.as_("ines"))
    assert created.status_code == 201, created.text
    read = web.client.get("/api/tasks/TSK-API-1", headers=web.as_("vera")).json()
    assert (read["district"], read["status"], read["hazards"]) == ("AZ-AGD", "issued", "HA-002")
    listed = web.client.get("/api/accreditations", headers=web.as_("vera")).json()
    assert listed["total"] == 3
    # Tasks are orders of the authority: data entry staff do not issue them.
    other = {**NEW_TASK, "external_id": "TSK-API-2"}
    assert web.client.post("/api/tasks", json=other, headers=web.as_("dora")).status_code == 403


def test_rest_refuses_a_task_for_a_lapsed_accreditation(web: Web) -> None:
    lapsed = {**NEW_TASK, "organisation": "SAFE", "method": "technical_survey"}
    answer = web.client.post("/api/tasks", json=lapsed, headers=web.as_("ines"))
    assert answer.status_code == 422, answer.text
    assert "SAFE" in answer.text and "expires on 2024-06-30" in answer.text
    assert web.client.get("/api/tasks/TSK-API-1", headers=web.as_("vera")).status_code == 404


def test_rest_moves_a_task_only_as_its_status_allows(web: Web) -> None:
    started = correct(web, "ines", "tasks", "TSK-003", status="cancelled")
    assert started.status_code == 200, started.text
    back = correct(web, "ines", "tasks", "TSK-003", status="planned")
    assert back.status_code == 422
    assert "a cancelled task cannot become planned" in back.text


def test_ogc_collection_of_tasks_per_role(web: Web) -> None:
    public = web.client.get("/ogc/collections/tasks-areas/items")
    assert public.status_code == 404, "tasks are operational: not public"
    features = web.client.get("/ogc/collections/tasks-areas/items", headers=web.as_("vera")).json()
    assert {f["properties"]["external_id"] for f in features["features"]} == {
        "TSK-001", "TSK-002", "TSK-003",
    }  # fmt: skip
    one = next(f for f in features["features"] if f["properties"]["external_id"] == "TSK-001")
    assert one["properties"]["organisation"] == "ANAMA"
    assert one["properties"]["hazards"] == "HA-001"


def test_the_import_page_offers_tasks_and_accreditations(web: Web) -> None:
    page = web.client.get("/import", headers=web.as_("ines"))
    assert page.status_code == 200
    assert 'value="tasks"' in page.text and 'value="accreditations"' in page.text


def test_information_managers_enter_tasks_and_accreditations_on_the_entry_page(web: Web) -> None:
    page = web.client.get("/entry?kind=tasks", headers=web.as_("ines"))
    assert page.status_code == 200
    for name in ("external_id", "organisation", "method", "status", "hazards", "due_date"):
        assert f'data-field="{name}"' in page.text
    assert 'id="save-record"' in page.text and 'id="save-draft"' not in page.text
    assert 'href="/entry?kind=accreditations"' in page.text
    accreditations = web.client.get("/entry?kind=accreditations", headers=web.as_("ines"))
    assert accreditations.status_code == 200 and 'data-field="valid_until"' in accreditations.text
    # Data entry staff enter field reports only: tasks are the authority's orders.
    refused = web.client.get("/entry?kind=tasks", headers=web.as_("dora"))
    assert refused.status_code == 403
    assert "only information managers enter Tasks" in refused.text
    assert 'href="/entry?kind=tasks"' not in web.client.get("/entry", headers=web.as_("dora")).text


# -- the dossier and the certificate -------------------------------------------------


def test_dossier_shows_the_hazard_its_history_and_the_accidents_nearby(tasked: Store) -> None:
    with tasked.read() as connection:
        dossier = task_dossier(RegisterReader(connection, "AZ"), "TSK-002")
    assert [h.external_id for h in dossier.hazards] == ["HA-002"]
    assert [n.record.external_id for n in dossier.accidents] == ["ACC-002"]
    assert 1_000 < dossier.accidents[0].distance_m < 2_000
    assert {n.record.external_id for n in dossier.earlier_activities} == {"ACT-002", "ACT-004"}
    page = render_dossier(dossier, DocumentFormat.HTML)
    assert isinstance(page, str)
    for text in ("Task dossier TSK-002", "HA-002", "Agricultural fields east", "ACC-002",
                 "ACT-004", "[withheld: personal data]"):  # fmt: skip
        assert text in page
    assert "local reports" not in page, "free text evidence is withheld"


def test_dossier_names_the_projects_that_need_the_hazards(tasked: Store) -> None:
    road = DevelopmentProject(
        "PRJ-AGD-1", "AZ", "AZ-AGD", "Aghdam bypass", ProjectKind.ROAD, 1, 50.0,
        geometry=shapely.from_wkt("LINESTRING (46.94 40.005, 46.97 40.005)"),
    )  # fmt: skip
    with tasked.write() as connection:
        save(connection, [road], load_refs(connection), None, datetime.now(UTC))
    with tasked.read() as connection:
        dossier = task_dossier(RegisterReader(connection, "AZ"), "TSK-002")
    [need] = dossier.projects
    assert (need.project, need.rank, need.hazards) == ("PRJ-AGD-1", 1, ("HA-002",))
    assert suggested_priority(dossier.projects) == 1
    page = render_dossier(dossier, DocumentFormat.HTML)
    assert isinstance(page, str) and "Aghdam bypass" in page


def test_dossier_command_writes_html_and_pdf(
    tasked: Store, database_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    base = ["--db", database_url, "report", "task-dossier"]
    html = runner.invoke(cli_app, [*base, "TSK-001"])
    assert html.exit_code == 0, html.output
    assert "HA-001" in html.output and "evacuation point" in html.output
    pdf = tmp_path / "dossier.pdf"
    written = runner.invoke(cli_app, [*base, "TSK-001", "--format", "pdf", "-o", str(pdf)])
    assert written.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(cli_app, [*base, "TSK-404"])
    assert missing.exit_code != 0
    assert "no task 'TSK-404'" in missing.output + str(missing.exception)


def test_release_certificate_lists_hectares_by_method(tasked: Store, tmp_path: Path) -> None:
    with tasked.read() as connection:
        certificate = release_certificate(RegisterReader(connection, "AZ"), "TSK-001")
    # ACT-003 cancelled 250,000 m² by non-technical survey, ACT-001 cleared 125,000.5 m².
    assert certificate.released_m2 == {"cancelled": 250_000.0, "reduced": 0.0, "cleared": 125_000.5}
    pdf = render_certificate(certificate, DocumentFormat.PDF)
    assert isinstance(pdf, bytes)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert "Cancelled by non-technical survey 25.00 250,000" in lines
    assert "Reduced by technical survey 0.00 0" in lines
    assert "Cleared 12.50 125,000" in lines
    assert "Total released 37.50 375,000" in lines
    assert "Land release certificate" in text and "TSK-001" in text


def test_no_certificate_for_a_task_not_completed(tasked: Store, database_url: str) -> None:
    with tasked.read() as connection, pytest.raises(InvalidRequestError) as refused:
        release_certificate(RegisterReader(connection, "AZ"), "TSK-002")
    assert "task TSK-002 is in_progress" in refused.value.message
    result = CliRunner().invoke(
        cli_app,
        ["--db", database_url, "report", "release-certificate",
         "TSK-002", "--format", "html"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "only for a completed task" in result.output + str(result.exception)


def test_a_draft_activity_releases_no_land(tasked: Store) -> None:
    """Only approved activities count: a deleted one leaves the certificate."""
    with tasked.write() as connection:
        table = schema.metadata.tables["activities"]
        connection.execute(
            table.update().where(table.c.external_id == "ACT-003").values(review_status="draft")
        )
    with tasked.read() as connection:
        certificate = release_certificate(RegisterReader(connection, "AZ"), "TSK-001")
    assert certificate.released_m2["cancelled"] == 0.0
    assert certificate.released_m2["cleared"] == 125_000.5


# -- the demo ------------------------------------------------------------------------


def test_demo_tasks_keep_their_own_rules() -> None:
    demo = build_demo()
    statuses = {task.status for task in demo.tasks}
    assert statuses == set(TaskStatus), "the demo shows every status"
    activities = {a.external_id for a in demo.activities}
    hazards = {h.external_id for h in demo.hazards}
    context = RuleContext(today=date(2026, 12, 31))
    for task in demo.tasks:
        assert check_task(task, context) == [], task.external_id
        assert set(task.hazards) <= hazards and set(task.activities) <= activities
        held = [a for a in demo.accreditations if a.organisation == task.organisation]
        if task.status in HELD_STATUSES:
            assert accreditation_problem(task, held) is None, task.external_id
    planned = next(t for t in demo.tasks if t.organisation == "DEMO-QAYA")
    lapsed = accreditation_problem(
        replace(planned, status=TaskStatus.ISSUED),
        [a for a in demo.accreditations if a.organisation == "DEMO-QAYA"],
    )
    assert lapsed is not None and "expires on 2025-06-30" in lapsed


def test_demo_certificate_and_dossier(demo_database_url: str, tmp_path: Path) -> None:
    demo = build_demo()
    task = next(t for t in demo.tasks if t.status is TaskStatus.COMPLETED)
    worked = [a for a in demo.activities if a.external_id in task.activities]
    cleared = sum(a.area_cleared_m2 for a in worked)
    reduced = sum(a.area_reduced_m2 for a in worked)
    cancelled = sum(a.area_cancelled_m2 for a in worked)
    demo_store = open_store(demo_database_url)
    try:
        with demo_store.read() as connection:
            reader = RegisterReader(connection, "AZ")
            certificate = release_certificate(reader, task.external_id)
            dossier = task_dossier(reader, task.external_id)
    finally:
        demo_store.dispose()
    assert certificate.released_m2 == {
        "cancelled": cancelled, "reduced": reduced, "cleared": cleared,
    }  # fmt: skip
    page = render_dossier(dossier, DocumentFormat.HTML)
    assert isinstance(page, str) and task.hazards[0] in page
