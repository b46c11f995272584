"""Edges a new user or an attacker reaches (issue 14, items 7 and 8): a database that is
not there, a read-only one, a template imported unchanged; free text read without the
victim-data grant, values no database would store, paging out of range, personal data
imported without the grant."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import REGISTER, TODAY, load_sample, snapshot
from tests.web_fixtures import PASSWORD, Web, correct, web_on
from typer.testing import CliRunner

from demine.cli.main import app, run
from demine.errors import DatabaseMissing, ImportRejected, InvalidRequestError, StoreError
from demine.export.templates import write_template
from demine.ingest.importer import ImportReport, import_file
from demine.store import migrate
from demine.store.engine import Store, open_store

runner = CliRunner()


def _missing_message(path: Path) -> str:
    return (
        f"There is no database at {path}: check --db (or DEMINE_DATABASE_URL) and the folder "
        "you are in. 'demine db upgrade', 'demine demo' or 'demine --create …' create a new one."
    )


def _exit_of(monkeypatch: pytest.MonkeyPatch, *arguments: str) -> int:
    """The exit code ``demine ARGUMENTS`` ends with (as the installed command)."""
    monkeypatch.setattr(sys, "argv", ["demine", *arguments])
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as exited:
        run()
    return int(exited.value.code or 0)


# -- a database that does not exist ----------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["summary", "--from", "2024-07-01", "--to", "2024-07-07"],
        ["report", "weekly", "--week", "2024-W27"],
        ["export", "--output", "out.gpkg"],
        ["user", "list"],
        ["db", "status"],
        ["serve"],
    ],
)
def test_a_mistyped_database_is_reported_missing_never_created(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code = _exit_of(monkeypatch, "--db", "demnie.db", *command)
    assert code == 12
    error = " ".join(capsys.readouterr().err.split())
    assert error == f"Error: {_missing_message(tmp_path / 'demnie.db')}"
    assert list(tmp_path.iterdir()) == []


def test_import_into_a_missing_database_names_the_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEMINE_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["import", "organisations", str(REGISTER / "organisations.csv")])
    assert isinstance(result.exception, DatabaseMissing)
    assert result.exception.message == _missing_message(tmp_path / "demine.db")
    assert result.exception.path == str(tmp_path / "demine.db")
    assert not (tmp_path / "demine.db").exists()


def test_create_option_and_db_upgrade_create_the_file(tmp_path: Path) -> None:
    created = tmp_path / "created.db"
    result = runner.invoke(
        app,
        ["--db", str(created), "--create", "import", "organisations",
         str(REGISTER / "organisations.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "organisations.csv: 3 rows; 3 new, 0 changed, 0 unchanged records were saved." in (
        result.output
    )
    upgraded = tmp_path / "upgraded.db"
    result = runner.invoke(app, ["--db", str(upgraded), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert upgraded.exists()


def test_demo_creates_its_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from demine.demo import load
    from demine.store.register import SaveCounts

    def quick_demo(store: Store, seed: int = 2024, progress: Any = None) -> ImportReport:
        return ImportReport("demo", "demo", 0, SaveCounts(), dry_run=False)

    monkeypatch.setattr(load, "load_demo", quick_demo)
    result = runner.invoke(app, ["--db", str(tmp_path / "demo.db"), "demo"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo.db").exists()


def test_open_store_refuses_a_missing_file_unless_asked_to_create(tmp_path: Path) -> None:
    path = tmp_path / "nothing.db"
    with pytest.raises(DatabaseMissing) as missing:
        open_store(f"sqlite:///{path}")
    assert missing.value.message == f"There is no database at {path}."
    assert missing.value.exit_code == 12 and missing.value.http_status == 503
    assert not path.exists()
    store = open_store(f"sqlite:///{path}", create=True)
    with store.read():
        pass
    store.dispose()
    assert path.exists()


def test_a_server_database_needs_no_create(database_url: str) -> None:
    """PostgreSQL databases are made by the server's administrator: only a SQLite file
    can be mistyped into existence."""
    if database_url.startswith("sqlite"):
        with pytest.raises(DatabaseMissing):
            open_store(database_url)
    else:
        store = open_store(database_url)
        migrate.upgrade(store)
        store.dispose()


# -- demine serve: --demo and --country ------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """What ``demine serve`` would serve (uvicorn is not started)."""
    import uvicorn

    from demine.cli import commands_serve

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: apps.append(app))
    monkeypatch.setattr(commands_serve, "prepare_demo", lambda store: None)
    yield apps


def test_serve_demo_creates_its_database_and_honours_country(
    tmp_path: Path, served: list[Any]
) -> None:
    database = tmp_path / "serve.db"
    result = runner.invoke(app, ["--db", str(database), "--country", "xa", "serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert database.exists()
    (served_app,) = served
    assert served_app.state.settings.country == "XA"


def test_serve_honours_the_country_option_over_the_environment(
    store: Store, database_url: str, served: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from demine.store.users import add_user, create_token

    load_sample(store)
    with store.write() as connection:
        add_user(connection, "ines", "a long enough password", "information_manager")
        token = create_token(connection, "ines", "test")
    monkeypatch.setenv("DEMINE_COUNTRY", "AZ")
    result = runner.invoke(app, ["--db", database_url, "--country", "XA", "serve"])
    assert result.exit_code == 0, result.output
    (served_app,) = served
    assert served_app.state.settings.country == "XA"
    # The web reads XA's register, which holds none of the sample's (AZ) finds.
    client = TestClient(served_app)
    answer = client.get("/api/finds", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["total"] == 0
    served_app.state.store.dispose()


# -- --dry-run on a read-only database -------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def read_only_database(tmp_path: Path) -> Iterator[Path]:
    """A SQLite register (the sample) whose file and folder are read-only."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "register.db"
    store = open_store(f"sqlite:///{path}", create=True)
    migrate.upgrade(store)
    load_sample(store)
    store.dispose()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    yield path
    folder.chmod(stat.S_IRWXU)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_dry_run_works_on_a_read_only_database(read_only_database: Path, tmp_path: Path) -> None:
    before = _digest(read_only_database)
    files = sorted(os.listdir(read_only_database.parent))
    organisations = tmp_path / "orgs.csv"
    organisations.write_text(
        "code,name,kind\nSAFE,Safe Ground,commercial\nNEW,New Operator,commercial\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["--db", str(read_only_database), "import", "organisations", str(organisations),
         "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == (
        "orgs.csv: 2 rows; 1 new, 1 changed, 0 unchanged records would be saved.\n"
    )
    assert _digest(read_only_database) == before
    # SQLite may leave an empty write-ahead log where the folder lets it (as root); it
    # never writes a frame into it.
    assert set(os.listdir(read_only_database.parent)) - set(files) <= {
        "register.db-wal", "register.db-shm"
    }  # fmt: skip
    wal = read_only_database.parent / "register.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_read_only_store_never_writes(
    read_only_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    store = open_store(f"sqlite:///{read_only_database}", read_only=True)
    try:
        with pytest.raises(StoreError) as refused, store.write():
            pass
        assert refused.value.message == (
            f"The database sqlite:///{read_only_database} is open read-only: nothing may be "
            "written."
        )
        before = snapshot(store)
        report = import_file(
            store, "finds", REGISTER / "finds.csv", country="AZ", dry_run=True, today=TODAY
        )
        assert (report.counts.inserted, report.counts.unchanged) == (0, 6)
        assert snapshot(store) == before
        assert [p.name for p in scratch.glob("demine-dry-run-*/*.db")] == ["scratch.db"]
    finally:
        store.dispose()
    assert list(scratch.iterdir()) == []


