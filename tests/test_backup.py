"""``demine db backup`` / ``demine db restore``: a snapshot taken while the web server
writes restores into an empty SQLite or PostGIS database with every table's count and
checksum equal; drafts, deleted records, users, tokens, the audit log and the history
survive SQLite → PostGIS → SQLite; a damaged, incomplete or newer archive and a
database holding rows are refused, touching nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text, update
from tests.backup_scenario import SCANS, build_register, register_backup
from tests.conftest import _postgis_schema
from tests.helpers import snapshot
from tests.web_fixtures import PASSWORD, Web, correct

from demine.cli.main import run
from demine.errors import IntegrityCheckFailed, InvalidRequestError
from demine.settings import Settings
from demine.store import migrate, schema
from demine.store.archive import Manifest, TableEntry
from demine.store.attachments import attachment_content
from demine.store.backup import write_backup
from demine.store.canonical import line, table_digest
from demine.store.check import check_database
from demine.store.engine import Store, open_store
from demine.store.restore import restore_backup
from demine.web.app import create_app

NEW_FIND = {"district": "Tartar", "category": "UXO", "quantity": 2, "found_on": "2024-07-03"}


@pytest.fixture
def other_postgis_url() -> Iterator[str]:
    """A second empty PostGIS schema (the ``store`` fixture may hold the first)."""
    yield from _postgis_schema()


def digests(store: Store) -> dict[str, tuple[int, str]]:
    """Every table's row count and checksum, as the database holds it now."""
    with store.snapshot() as connection:
        return {
            table.name: (found.rows, found.sha256)
            for table in schema.metadata.sorted_tables
            for found in [table_digest(connection, table)]
        }


def listed(manifest: Manifest) -> dict[str, tuple[int, str]]:
    return {name: (entry.rows, entry.sha256) for name, entry in manifest.tables.items()}


def restored(url: str, archive: Path) -> Store:
    target = open_store(url, create=True)
    restore_backup(target, archive)
    return target


def quantity(store: Store, key: str) -> int:
    with store.read() as connection:
        table = schema.device_finds
        return int(
            connection.execute(
                select(table.c.quantity).where(table.c.external_id == key)
            ).scalar_one()
        )


class BusyServer:
    """Requests to the in-process app from another thread, reads and writes, until stopped."""

    def __init__(self, web: Web) -> None:
        self.web = Web(TestClient(web.client.app), web.headers, web.store)
        self.served = 0
        self.errors: list[str] = []
        self.one_more = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        turn = 0
        while not self._stop.is_set():
            turn += 1
            listed = self.web.client.get("/api/finds", headers=self.web.as_("vera"))
            changed = correct(self.web, "ines", "activities", "ACT-001", team_days=turn % 50 + 1)
            for response in (listed, changed):
                if response.status_code >= 500:
                    self.errors.append(f"{response.status_code} {response.text}")
            self.served += 2
            self.one_more.set()
            self._stop.wait(0.005)  # busy, but leaving the interpreter to the backup too

    def __enter__(self) -> BusyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def test_a_backup_taken_while_the_server_writes_restores_into_sqlite_and_postgis(
    store: Store, tmp_path: Path, other_postgis_url: str
) -> None:
    web = build_register(store, tmp_path)
    archive = tmp_path / "backup.zip"
    before = quantity(store, "FND-002")
    written_during: list[str] = []

    def write_meanwhile(table: str, _entry: TableEntry) -> None:
        """After each table is read, change a find the kept figures count and add one
        (after the first, once the busy thread has answered again, too)."""
        if not written_during:
            busy.one_more.clear()
            assert busy.one_more.wait(timeout=30), "the server thread answers meanwhile"
        number = len(written_during) + 1
        assert correct(web, "ines", "finds", "FND-002", quantity=100 + number).status_code == 200
        created = web.client.post(
            "/api/finds", json={**NEW_FIND, "external_id": f"F-DURING-{number}"},
            headers=web.as_("ines"),
        )  # fmt: skip
        assert created.status_code == 201, created.text
        written_during.append(table)

    with BusyServer(web) as busy:
        served_before = busy.served
        manifest = write_backup(store, archive, on_table=write_meanwhile)
        served_during = busy.served - served_before
    assert busy.errors == []
    assert len(written_during) == len(schema.metadata.sorted_tables) == 52
    assert served_during >= 2
    assert quantity(store, "FND-002") == 152, "the writes went through"

    sqlite_target = restored(f"sqlite:///{tmp_path / 'restored.db'}", archive)
    postgis_target = restored(other_postgis_url, archive)
    for target in (sqlite_target, postgis_target):
        assert digests(target) == listed(manifest)
        # The snapshot is of one moment: the find as it was, none of the finds added
        # while it was read, and figures that agree with the records.
        assert quantity(target, "FND-002") == before == 7
        with target.read() as connection:
            keys = connection.execute(select(schema.device_finds.c.external_id)).scalars()
            assert not [key for key in keys if key.startswith("F-DURING")]
        report = check_database(target, manifest)
        assert report.problems == []
        target.dispose()
    assert manifest.tables["victim_identifiers"].rows == 2
    assert manifest.tables["record_attachments"].rows == 2
    assert (manifest.attachment_files, manifest.attachment_bytes) == (
        2,
        sum(len(content) for content in SCANS.values()),
    )


