"""Risk education sessions (IMAS 12.10), a kind described once in the registry: its
entry, rules, migration, import template and import, REST API, OGC collection per role,
exports and entry page, all derived from the description with no code of their own."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest
import shapely
from tests.helpers import REGISTER, TODAY, snapshot
from tests.web_fixtures import Web, web_on
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.eore import EoreSession, check_eore_session
from demine.domain.kinds import KINDS, Sensitivity
from demine.domain.rules import RuleContext
from demine.domain.vocab import EoreMethod, EoreTargetGroup
from demine.errors import ImportRejected
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import import_file
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RecordFilter, RegisterReader

KIND = "eore-sessions"
FIXTURE = REGISTER / "eore_sessions.csv"
SRC = Path(__file__).resolve().parents[1] / "src" / "demine"
runner = CliRunner()


def _session(**changes: object) -> EoreSession:
    values: dict[str, object] = {
        "external_id": "E-1", "country": "AZ", "district": "AZ-TAR",
        "held_on": date(2024, 7, 2), "organisation": "ANAMA",
        "method": EoreMethod.FACE_TO_FACE, "target_group": EoreTargetGroup.SCHOOLCHILDREN,
        "girls": 3, "boys": 4, "women": 1, "men": 0, "persons_with_disabilities": 1,
    }  # fmt: skip
    return EoreSession(**{**values, **changes})  # type: ignore[arg-type]


@pytest.fixture
def web(store: Store) -> Web:
    made = web_on(store)
    import_file(store, KIND, FIXTURE, country="AZ", today=TODAY)
    return made


def test_the_registry_describes_the_kind() -> None:
    kind = KINDS[KIND]
    assert (kind.entity, kind.table, kind.key) == (EoreSession, "eore_sessions", "external_id")
    assert [f.name for f in kind.fields] == [
        "external_id", "held_on", "district", "settlement", "organisation", "method",
        "target_group", "girls", "boys", "women", "men", "persons_with_disabilities",
    ]  # fmt: skip
    assert kind.field("method").vocabulary is EoreMethod
    assert kind.field("target_group").vocabulary is EoreTargetGroup
    assert kind.workflow and kind.soft_delete and kind.sensitivity is Sensitivity.OPERATIONAL
    assert (kind.geometry, kind.collection, kind.category) == (("Point",), KIND, "method")
    assert set(schema.metadata.tables["eore_sessions"].c.keys()) >= {
        "held_on", "district_id", "settlement_id", "organisation_id", "girls",
        "persons_with_disabilities", "geometry", "review_status", "deleted_at",
    }  # fmt: skip
    docs = (SRC.parents[1] / "docs" / "kinds.md").read_text(encoding="utf-8")
    assert "## `eore-sessions`: Risk education sessions" in docs


def test_the_rules_of_a_session() -> None:
    context = RuleContext(today=date(2025, 1, 1))
    assert check_eore_session(_session(), context) == []
    assert check_eore_session(_session(girls=-2), context) == [
        ("girls", "must not be negative (got -2)")
    ]
    assert check_eore_session(_session(persons_with_disabilities=9), context) == [
        ("persons_with_disabilities", "9 persons with disabilities among 8 beneficiaries")
    ]
    assert check_eore_session(_session(held_on=date(2025, 2, 1)), context) == [
        ("held_on", "date 2025-02-01 is in the future")
    ]
    line = shapely.from_wkt("LINESTRING (46.9 40.3, 46.95 40.3)")
    assert check_eore_session(_session(geometry=line), context) == [
        ("geometry", "geometry is a LineString; expected Point")
    ]


def test_the_generic_parts_needed_no_code_beyond_the_description() -> None:
    """Only the kind's own files name it: its description, entity and rules, its
    vocabulary, its table and migration, the demo and the figures drawn from it. The
    importer, table mapping, REST and OGC APIs, exports, templates and forms do not."""
    allowed = {
        "domain/eore.py", "domain/kinds/eore.py", "domain/kinds/registry.py",
        "store/schema.py", "store/migrations/versions/0015_eore_sessions.py",
        # Adds the custom-fields column to every kind table, named one by one.
        "store/migrations/versions/0017_custom_fields.py",
        # Counts the changes to every kind table (data versions), named one by one.
        "store/migrations/versions/0023_rtree_and_data_versions.py",
        "cli/commands_data.py",  # RECORD_KINDS: --help names kinds without the registry
        "demo/eore.py", "demo/build.py", "demo/load.py", "analysis/eore/reach.py",
        "analysis/eore/public.py", "analysis/eore/__init__.py",
        "reports/bulletin/risk_education.py",
        "export/public.py",  # the public aggregates' risk education columns
        "export/public_columns.py",  # … and their HXL tags
    }  # fmt: skip
    naming = re.compile(r"eore[-_]sessions|EoreSession|EORE_SESSIONS")
    found = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*")
        if path.suffix in (".py", ".j2", ".js", ".html")
        and naming.search(path.read_text(encoding="utf-8"))
    }
    assert found <= allowed, found - allowed
    generic = (
        "ingest/", "web/", "export/writer.py", "export/templates.py", "store/reads/",
        "editing/", "store/mapping.py", "store/table_mapping.py", "store/kind_tables.py",
    )  # fmt: skip
    assert not [name for name in found if name.startswith(generic)]


def test_template_then_import_all_or_nothing_and_again_unchanged(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    web_on(store)  # the sample register: districts, a settlement, organisations
    template = tmp_path / "eore.csv"
    written = runner.invoke(app, ["template", KIND, "-o", str(template)])
    assert written.exit_code == 0, written.output
    header, example = list(csv.reader(template.open(encoding="utf-8")))
    assert header == [*(f.name for f in KINDS[KIND].fields), "wkt", "example"]
    assert example[-2:] == ["POINT (46.9321 40.0114)", "yes"]

    imported = runner.invoke(app, ["--db", database_url, "import", KIND, str(FIXTURE)])
    assert imported.exit_code == 0, imported.output
    with store.read() as connection:
        rows = {r["external_id"]: r for r in RegisterReader(connection, "AZ").rows(KIND)}
        areas = {a.id: a.code for a in connection.execute(schema.admin_areas.select())}
    assert sorted(rows) == ["EORE-T-001", "EORE-T-002", "EORE-T-003", "EORE-T-004"]
    # The district from the point, the settlement by name, codes by their usual spellings.
    assert areas[rows["EORE-T-004"]["district_id"]] == "AZ-AGD"
    assert areas[rows["EORE-T-002"]["settlement_id"]] == "AZ-FUZ-HOR"
    assert rows["EORE-T-002"]["method"] == "community_focal_point"
    assert rows["EORE-T-003"]["method"] == "media"
    assert [rows["EORE-T-003"][g] for g in ("girls", "boys", "women", "men")] == [0, 0, 0, 0]
    assert rows["EORE-T-001"]["review_status"] == "approved"

    before = snapshot(store, with_provenance=False)
    report = import_file(store, KIND, FIXTURE, country="AZ", today=TODAY)
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 0, 4)
    assert snapshot(store, with_provenance=False) == before

    bad = tmp_path / "bad_eore.csv"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8")
        + "EORE-T-005,2024-07-03,Tartar,,ANAMA,face_to_face,farmers,0,-1,2,3,0,\n"
        + "EORE-T-006,2024-07-03,Tartar,,ANAMA,puppet show,farmers,0,1,2,3,0,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(store, KIND, bad, country="AZ", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "bad_eore.csv, row 6, field 'boys': must not be negative (got -1)",
        "bad_eore.csv, row 7, field 'method': unknown value 'puppet show' (accepted: "
        "face_to_face, community_focal_point, media, digital)",
    ]
    assert snapshot(store, with_provenance=False) == before

    # A place given only as a settlement: the session lies in the settlement's district.
    header = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    village = tmp_path / "village.csv"
    village.write_text(
        f"{header}\nEORE-T-007,2024-07-03,,Goradiz,ANAMA,face_to_face,farmers,0,1,2,3,0,\n",
        encoding="utf-8",
    )
    import_file(store, KIND, village, country="AZ", today=TODAY)
    with store.read() as connection:
        day = RecordFilter(start=date(2024, 7, 3), end=date(2024, 7, 3))
        (row,) = RegisterReader(connection, "AZ").rows(KIND, day)
    assert (areas[row["district_id"]], areas[row["settlement_id"]]) == ("AZ-FUZ", "AZ-FUZ-HOR")


def test_rest_a_session_goes_from_draft_to_approved(web: Web) -> None:
    session = {
        "external_id": "EORE-WEB-1", "held_on": "2024-07-03", "district": "Tartar",
        "organisation": "ANAMA", "method": "face_to_face", "target_group": "returnees",
        "girls": 5, "boys": 6, "women": 7, "men": 8, "wkt": "POINT (46.95 40.33)",
    }  # fmt: skip
    client = web.client
    listed = client.get(f"/api/{KIND}", headers=web.as_("vera")).json()
    assert listed["total"] == 4
    created = client.post(f"/api/{KIND}", json=session, headers=web.as_("dora"))
    assert created.status_code == 201, created.text
    assert created.json()["review_status"] == "draft"
    assert client.get(f"/api/{KIND}", headers=web.as_("vera")).json()["total"] == 4
    other = client.post(
        f"/api/{KIND}", json={**session, "external_id": "X", "organisation": "SAFE"},
        headers=web.as_("dora"),
    )  # fmt: skip
    assert other.status_code == 403
    negative = client.post(
        f"/api/{KIND}", json={**session, "external_id": "Y", "men": -1}, headers=web.as_("ines")
    )
    assert negative.status_code in (400, 422)
    assert "men" in negative.text and "must not be negative" in negative.text
    client.post(f"/api/{KIND}/EORE-WEB-1/submit", headers=web.as_("dora"))
    approved = client.post(f"/api/{KIND}/EORE-WEB-1/approve", headers=web.as_("ines"))
    assert approved.json()["review_status"] == "approved"
    one = client.get(f"/api/{KIND}/EORE-WEB-1", headers=web.as_("vera")).json()
    assert (one["method"], one["girls"], one["wkt"]) == ("face_to_face", 5, "POINT (46.95 40.33)")
    by_method = client.get(f"/api/{KIND}", params={"category": "media"}, headers=web.as_("vera"))
    assert [item["external_id"] for item in by_method.json()["items"]] == ["EORE-T-003"]
    assert client.get(f"/api/{KIND}", headers={}).status_code in (401, 403)
    document = json.dumps(client.get("/openapi.json").json())
    assert '"eore-sessions"' in document


def test_ogc_collection_per_role(web: Web) -> None:
    client = web.client

    def ids(who: str) -> list[str]:
        answer = client.get("/ogc/collections", headers=web.as_(who)).json()
        return [c["id"] for c in answer["collections"]]

    assert KIND not in ids("public")
    for who in ("vera", "dora", "ines", "adam"):
        assert KIND in ids(who)
    assert client.get(f"/ogc/collections/{KIND}/items").status_code == 404
    items = client.get(f"/ogc/collections/{KIND}/items", headers=web.as_("vera")).json()
    # Features are located sessions: the radio broadcast has no point.
    assert items["numberMatched"] == 3
    assert all(f["geometry"]["type"] == "Point" for f in items["features"])
    first = next(f for f in items["features"] if f["properties"]["external_id"] == "EORE-T-001")
    assert first["properties"]["girls"] == 14 and first["properties"]["organisation"] == "ANAMA"
    by_day = client.get(
        f"/ogc/collections/{KIND}/items", params={"datetime": "2024-07-02"},
        headers=web.as_("vera"),
    )  # fmt: skip
    assert [f["properties"]["external_id"] for f in by_day.json()["features"]] == ["EORE-T-001"]


def test_exports_carry_the_kind(store: Store, tmp_path: Path) -> None:
    import pyogrio

    web_on(store)
    import_file(store, KIND, FIXTURE, country="AZ", today=TODAY)
    (path,) = export_register(store, tmp_path / "csv", ExportFormat.CSV, [KIND])
    with path.open(encoding="utf-8") as handle:
        rows = {row["external_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["EORE-T-001", "EORE-T-002", "EORE-T-003", "EORE-T-004"]
    assert rows["EORE-T-002"]["settlement"] == "AZ-FUZ-HOR"
    gpkg = tmp_path / "register.gpkg"
    export_register(store, gpkg, ExportFormat.GPKG)
    # 3 sessions located, one without a point (its own attribute table).
    assert pyogrio.read_info(gpkg, layer="eore_sessions")["features"] == 3
    assert pyogrio.read_info(gpkg, layer="eore_sessions_no_geometry")["features"] == 1
    again = import_file(store, KIND, gpkg, country="AZ", today=TODAY)
    assert again.counts.unchanged == 4


def test_the_entry_page_asks_for_the_import_columns(web: Web) -> None:
    page = web.client.get(f"/entry?kind={KIND}", headers=web.as_("dora"))
    assert page.status_code == 200
    for field in KINDS[KIND].fields:
        assert f'name="{field.name}"' in page.text
    assert 'name="wkt"' in page.text
    method = re.search(r'<select name="method".*?</select>', page.text, re.S)
    assert method and re.findall(r'<option value="(\w+)"', method.group(0)) == [
        m.value for m in EoreMethod
    ]
    assert f'href="/entry?kind={KIND}"' in web.client.get("/entry", headers=web.as_("dora")).text
    assert web.client.get(f"/entry?kind={KIND}", headers=web.as_("vera")).status_code == 403
    # Reference data is the information managers' to enter; a kind not served is none.
    assert web.client.get("/entry?kind=organisations", headers=web.as_("dora")).status_code == 403
    assert web.client.get("/entry?kind=nothing", headers=web.as_("dora")).status_code == 404
    draft = {
        "external_id": "EORE-WEB-2", "held_on": "2024-07-03", "district": "Tartar",
        "organisation": "ANAMA", "method": "media", "target_group": "general_public",
    }  # fmt: skip
    assert web.client.post(f"/api/{KIND}", json=draft, headers=web.as_("dora")).status_code == 201
    reopened = web.client.get(f"/entry?kind={KIND}&key=EORE-WEB-2", headers=web.as_("dora"))
    assert reopened.status_code == 200 and '"external_id": "EORE-WEB-2"' in reopened.text
    assert (
        web.client.get(f"/entry?kind={KIND}&key=EORE-WEB-2", headers=web.as_("sami")).status_code
        == 403
    )
    web.client.post(f"/api/{KIND}/EORE-WEB-2/submit", headers=web.as_("dora"))
    review = web.client.get("/review", headers=web.as_("ines")).text
    assert f'data-key="EORE-WEB-2" data-kind="{KIND}"' in review
    assert "Risk education sessions (1)" in review
