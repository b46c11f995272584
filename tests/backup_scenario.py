"""A small register holding every kind of state a backup must keep: the sample register
with its casualties (victims' identifiers), minefield records with two scans attached,
an account per role (one disabled), API tokens, a draft, a soft-deleted find, a
correction (record history and audit log) and a failed login. Every value is invented
(tests/fixtures/register and tests/fixtures/records)."""

from __future__ import annotations

from pathlib import Path

from tests.casualty_fixtures import CASUALTY_FILES, LOADER
from tests.helpers import REGISTER, TODAY
from tests.web_fixtures import Web, correct, web_on

from demine.ingest.importer import import_file
from demine.store import migrate
from demine.store.archive import Manifest
from demine.store.attachments import attach_files
from demine.store.backup import write_backup
from demine.store.engine import Store, open_store

RECORDS = Path(__file__).parent / "fixtures" / "records"
DRAFT_FIND = {"external_id": "F-DRAFT", "district": "Tartar", "category": "UXO",
              "quantity": 1, "found_on": "2024-07-02"}  # fmt: skip
SCANS = {"sheet-1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
         "form.pdf": b"%PDF-1.4 scanned form"}  # fmt: skip


def build_register(store: Store, scans: Path) -> Web:
    """Fill ``store`` (migrated, empty); ``scans`` is a folder for the attached files."""
    web = web_on(store)
    for kind, name in CASUALTY_FILES:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY, principal=LOADER)
    import_file(
        store, "minefield-records", RECORDS / "minefield_records.geojson", country="AZ", today=TODAY
    )
    paths = []
    for name, content in SCANS.items():
        (scans / name).write_bytes(content)
        paths.append(scans / name)
    attach_files(store, "MFR-001", paths)
    client = web.client
    assert client.post("/api/finds", json=DRAFT_FIND, headers=web.as_("dora")).status_code == 201
    etag = client.get("/api/finds/FND-001", headers=web.as_("ines")).headers["etag"]
    deleted = client.delete("/api/finds/FND-001", headers={**web.as_("ines"), "If-Match": etag})
    assert deleted.status_code == 204
    assert correct(web, "ines", "finds", "FND-002", quantity=7).status_code == 200
    assert client.post("/api/users/sami/disable", headers=web.as_("adam")).status_code == 200
    assert client.post("/login", data={"username": "vera", "password": "wrong"}).status_code == 401
    return web


def register_backup(folder: Path) -> tuple[Path, Manifest]:
    """A backup of the scenario's register built on SQLite in ``folder``."""
    source = open_store(f"sqlite:///{folder / 'source.db'}", create=True)
    migrate.upgrade(source)
    build_register(source, folder)
    manifest = write_backup(source, folder / "backup.zip")
    source.dispose()
    return folder / "backup.zip", manifest