@pytest.mark.postgis
def test_everything_survives_sqlite_to_postgis_to_sqlite(
    sqlite_url: str, postgis_url: str, tmp_path: Path
) -> None:
    source = open_store(sqlite_url, create=True)
    migrate.upgrade(source)
    tokens = build_register(source, tmp_path).headers
    first = write_backup(source, tmp_path / "first.zip")

    on_postgis = restored(postgis_url, tmp_path / "first.zip")
    assert snapshot(on_postgis) == snapshot(source)
    second = write_backup(on_postgis, tmp_path / "second.zip")
    final = restored(f"sqlite:///{tmp_path / 'final.db'}", tmp_path / "second.zip")
    third = write_backup(final, tmp_path / "third.zip")
    assert listed(first) == listed(second) == listed(third)
    assert (first.database, second.database, third.database) == ("sqlite", "postgresql", "sqlite")
    assert snapshot(final) == snapshot(source)

    # The restored register behaves as the original: the old tokens and passwords work,
    # the draft is still a draft, the deleted find still deleted, the disabled account
    # still disabled, the history and the attachments are there.
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), final))
    draft = client.get("/api/finds/F-DRAFT", headers=tokens["ines"])
    assert draft.status_code == 200 and draft.json()["review_status"] == "draft"
    assert client.get("/api/finds/F-DRAFT", headers=tokens["vera"]).status_code == 404
    assert client.get("/api/finds/FND-001", headers=tokens["vera"]).status_code == 404
    everything = client.get("/api/finds?include_deleted=true", headers=tokens["ines"]).json()
    assert everything["total"] == 7
    assert client.get("/api/finds", headers=tokens["vera"]).json()["total"] == 5
    history = client.get("/api/finds/FND-002/history", headers=tokens["ines"]).json()
    assert [(v["action"], v["values"]["quantity"]) for v in history["versions"]] == [
        ("import", 5),
        ("update", 7),
    ]
    assert client.post("/login", data={"username": "adam", "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"username": "sami", "password": PASSWORD}).status_code == 401
    assert client.get("/api/finds", headers=tokens["sami"]).status_code == 401
    for content in SCANS.values():
        digest = hashlib.sha256(content).hexdigest()
        assert attachment_content(final, "MFR-001", digest) == content

    # PostgreSQL hands out fresh ids after a restore (its sequences were moved on).
    on_postgis_web = TestClient(create_app(Settings(database_url="unused"), on_postgis))
    created = on_postgis_web.post(
        "/api/finds", json={**NEW_FIND, "external_id": "F-AFTER"}, headers=tokens["ines"]
    )
    assert created.status_code == 201, created.text
    with on_postgis.read() as connection:
        finds = schema.device_finds
        ids = connection.execute(select(finds.c.id).order_by(finds.c.id)).scalars().all()
    assert ids[-1] == ids[-2] + 1 == first.tables["device_finds"].rows + 1
    for store in (source, on_postgis, final):
        store.dispose()


def _rewrite(archive: Path, damaged: Path, change: dict[str, bytes | None]) -> None:
    """A copy of ``archive`` with some members replaced (or left out with None)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = change.get(item.filename, source.read(item.filename))
            if content is not None:
                target.writestr(item, content)


def _manifest_with(archive: Path, **changes: object) -> bytes:
    with zipfile.ZipFile(archive) as source:
        document = json.loads(source.read("manifest.json"))
    for key, value in changes.items():
        if value is None:
            document["tables"].pop(key)
        else:
            document[key] = value
    return json.dumps(document).encode()


def _cli(
    *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["demine", *args])
    monkeypatch.setenv("COLUMNS", "400")
    try:
        run()
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def register_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    """A backup of the scenario's register on SQLite, made once for the tests that only
    restore it (read it, or copy it to change it)."""
    return register_backup(tmp_path_factory.mktemp("register_archive"))


def test_damaged_incomplete_and_newer_archives_are_refused_touching_nothing(
    register_archive: tuple[Path, Manifest],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive, manifest = register_archive
    data = archive.read_bytes()
    cases: dict[str, tuple[Path, str]] = {}

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    cases["truncated"] = (
        truncated,
        f"{truncated} is not a readable backup archive (damaged or truncated): "
        "File is not a zip file",
    )

    with zipfile.ZipFile(archive) as source:
        finds = source.read("tables/device_finds.jsonl").splitlines(keepends=True)
    row = json.loads(finds[1])
    row[manifest.tables["device_finds"].columns.index("quantity")] += 1
    changed = b"".join([finds[0], line(row), *finds[2:]])
    edited = tmp_path / "edited.zip"
    _rewrite(archive, edited, {"tables/device_finds.jsonl": changed})
    expected = manifest.tables["device_finds"]
    cases["edited"] = (
        edited,
        f"{edited}: tables/device_finds.jsonl is corrupt: it holds 7 rows with checksum "
        f"{hashlib.sha256(changed).hexdigest()}, the manifest says 7 rows with checksum "
        f"{expected.sha256}",
    )

    no_file = tmp_path / "no_file.zip"
    _rewrite(archive, no_file, {"tables/users.jsonl": None})
    cases["no_file"] = (no_file, f"{no_file}: tables/users.jsonl is missing")

    no_table = tmp_path / "no_table.zip"
    _rewrite(
        archive,
        no_table,
        {"tables/users.jsonl": None, "manifest.json": _manifest_with(archive, users=None)},
    )
    cases["no_table"] = (no_table, f"{no_table}: table users is missing")

    newer = tmp_path / "newer.zip"
    _rewrite(archive, newer, {"manifest.json": _manifest_with(archive, schema_revision="0099")})
    cases["newer"] = (
        newer,
        f"{newer} was written at schema revision 0099, newer than this Demine knows (0028); "
        "restore it with a newer Demine.",
    )

    scan = "attachments/" + hashlib.sha256(SCANS["form.pdf"]).hexdigest()
    swapped = tmp_path / "swapped.zip"
    _rewrite(archive, swapped, {scan: b"%PDF-1.4 another form"})
    cases["swapped"] = (
        swapped,
        f"{swapped}: {scan} is corrupt: its bytes do not match its checksum",
    )

    target = tmp_path / "target.db"
    for name, (damaged, message) in cases.items():
        code, out, err = _cli("--db", str(target), "db", "restore", str(damaged),
                              monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
        assert code == 11, name
        assert err == f"Error: {message}\n", name
        assert out == ""
        assert not target.exists(), f"{name}: a refused restore leaves no database behind"

    # The intact archive restores, and says what it restored.
    code, out, err = _cli("--db", str(target), "db", "restore", str(archive),
                          monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    rows = sum(entry.rows for entry in manifest.tables.values())
    assert (code, err) == (0, "")
    assert out == (
        f"Restored {rows:,} rows in 52 tables and 2 attachments from {archive}; "
        "every table matches the manifest.\n"
    )


def test_a_database_holding_rows_is_refused(
    store: Store, register_archive: tuple[Path, Manifest]
) -> None:
    archive, _manifest = register_archive
    restore_backup(store, archive)
    before = digests(store)
    with pytest.raises(InvalidRequestError) as refused:
        restore_backup(store, archive)
    assert refused.value.message == (
        f"The database {store.describe()} is not empty (36 tables hold rows, among them "
        "access_log); a backup is restored only into an empty database."
    )
    assert digests(store) == before


def test_a_database_of_other_tables_is_refused(
    sqlite_url: str, register_archive: tuple[Path, Manifest]
) -> None:
    archive, _manifest = register_archive
    target = open_store(sqlite_url, create=True)
    with target.write() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    with pytest.raises(InvalidRequestError) as refused:
        restore_backup(target, archive)
    assert refused.value.message == (
        f"The database {target.describe()} holds tables (notes) but no Demine schema; "
        "a backup is restored only into an empty database."
    )
    target.dispose()


@pytest.mark.postgis
def test_a_row_postgis_refuses_rolls_back_the_whole_restore(
    postgis_url: str, register_archive: tuple[Path, Manifest], tmp_path: Path
) -> None:
    """SQLite keeps a text longer than its column (its manifest agreeing); PostgreSQL
    refuses it, and the restore leaves nothing of the schema it had started to create."""
    archive, manifest = register_archive
    with zipfile.ZipFile(archive) as source:
        rows = source.read("tables/organisations.jsonl").splitlines(keepends=True)
        document = json.loads(source.read("manifest.json"))
    row = json.loads(rows[-1])
    row[manifest.tables["organisations"].columns.index("code")] = "S" * 61
    changed = b"".join([*rows[:-1], line(row)])
    document["tables"]["organisations"]["sha256"] = hashlib.sha256(changed).hexdigest()
    too_long = tmp_path / "too_long.zip"
    _rewrite(
        archive,
        too_long,
        {"tables/organisations.jsonl": changed, "manifest.json": json.dumps(document).encode()},
    )
    target = open_store(postgis_url, create=True)
    with pytest.raises(IntegrityCheckFailed) as refused:
        restore_backup(target, too_long)
    assert refused.value.message == (
        f"{too_long}: table organisations cannot be restored into this postgresql database: "
        "value too long for type character varying(60)"
    )
    with target.read() as connection:
        inspector = inspect(connection)
        assert inspector.get_table_names(schema=inspector.default_schema_name) == []
    target.dispose()


def test_backup_command_writes_the_archive_and_says_what_it_holds(
    store: Store, database_url: str, register_archive: tuple[Path, Manifest], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    restore_backup(store, register_archive[0])
    archive = tmp_path / "nightly.zip"
    code, out, err = _cli("--db", database_url, "db", "backup", "-o", str(archive),
                          monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    assert (code, err) == (0, "")
    with zipfile.ZipFile(archive) as written:
        manifest = Manifest.from_json(written.read("manifest.json"), "manifest.json")
        names = sorted(written.namelist())
    assert listed(manifest) == digests(store) == listed(register_archive[1])
    rows = sum(entry.rows for entry in manifest.tables.values())
    size = sum(len(content) for content in SCANS.values())
    assert out == (
        f"{archive}: {rows:,} rows in 52 tables and 2 attachments ({size:,} bytes), "
        "schema revision 0028.\n"
    )
    scans = sorted(f"attachments/{hashlib.sha256(c).hexdigest()}" for c in SCANS.values())
    tables = sorted(f"tables/{name}.jsonl" for name in manifest.tables)
    assert names == [*scans, "manifest.json", *tables]
    assert oct(os.stat(archive).st_mode & 0o777) == "0o600", "personal data: owner only"


def test_an_area_listed_before_the_area_it_belongs_to_is_restored(
    database_url: str, register_archive: tuple[Path, Manifest], tmp_path: Path
) -> None:
    """Restored rows go in primary-key order, but an area refers to its parent: a parent
    with a higher id than its child is restored first (the keys are checked row by row)."""
    source = restored(f"sqlite:///{tmp_path / 'source.db'}", register_archive[0])
    areas = schema.admin_areas
    with source.write() as connection:
        row = connection.execute(select(areas).where(areas.c.code == "AZ-TAR")).one()._asdict()
        region = {**row, "id": 10, "code": "AZ-KAR", "name": "Karabakh", "parent_id": 1}
        connection.execute(areas.insert().values(**region))
        connection.execute(update(areas).where(areas.c.code == "AZ-TAR").values(parent_id=10))
    manifest = write_backup(source, tmp_path / "reordered.zip")
    target = restored(database_url, tmp_path / "reordered.zip")
    assert digests(target) == listed(manifest)
    with target.read() as connection:
        parent = select(areas.c.parent_id).where(areas.c.code == "AZ-TAR")
        assert connection.execute(parent).scalar() == 10
    for store in (source, target):
        store.dispose()


def test_a_restore_that_comes_out_different_from_its_manifest_is_rolled_back(
    sqlite_url: str, register_archive: tuple[Path, Manifest]
) -> None:
    """The last safeguard: every restored table is read back and compared with the
    manifest before the transaction commits. Here a trigger someone left in the empty
    target database rewrites each restored account."""
    archive, manifest = register_archive
    target = open_store(sqlite_url, create=True)
    migrate.upgrade(target)
    with target.write() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER rename_users AFTER INSERT ON users BEGIN "
                "UPDATE users SET display_name = 'renamed' WHERE id = NEW.id; END"
            )
        )
    with pytest.raises(IntegrityCheckFailed) as refused:
        restore_backup(target, archive)
    assert refused.value.message == (
        f"The restored database does not match the manifest of {archive}; nothing was restored."
    )
    [problem] = refused.value.problems
    renamed = problem.split()[6].rstrip(",")
    assert renamed != manifest.tables["users"].sha256
    assert problem == (
        f"table users: 5 rows with checksum {renamed}, the manifest says 5 rows "
        f"with checksum {manifest.tables['users'].sha256}"
    )
    assert set(digests(target).values()) == {(0, hashlib.sha256(b"").hexdigest())}
    target.dispose()