def test_dry_run_writes_nothing_on_either_database(store: Store, database_url: str) -> None:
    load_sample(store)
    before = snapshot(store)
    dry = open_store(database_url, read_only=True)
    try:
        report = import_file(
            dry, "hazards", REGISTER / "hazards.csv", country="AZ", dry_run=True, today=TODAY
        )
    finally:
        dry.dispose()
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 0, 3)
    assert snapshot(store) == before


# -- template example rows ---------------------------------------------------------------


def test_a_template_imported_unchanged_imports_nothing(store: Store, tmp_path: Path) -> None:
    template = tmp_path / "organisations-template.csv"
    write_template("organisations", template)
    assert template.read_text(encoding="utf-8").splitlines() == [
        "code,name,kind,example",
        "ANAMA,Mine Action Agency,national_agency,yes",
    ]
    with pytest.raises(InvalidRequestError) as refused:
        import_file(store, "organisations", template, country="AZ")
    assert refused.value.message == (
        "organisations-template.csv: no data rows (1 example row skipped): write your records "
        "in rows of their own, with the 'example' column empty"
    )
    assert snapshot(store)["organisations"] == []


def test_rows_under_the_example_are_imported_and_the_example_skipped(
    store: Store, tmp_path: Path
) -> None:
    template = tmp_path / "orgs.csv"
    write_template("organisations", template)
    with template.open("a", encoding="utf-8") as handle:
        handle.write("HALO,The HALO Trust,ngo,\nMAG,Mines Advisory Group,ngo,no\n")
    report = import_file(store, "organisations", template, country="AZ")
    assert (report.counts.inserted, report.examples_skipped) == (2, 1)
    assert report.notes == ["1 example row skipped"]
    codes = sorted(row[1] for row in snapshot(store)["organisations"])
    assert codes == ["HALO", "MAG"]


