"""Custom fields without code: a programme's fields file adds ``vegetation`` (a choice
of grass, bush or forest, labelled in English, Azerbaijani and Russian) to hazards, and
it shows in the import template, the importer, the REST API and its OpenAPI schema, the
OGC API's features, the GeoPackage export and the entry page — on SQLite and PostGIS —
with no code naming it. A bad fields file stops the start with an exact message."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.helpers import REGISTER, TODAY, load_sample
from typer.testing import CliRunner

from demine.cli.main import app as cli
from demine.cli.main import run
from demine.domain.kinds import KINDS
from demine.errors import ConfigurationError, ImportRejected
from demine.export.writer import ExportFormat, export_register
from demine.i18n import set_locale
from demine.ingest.fields_file import programme_kinds
from demine.ingest.importer import import_file
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store
from demine.store.users import add_user, create_token
from demine.web.app import create_app
from demine.web.entry_form import form_fields
from demine.web.ogc.collections import served
from demine.web.ogc.schema import feature_schema

FIELDS_FILE = Path(__file__).parent / "fixtures" / "programme" / "fields.toml"
PASSWORD = "a long enough password"
runner = CliRunner()


def _hazards_file(folder: Path, vegetation: dict[str, str]) -> Path:
    """The sample hazards with a ``vegetation`` column (by external id; others empty)."""
    with (REGISTER / "hazards.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    path = folder / "hazards.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [*rows[0], "vegetation"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "vegetation": vegetation.get(row["external_id"], "")})
    return path


@pytest.fixture
def programme_store(store: Store, tmp_path: Path) -> Store:
    """The sample register, its hazards imported again with their vegetation."""
    load_sample(store)
    kinds = programme_kinds(FIELDS_FILE)
    path = _hazards_file(tmp_path, {"HA-001": "forest", "HA-002": "grass"})
    report = import_file(store, "hazards", path, country="AZ", today=TODAY, kinds=kinds)
    assert (report.counts.updated, report.counts.inserted) == (2, 0)
    return store


def test_the_template_has_the_programmes_field(tmp_path: Path) -> None:
    output = tmp_path / "hazards.csv"
    result = runner.invoke(
        cli, ["--fields", str(FIELDS_FILE), "template", "hazards", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    header, example = list(csv.reader(output.open(encoding="utf-8")))
    assert header[-3:] == ["vegetation", "wkt", "example"]
    assert example[header.index("vegetation")] == "grass"
    # Without the fields file the kind is as the registry describes it.
    plain = tmp_path / "plain.csv"
    assert runner.invoke(cli, ["template", "hazards", "-o", str(plain)]).exit_code == 0
    assert "vegetation" not in plain.read_text(encoding="utf-8")


def test_the_importer_checks_the_choice_and_keeps_the_value(
    programme_store: Store, tmp_path: Path
) -> None:
    kinds = programme_kinds(FIELDS_FILE)
    bad = _hazards_file(tmp_path, {"HA-002": "jungle"})
    with pytest.raises(ImportRejected) as rejected:
        import_file(programme_store, "hazards", bad, country="AZ", today=TODAY, kinds=kinds)
    assert [str(p) for p in rejected.value.problems] == [
        "hazards.csv, row 3, field 'vegetation': "
        "unknown value 'jungle' (accepted: grass, bush, forest)"
    ]
    # The same file without the programme has a column no kind knows.
    good = _hazards_file(tmp_path, {"HA-001": "forest", "HA-002": "grass"})
    with pytest.raises(ImportRejected) as unknown:
        import_file(programme_store, "hazards", good, country="AZ", today=TODAY)
    assert "vegetation" in str(unknown.value.problems[0])
    # Importing the stored values again changes nothing.
    again = import_file(programme_store, "hazards", good, country="AZ", today=TODAY, kinds=kinds)
    assert again.counts.unchanged == again.rows and again.counts.updated == 0
    # A file read without the programme leaves the values it does not know of alone.
    plain = import_file(programme_store, "hazards", REGISTER / "hazards.csv", country="AZ",
                        today=TODAY)  # fmt: skip
    assert plain.counts.unchanged == plain.rows
    assert _vegetation(programme_store) == {"HA-001": "forest", "HA-002": "grass"}
    # An empty cell empties the field.
    emptied = _hazards_file(tmp_path, {"HA-001": "forest"})
    import_file(programme_store, "hazards", emptied, country="AZ", today=TODAY, kinds=kinds)
    assert _vegetation(programme_store) == {"HA-001": "forest"}


def _vegetation(store: Store) -> dict[str, str]:
    """The stored vegetation of hazards that have one, read from the JSON column."""
    with store.read() as connection:
        rows = connection.execute(
            select(schema.hazard_areas.c.external_id, schema.hazard_areas.c.custom)
        ).all()
    return {key: custom["vegetation"] for key, custom in rows if custom}


def _client(store: Store) -> TestClient:
    with store.write() as connection:
        add_user(connection, "ines", PASSWORD, "information_manager")
        token = create_token(connection, "ines", "tests")
    settings = Settings(database_url="unused", country="AZ", fields_file=FIELDS_FILE)
    client = TestClient(create_app(settings, store))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_rest_openapi_ogc_and_entry_page_show_it(programme_store: Store) -> None:
    client = _client(programme_store)
    components = client.get("/openapi.json").json()["components"]["schemas"]
    vegetation = components["HazardsCustomFields"]["properties"]["vegetation"]
    assert vegetation["enum"] == ["grass", "bush", "forest"]
    assert vegetation["nullable"] is True
    record = client.get("/api/hazards/HA-001")
    assert record.status_code == 200 and record.json()["vegetation"] == "forest"
    listed = client.get("/api/hazards").json()["items"]
    shown = {item["external_id"]: item["vegetation"] for item in listed}
    assert (shown.pop("HA-001"), shown.pop("HA-002")) == ("forest", "grass")
    assert set(shown.values()) == {None}
    changed = client.put(
        "/api/hazards/HA-001",
        json={**record.json(), "vegetation": "jungle"},
        headers={"If-Match": record.headers["ETag"]},
    )
    assert changed.status_code == 422
    assert "unknown value 'jungle' (accepted: grass, bush, forest)" in changed.text
    features = client.get("/ogc/collections/hazards-areas/items").json()["features"]
    by_id = {f["properties"]["external_id"]: f["properties"] for f in features}
    assert by_id["HA-001"]["vegetation"] == "forest"
    assert by_id["HA-002"]["vegetation"] == "grass"
    assert "custom" not in by_id["HA-001"]
    described = client.get("/ogc/collections/hazards-areas/schema")
    assert described.headers["content-type"].startswith("application/schema+json")
    assert described.json()["properties"]["vegetation"]["oneOf"] == [
        {"const": "grass", "title": "Grass"},
        {"const": "bush", "title": "Bush"},
        {"const": "forest", "title": "Forest"},
    ]
    entry = client.get("/entry").text
    assert 'data-field="weather"' in entry and 'data-field="team_size"' in entry
    hazard_entry = client.get("/entry?kind=hazards").text
    assert 'data-field="vegetation"' in hazard_entry
    assert '<option value="forest">Forest</option>' in hazard_entry


def test_choice_labels_follow_the_locale() -> None:
    field = programme_kinds(FIELDS_FILE)["hazards"].field("vegetation")
    assert field.custom is not None
    labels = {lang: [c.label(lang) for c in field.custom.choices] for lang in ("en", "az", "ru")}
    assert labels == {
        "en": ["Grass", "Bush", "Forest"],
        "az": ["Ot", "Kol", "Meşə"],
        "ru": ["Трава", "Кустарник", "Лес"],
    }
    assert field.custom.label("ru") == "Растительность"


def test_pages_label_the_choices_in_their_language() -> None:
    kinds = programme_kinds(FIELDS_FILE)
    try:
        set_locale("ru")
        areas = served(kinds)["hazards-areas"]
        vegetation = feature_schema("x", areas)["properties"]["vegetation"]
        set_locale("az")
        inputs = {f.name: f for f in form_fields("hazards", ["Tartar"], ["ANAMA"], kinds)}
    finally:
        set_locale("en")
    assert vegetation["title"] == "Растительность"
    assert [choice["title"] for choice in vegetation["oneOf"]] == ["Трава", "Кустарник", "Лес"]
    assert inputs["vegetation"].label == "Bitki örtüyü"
    assert inputs["vegetation"].choices == ("grass", "bush", "forest")
    assert inputs["vegetation"].choice_labels == ("Ot", "Kol", "Meşə")


def test_the_geopackage_export_has_the_field(programme_store: Store, tmp_path: Path) -> None:
    output = tmp_path / "register.gpkg"
    export_register(
        programme_store, output, ExportFormat.GPKG, ["hazards"], "AZ",
        programme=programme_kinds(FIELDS_FILE),
    )  # fmt: skip
    with sqlite3.connect(output) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(hazards_areas)")]
        values = dict(connection.execute("SELECT external_id, vegetation FROM hazards_areas"))
    assert "vegetation" in columns
    assert values["HA-001"] == "forest" and values["HA-002"] == "grass"
    # GDAL (Debian's gdal-bin, installed by .ci/run) reads the layer's field as QGIS would.
    described = subprocess.run(
        ["ogrinfo", "-so", str(output), "hazards_areas"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "vegetation: String" in described
    # CSV and GeoJSON are written by the same code: the CSV has the column too.
    folder = tmp_path / "csv"
    export_register(
        programme_store, folder, ExportFormat.CSV, ["hazards"], "AZ",
        programme=programme_kinds(FIELDS_FILE),
    )  # fmt: skip
    with (folder / "hazards.csv").open(encoding="utf-8") as handle:
        exported = {row["external_id"]: row["vegetation"] for row in csv.DictReader(handle)}
    assert (exported["HA-001"], exported["HA-002"]) == ("forest", "grass")


def test_a_yaml_fields_file_says_the_same(tmp_path: Path) -> None:
    path = tmp_path / "fields.yaml"
    path.write_text(
        "hazards:\n"
        "  vegetation:\n"
        "    type: choice\n"
        "    help: Dominant vegetation over the area\n"
        "    label: {en: Vegetation, az: Bitki örtüyü, ru: Растительность}\n"
        "    choices:\n"
        "      grass: {en: Grass, az: Ot, ru: Трава}\n"
        "      bush: {en: Bush, az: Kol, ru: Кустарник}\n"
        "      forest: {en: Forest, az: Meşə, ru: Лес}\n",
        encoding="utf-8",
    )
    from_yaml = programme_kinds(path)["hazards"].field("vegetation").custom
    from_toml = programme_kinds(FIELDS_FILE)["hazards"].field("vegetation").custom
    assert from_yaml == from_toml


def test_nothing_outside_the_fields_file_names_the_field() -> None:
    """No code change: the field is named only in the fields file."""
    source = Path(__file__).parents[1] / "src"
    named = [p for p in source.rglob("*.py") if "vegetation" in p.read_text(encoding="utf-8")]
    assert named == []
    assert "vegetation" not in {f.name for f in KINDS["hazards"].fields}


BAD_FILES = [
    ("[hazard.vegetation]\ntype = 'text'\n",
     "unknown kind 'hazard' (accepted: " + ", ".join(KINDS) + ")"),
    ("[hazards.status]\ntype = 'text'\n",
     "field 'hazards.status': the name is taken by a field of hazards"),
    ("[hazards.vegetation]\ntype = 'colour'\n",
     "field 'hazards.vegetation': type 'colour' is not one of text, integer, decimal, date, "
     "choice, multiple_choice"),
    ("[hazards.vegetation]\ntype = 'choice'\n",
     "field 'hazards.vegetation': a choice field needs choices"),
    ("[hazards.vegetation]\ntype = 'text'\nchoices = ['grass']\n",
     "field 'hazards.vegetation': only choice and multiple_choice fields have choices"),
    ("[hazards.vegetation]\ntype = 'text'\nrequired = 'yes'\n",
     "field 'hazards.vegetation': required must be true or false"),
    ("[hazards.vegetation]\ntype = 'choice'\nchoices = { grass = { fr = 'Herbe' } }\n",
     "field 'hazards.vegetation': choice 'grass': labels in 'fr' (accepted: en, az, ru)"),
    ("[hazards.Vegetation]\ntype = 'text'\n",
     "field 'hazards.Vegetation': a name is lower-case letters, digits and _, starting with "
     "a letter"),
    ("[hazards.wkt]\ntype = 'text'\n",
     "field 'hazards.wkt': the name is reserved (a column every record has)"),
    ("[hazards.vegetation]\ntype = 'text'\ncolour = 'green'\n",
     "field 'hazards.vegetation': unknown setting 'colour' (accepted: type, required, help, "
     "label, choices)"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "problem"), BAD_FILES)
def test_a_bad_fields_file_stops_the_start(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "fields.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as refused:
        programme_kinds(path)
    assert refused.value.message == f"fields file {path}: {problem}"
    # The CLI refuses to start any command; so does the web application.
    result = runner.invoke(cli, ["--fields", str(path), "template", "hazards"])
    assert isinstance(result.exception, ConfigurationError)
    with pytest.raises(ConfigurationError):
        create_app(Settings(database_url="unused", fields_file=path), None)  # type: ignore[arg-type]


def test_the_cli_stops_with_the_configuration_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fields.toml"
    path.write_text("[hazards.vegetation]\ntype = 'choice'\n", encoding="utf-8")
    monkeypatch.setenv("DEMINE_FIELDS_FILE", str(path))
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr(sys, "argv", ["demine", "template", "hazards"])
    with pytest.raises(SystemExit) as exited:
        run()
    assert exited.value.code == ConfigurationError.exit_code == 3
    message = f"fields file {path}: field 'hazards.vegetation': a choice field needs choices"
    assert message in capsys.readouterr().err


def test_a_missing_or_unreadable_fields_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigurationError) as refused:
        programme_kinds(missing)
    assert refused.value.message == f"fields file {missing}: no such file"
    broken = tmp_path / "broken.toml"
    broken.write_text("[hazards.vegetation\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as unreadable:
        programme_kinds(broken)
    assert unreadable.value.message.startswith(f"fields file {broken}: not valid TOML (")


def test_the_environment_names_the_fields_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMINE_FIELDS_FILE", str(FIELDS_FILE))
    assert Settings.from_environment("sqlite:///x.db").fields_file == FIELDS_FILE
    monkeypatch.delenv("DEMINE_FIELDS_FILE")
    assert Settings.from_environment("sqlite:///x.db").fields_file is None
