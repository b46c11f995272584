"""Projects through the command line: importing them in every format, and the demo's
analysis (ranks, figures that follow from the demo, charts in the PDF)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyogrio.raw import write as ogr_write
from tests.helpers import TODAY, load_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.demo.districts import COUNTRY_BOX, district_polygons
from demine.demo.projects import demo_projects
from demine.domain import rules
from demine.domain.projects import DevelopmentProject
from demine.domain.vocab import ProjectKind
from demine.errors import ImportRejected
from demine.export.templates import write_template
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import import_file
from demine.store.engine import Store
from demine.store.refs import load_refs
from demine.store.register import load_all

runner = CliRunner()
ROAD = shapely.LineString([(46.90, 40.30), (46.93, 40.32), (46.95, 40.33)])
FARM = shapely.Polygon([(47.05, 39.55), (47.07, 39.55), (47.07, 39.57), (47.05, 39.57)])


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _stored(store: Store) -> dict[str, DevelopmentProject]:
    with store.read() as connection:
        projects = load_all(connection, DevelopmentProject, load_refs(connection))
    return {p.external_id: p for p in projects}


def _write_layer(path: Path, driver: str) -> None:
    ogr_write(
        path,
        np.array([shapely.to_wkb(ROAD), shapely.to_wkb(FARM)], dtype=object),
        [
            np.array(["PRJ-1", "PRJ-2"], dtype=object),
            np.array(["Tartar bypass", "Fuzuli orchards"], dtype=object),
            np.array(["highway", "farmland"], dtype=object),
            np.array([1, 4], dtype=np.int64),
            np.array([40.0, 0.0]),
        ],
        ["external_id", "name", "kind", "priority", "buffer_m"],
        driver=driver,
        geometry_type="Unknown",
        crs="EPSG:4326",
    )


@pytest.mark.filterwarnings("ignore:Normalized/laundered field name")
@pytest.mark.parametrize(("driver", "suffix"), [("GPKG", ".gpkg"), ("GeoJSON", ".geojson")])
def test_projects_import_from_geodata(
    store: Store, tmp_path: Path, driver: str, suffix: str
) -> None:
    load_sample(store)
    path = tmp_path / f"projects{suffix}"
    _write_layer(path, driver)
    assert import_file(store, "projects", path, country="AZ", today=TODAY).counts.inserted == 2
    projects = _stored(store)
    road, farm = projects["PRJ-1"], projects["PRJ-2"]
    assert (road.kind, road.district, road.buffer_m) == (ProjectKind.ROAD, "AZ-TAR", 40.0)
    assert (farm.kind, farm.district, farm.priority) == (ProjectKind.FARMLAND, "AZ-FUZ", 4)
    assert road.geometry is not None and road.geometry.equals(ROAD)
    # The same file again changes nothing.
    assert import_file(store, "projects", path, country="AZ", today=TODAY).counts.unchanged == 2


def test_projects_import_from_kml_and_csv_and_export_back(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    kml = tmp_path / "projects.kml"
    _write_layer(kml, "KML")
    import_file(store, "projects", kml, country="AZ", today=TODAY)
    csv = tmp_path / "more.csv"
    csv.write_text(
        "external_id,name,kind,district,priority,people_benefiting,planned_start,buffer_m,wkt\n"
        f'PRJ-3,Aghdam line,power line,Aghdam,2,25000,2026-05-01,25,"{ROAD.wkt}"\n',
        encoding="utf-8",
    )
    import_file(store, "projects", csv, country="AZ", today=TODAY)
    before = _stored(store)
    assert set(before) == {"PRJ-1", "PRJ-2", "PRJ-3"}
    assert before["PRJ-3"].planned_start == date(2026, 5, 1)
    assert before["PRJ-3"].district == "AZ-AGD"  # given, though the line lies in Tartar
    out = tmp_path / "out"
    export_register(store, out, ExportFormat.CSV, kinds=["projects"])
    report = import_file(store, "projects", out / "projects.csv", country="AZ", today=TODAY)
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 0, 3)
    write_template("projects", tmp_path / "template.csv")
    assert "LINESTRING" in (tmp_path / "template.csv").read_text(encoding="utf-8")


def test_bad_projects_are_rejected_with_reasons(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "external_id,name,kind,priority,buffer_m,wkt\n"
        f'B-1,No buffer,road,1,,"{ROAD.wkt}"\n'
        f'B-2,Urgent,farmland,0,0,"{FARM.wkt}"\n'
        "B-3,A point,solar,2,10,POINT (46.9 40.3)\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file(store, "projects", csv, country="AZ", today=TODAY)
    reasons = {(p.row, p.field): p.reason for p in rejected.value.problems}
    assert "a line has no area" in reasons[(2, "buffer_m")]
    assert "priority 0 is not between 1" in reasons[(3, "priority")]
    assert "geometry is a Point" in reasons[(4, "geometry")]


def test_demo_projects_are_valid_and_in_their_districts() -> None:
    context = rules.RuleContext(today=date(2026, 1, 1), extent=rules.Extent(*COUNTRY_BOX))
    projects = demo_projects()
    assert {p.kind for p in projects} >= {
        ProjectKind.ROAD, ProjectKind.SOLAR_FARM, ProjectKind.WIND_FARM, ProjectKind.SETTLEMENT,
        ProjectKind.POWER_LINE, ProjectKind.FARMLAND,
    }  # fmt: skip
    for project in projects:
        assert rules.check_project(project, context) == []
        assert project.geometry is not None
        assert project.geometry.intersects(district_polygons()[project.district])
    assert demo_projects() == projects


def _projects(url: str, *args: str) -> dict[str, Any]:
    return dict(json.loads(demine("--db", url, "analyse", "projects", *args, "--format", "json")))


def test_demo_projects_analysis_follows_from_the_demo(demo_database_url: str) -> None:
    data = _projects(demo_database_url)
    as_of = date.fromisoformat(data["as_of"])
    assert as_of == date(2025, 12, 28)
    projects = data["projects"]
    assert [p["rank"] for p in projects] == list(range(1, len(demo_projects()) + 1))
    assert [p["score"] for p in projects] == sorted((p["score"] for p in projects), reverse=True)
    for project in projects:
        assert project["hazardous_m2"] >= 0 and project["devices_nearby"] >= 0
        assert project["hazardous_m2"] == pytest.approx(
            project["hazardous_sha_m2"] + project["hazardous_cha_m2"], abs=0.2
        )
        assert project["footprint_m2"] > project["hazardous_m2"]
        assert date.fromisoformat(project["earliest_clear_date"]) >= as_of
        assert project["explanation"].startswith(f"Rank {project['rank']} of ")
    found = {p["id"]: p for p in projects}
    # The farm park holds one uncleared confirmed hazard of 72 ha (hazards are placed in
    # the real districts now; the others near it are cleared by the end of 2025).
    assert found["PRJ-AGD-FARM-01"]["hazardous_cha_m2"] > 700_000
    assert found["PRJ-ZAN-VIL-01"]["clear_status"] == "no_known_hazard"
    assert {e["code"] for e in found["PRJ-FUZ-ROAD-01"]["effort_by_district"]} >= {"AZ-FUZ"}
    national = data["productivity"]["national"]["cleared_m2_per_team_day"]
    farm = found["PRJ-AGD-FARM-01"]
    aghdam = farm["effort_by_district"][0]
    assert aghdam["effort_team_days"] == pytest.approx(
        farm["hazardous_m2"] / aghdam["cleared_m2_per_team_day"], rel=1e-3
    )
    assert national > 0
    reweighted = _projects(demo_database_url, "--weights", "contamination=5")
    assert reweighted["projects"][0]["id"] == "PRJ-AGD-FARM-01"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_demo_projects_pdf_has_map_and_chart(demo_database_url: str, tmp_path: Path) -> None:
    pdf = tmp_path / "projects.pdf"
    demine("--db", demo_database_url, "analyse", "projects", "--format", "pdf",
           "--output", str(pdf))  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Development projects", "Jabrayil", "Khidirli", "Ranking", "Map"):
        assert expected in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    import matplotlib.image

    for page in pages:
        pixels = matplotlib.image.imread(page)
        assert float((pixels[..., :3].mean(axis=2) < 0.95).mean()) > 0.01, f"{page.name} blank"
    html = demine("--db", demo_database_url, "analyse", "projects", "--format", "html")
    assert html.count("data:image/svg+xml;base64,") == 2