def test_an_xlsx_template_is_marked_too(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    from openpyxl import load_workbook

    template = tmp_path / "hazards.xlsx"
    write_template("hazards", template)
    with pytest.raises(InvalidRequestError) as refused:
        import_file(store, "hazards", template, country="AZ", today=TODAY)
    assert refused.value.message.startswith("hazards.xlsx: no data rows (1 example row skipped)")
    workbook = load_workbook(template)
    sheet = workbook.active
    assert sheet is not None
    example = [cell.value for cell in sheet[2]]
    sheet.append(["HA-NEW", *example[1:-1], None])
    sheet.append(["HA-NEW2", *example[1:-1], "YES"])
    workbook.save(template)
    report = import_file(store, "hazards", template, country="AZ", today=TODAY)
    assert (report.counts.inserted, report.examples_skipped) == (1, 2)
    assert report.notes == ["2 example rows skipped"]


def test_an_unreadable_example_mark_is_a_problem(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("code,name,kind,example\nHALO,The HALO Trust,ngo,maybe\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file(store, "organisations", path, country="AZ")
    assert [str(p) for p in rejected.value.problems] == [
        "orgs.csv, row 2, field 'example': 'maybe' is not yes/no (use true or false): this "
        "column marks example rows, which are never imported"
    ]


def test_the_api_takes_no_example_column(store: Store) -> None:
    """Records sent one by one are not templates: an ``example`` value is refused."""
    from demine.domain.access import Principal, Role
    from demine.editing.service import Editor, create
    from demine.store.reader import RegisterReader

    load_sample(store)
    editor = Editor(Principal.of("ines", Role.INFORMATION_MANAGER))
    payload = {"code": "NEW", "name": "New", "kind": "ngo", "example": "yes"}
    with pytest.raises(ImportRejected) as rejected, store.write() as connection:
        create(RegisterReader(connection, "AZ"), "organisations", payload, editor, "AZ")
    assert [str(p) for p in rejected.value.problems] == [
        "organisations record, field 'example': unknown column for organisations "
        "(see 'demine template organisations')"
    ]


# -- free text: withheld without the victim-data grant (item 8) -------------------------

WITHHELD = {"withheld": True}
NARRATIVE = "A farmer stepped on a mine."


@pytest.fixture
def web(store: Store) -> Web:
    """The sample register on the web, with ``vic``: an information manager who also
    holds the victim-data grant."""
    from demine.store.users import add_user, create_token

    served = web_on(store)
    with store.write() as connection:
        add_user(connection, "vic", PASSWORD, "information_manager", victim_data=True)
        served.headers["vic"] = {"Authorization": f"Bearer {create_token(connection, 'vic', 't')}"}
    return served


def test_the_api_withholds_free_text_without_the_grant(web: Web) -> None:
    for who in ("vera", "dora", "ines", "adam"):
        record = web.client.get("/api/accidents/ACC-001", headers=web.as_(who)).json()
        assert (record["narrative"], record["source"]) == (WITHHELD, WITHHELD), who
        assert record["external_id"] == "ACC-001" and record["device_model"] == "PMN-2"
        listed = web.client.get("/api/accidents", headers=web.as_(who)).json()["items"]
        by_key = {item["external_id"]: item for item in listed}
        # An empty note stays empty: only a note that exists is said to exist.
        assert by_key["ACC-002"]["narrative"] is None
        assert by_key["ACC-001"]["narrative"] == WITHHELD
        history = web.client.get("/api/accidents/ACC-001/history", headers=web.as_(who)).json()
        assert [v["values"]["narrative"] for v in history["versions"]] == [WITHHELD]
        hazard = web.client.get("/api/hazards/HA-001", headers=web.as_(who)).json()
        assert hazard["evidence"] == WITHHELD
    record = web.client.get("/api/accidents/ACC-001", headers=web.as_("vic")).json()
    assert (record["narrative"], record["source"]) == (NARRATIVE, "police report")


def test_writing_back_a_withheld_note_keeps_it(web: Web) -> None:
    changed = correct(web, "ines", "accidents", "ACC-001", activity_at_time="herding")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["narrative"] == WITHHELD
    record = web.client.get("/api/accidents/ACC-001", headers=web.as_("vic")).json()
    assert (record["activity_at_time"], record["narrative"]) == ("herding", NARRATIVE)
    assert record["source"] == "police report"


def test_the_marker_is_never_saved_as_a_value(web: Web) -> None:
    payload = {
        "external_id": "ACC-NEW", "district": "Fuzuli", "occurred_on": "2024-06-01",
        "device_category": "UXO", "narrative": WITHHELD, "wkt": "POINT (47.12 39.61)",
    }  # fmt: skip
    answer = web.client.post("/api/accidents", headers=web.as_("ines"), json=payload)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {
            "field": "narrative",
            "reason": '{"withheld": true} stands for text withheld from whoever read it, not '
            "a value: only the victim-data grant reads (and so exports) free text",
        }
    ]


def test_pages_say_a_note_is_withheld(web: Web) -> None:
    page = web.client.get("/records/accidents/ACC-001/history", headers=web.as_("vera")).text
    assert "[withheld: personal data]" in page and NARRATIVE not in page
    page = web.client.get("/records/accidents/ACC-001/history", headers=web.as_("vic")).text
    assert NARRATIVE in page and "[withheld: personal data]" not in page


def test_the_audit_log_shows_a_note_changed_but_not_what_it_says(web: Web) -> None:
    from demine.domain.access import Principal, Role
    from demine.store.reads.audit_log import AuditFilter, audit_entries

    changed = correct(web, "vic", "accidents", "ACC-001", narrative="Told by Test Person One.")
    assert changed.status_code == 200, changed.json()
    where = AuditFilter(kind="accidents", record="ACC-001")
    with web.store.read() as connection:
        (entry,) = audit_entries(connection, Principal.of("adam", Role.ADMINISTRATOR), where)
        assert entry.to_json()["changes"] == {"narrative": {"before": WITHHELD, "after": WITHHELD}}
        granted = Principal.of("adam", Role.ADMINISTRATOR, Role.VICTIM_DATA)
        (entry,) = audit_entries(connection, granted, where)
        assert entry.to_json()["changes"]["narrative"] == {
            "before": NARRATIVE, "after": "Told by Test Person One."
        }  # fmt: skip
    page = web.client.get("/audit?kind=accidents", headers=web.as_("adam")).text
    assert "Test Person One" not in page and "[withheld: personal data]" in page


def test_ogc_features_withhold_free_text(web: Web) -> None:
    def narratives(who: str) -> dict[str, Any]:
        answer = web.client.get("/ogc/collections/accidents/items", headers=web.as_(who))
        assert answer.status_code == 200
        return {
            f["properties"]["external_id"]: f["properties"]["narrative"]
            for f in answer.json()["features"]
        }

    assert narratives("vera") == {"ACC-001": WITHHELD, "ACC-002": None}
    assert narratives("vic") == {"ACC-001": NARRATIVE, "ACC-002": None}
    items = web.client.get("/ogc/collections/accidents/items", headers=web.as_("vera")).json()
    one = web.client.get(
        f"/ogc/collections/accidents/items/{items['features'][0]['id']}", headers=web.as_("vera")
    )
    assert one.json()["properties"]["narrative"] == WITHHELD


def test_exports_withhold_free_text_and_it_cannot_be_imported_back(
    store: Store, tmp_path: Path
) -> None:
    import csv

    from demine.domain.access import Principal, Role
    from demine.export.writer import ExportFormat, export_register

    load_sample(store)
    export_register(store, tmp_path / "plain", ExportFormat.CSV, ["accidents"], "AZ")
    with (tmp_path / "plain" / "accidents.csv").open(encoding="utf-8") as handle:
        rows = {row["external_id"]: row for row in csv.DictReader(handle)}
    assert (rows["ACC-001"]["narrative"], rows["ACC-001"]["source"]) == (
        '{"withheld": true}', '{"withheld": true}'
    )  # fmt: skip
    assert rows["ACC-002"]["narrative"] == ""
    with pytest.raises(ImportRejected) as rejected:
        import_file(
            store, "accidents", tmp_path / "plain" / "accidents.csv", country="AZ", today=TODAY
        )
    assert str(rejected.value.problems[0]) == (
        "accidents.csv, row 2, field 'source': {\"withheld\": true} stands for text withheld "
        "from whoever read it, not a value: only the victim-data grant reads (and so exports) "
        "free text"
    )
    granted = Principal.of("mover", Role.VICTIM_DATA)
    (path,) = export_register(
        store, tmp_path / "full.gpkg", ExportFormat.GPKG, ["accidents"], "AZ", principal=granted
    )
    report = import_file(store, "accidents", path, country="AZ", today=TODAY)
    assert (report.counts.unchanged, report.counts.updated) == (2, 0)


# -- bounds: lengths, NUL characters, integer ranges, paging -----------------------------


def test_declared_lengths_nul_and_integer_ranges_are_refused_on_both_databases(
    store: Store, tmp_path: Path
) -> None:
    load_sample(store)
    before = snapshot(store)
    path = tmp_path / "finds.csv"
    path.write_text(
        "external_id,district,category,quantity,found_on,lon,lat\n"
        f"{'F' * 100_000},Tartar,UXO,1,2024-07-02,46.9021,40.3014\n"
        "FND-NUL,Tar\x00tar,UXO,1,2024-07-02,46.9021,40.3014\n"
        "FND-BIG,Tartar,UXO,3000000000,2024-07-02,46.9021,40.3014\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file(store, "finds", path, country="AZ", today=TODAY)
    assert [str(p) for p in rejected.value.problems] == [
        "finds.csv, row 2, field 'external_id': 100,000 characters, more than the 100 allowed",
        "finds.csv, row 3, field 'district': holds a NUL character (\\x00), which no text may hold",
        "finds.csv, row 4, field 'quantity': 3000000000 is out of range: whole numbers go from "
        "-2,147,483,648 to 2,147,483,647",
    ]
    assert snapshot(store) == before


def test_the_api_refuses_what_the_database_would_not_store(web: Web) -> None:
    base = {
        "district": "Tartar", "category": "UXO", "quantity": 1, "found_on": "2024-07-02",
        "activity": "ACT-001", "wkt": "POINT (46.9021 40.3014)",
    }  # fmt: skip
    cases = [
        ({"external_id": "F" * 100_000}, "external_id", "100,000 characters, more than the 100 "
         "allowed"),
        ({"external_id": "FND-NUL", "model": "TM\x0062"}, "model",
         "holds a NUL character (\\x00), which no text may hold"),
        ({"external_id": "FND-BIG", "quantity": 2**40}, "quantity",
         "1099511627776 is out of range: whole numbers go from -2,147,483,648 to 2,147,483,647"),
    ]  # fmt: skip
    for values, field, reason in cases:
        answer = web.client.post("/api/finds", headers=web.as_("ines"), json={**base, **values})
        assert answer.status_code == 422, answer.json()
        assert answer.json()["problems"] == [{"field": field, "reason": reason}]
    rejected = web.client.post(
        "/api/finds/FND-001/reject", headers=web.as_("ines"), json={"reason": "bad\x00"}
    )
    assert rejected.status_code == 400
    assert rejected.json()["message"] == (
        "reason: holds a NUL character (\\x00), which no text may hold"
    )


HUGE = "99999999999999999999"


def test_out_of_range_paging_answers_400_and_a_huge_id_404(web: Web) -> None:
    answer = web.client.get(f"/api/finds?offset={HUGE}", headers=web.as_("vera"))
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "invalid_request",
        "message": f"offset {HUGE} is out of range (0 to 9223372036854775807)",
    }
    largest = web.client.get("/api/finds?offset=9223372036854775807", headers=web.as_("vera"))
    assert largest.status_code == 200 and largest.json()["items"] == []
    for query in (f"offset={HUGE}", f"offset={HUGE}&bbox=46,39,48,41"):
        answer = web.client.get(
            f"/ogc/collections/hazards-areas/items?{query}", headers=web.as_("vera")
        )
        assert answer.status_code == 400
        assert answer.json() == {
            "code": "InvalidParameterValue",
            "description": f"offset {HUGE} is out of range (0 to 9223372036854775807)",
        }
    answer = web.client.get(f"/ogc/collections/hazards-areas/items/{HUGE}", headers=web.as_("vera"))
    assert answer.status_code == 404
    assert answer.json() == {
        "code": "NotFound", "description": f"no feature '{HUGE}' in 'hazards-areas'"
    }  # fmt: skip


# -- victims' identifiers: imported only with the grant ----------------------------------


def test_importing_victim_identifiers_needs_the_grant(
    store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from sqlalchemy import select

    from demine.store import schema

    load_sample(store)
    for kind, name in (("accidents", "casualty_accidents.csv"), ("victims", "victims.csv")):
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY)
    identifiers = str(REGISTER / "victim_identifiers.csv")
    code = _exit_of(monkeypatch, "--db", database_url, "import", "victim-identifiers", identifiers)
    assert code == 7
    assert " ".join(capsys.readouterr().err.split()) == (
        "Error: an anonymous user may not import victims' personal data: it needs the "
        "'victim_data' permission."
    )
    result = runner.invoke(
        app,
        ["--db", database_url, "import", "victim-identifiers", identifiers, "--as-role",
         "information_manager", "--as-role", "victim_data"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with store.read() as connection:
        log = connection.execute(
            select(schema.access_log.c.action, schema.access_log.c.record_keys,
                   schema.access_log.c.purpose).order_by(schema.access_log.c.id)
        ).all()  # fmt: skip
    assert [tuple(row) for row in log] == [
        ("import_refused", "[]", "import of victim_identifiers.csv"),
        ("import", '["VIC-001", "VIC-101"]', "import of victim_identifiers.csv"),
    ]
    identifiers_stored = snapshot(store)["victim_identifiers"]
    assert len(identifiers_stored) == 2


def test_a_nul_character_in_a_request_is_a_bad_request_on_both_databases(web: Web) -> None:
    refused = {
        "code": "invalid_request",
        "message": "the request holds a NUL character (\\x00), which no text may hold",
    }
    for url in (
        "/api/finds/FND%00",
        "/api/finds?category=A%00",
        "/api/hazards?status=o%00",
        "/api/finds/FND%00/history",
        "/audit?record=a%00",
    ):
        answer = web.client.get(url, headers=web.as_("adam"))
        assert (answer.status_code, answer.json()) == (400, refused), url
