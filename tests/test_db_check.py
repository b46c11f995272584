"""``demine db check``: a sound database passes every check; a broken foreign key, an
invalid geometry, a bounding box that drifted from its geometry, a kept figure changed
behind the triggers and a table that no longer matches a backup's manifest are each
reported on a line that names the table and row, and the command ends with exit 11."""

from __future__ import annotations

import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import Polygon
from sqlalchemy import select, text, update
from tests.backup_scenario import register_backup

from demine.cli.main import run
from demine.errors import IntegrityCheckFailed
from demine.store import schema
from demine.store.archive import Manifest, read_manifest
from demine.store.canonical import table_digest
from demine.store.check import check_database
from demine.store.engine import Store
from demine.store.restore import restore_backup

#: What the integrity check says of a sound database (the test database has no amcheck).
INTEGRITY = {
    "sqlite": "integrity: ok",
    "postgresql": "integrity: ok (amcheck is not installed: indexes not checked)",
}
BOWTIE = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])


@pytest.fixture(scope="module")
def register_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    return register_backup(tmp_path_factory.mktemp("check_archive"))


@pytest.fixture
def restored(store: Store, register_archive: tuple[Path, Manifest]) -> Store:
    restore_backup(store, register_archive[0])
    return store


def _check(
    url: str, *options: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["demine", "--db", url, "db", "check", *options])
    monkeypatch.setenv("COLUMNS", "400")
    try:
        run()
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_sound_database_passes_every_check(
    restored: Store,
    database_url: str,
    register_archive: tuple[Path, Manifest],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = register_archive[0]
    code, out, err = _check(database_url, "--manifest", str(archive),
                            monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        INTEGRITY[restored.dialect],
        "foreign keys: ok",
        "geometries: 24 checked, all valid",
        "kept figures: 64 groups equal a recount",
        "manifest: 52 tables equal",
    ]


def _break_a_reference(store: Store) -> None:
    """Point an alias at no area, past the database's own foreign-key checks."""
    change = "UPDATE admin_area_aliases SET area_id = 9999 WHERE id = 1"
    if store.is_postgis:
        with store.write() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(change))
        return
    raw = store.engine.raw_connection()
    try:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute(change)
        raw.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


def test_check_reports_each_planted_problem(
    restored: Store,
    database_url: str,
    register_archive: tuple[Path, Manifest],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = restored
    archive, manifest = register_archive
    hazards, kept = schema.hazard_areas, schema.metadata.tables["figures_finds"]
    _break_a_reference(store)
    with store.write() as connection:
        ids = dict(connection.execute(select(hazards.c.external_id, hazards.c.id)).all())
        connection.execute(
            update(hazards)
            .where(hazards.c.external_id == "HA-001")
            .values(geometry=BOWTIE, min_x=0.0, min_y=0.0, max_x=1.0, max_y=1.0)
        )
        connection.execute(
            update(hazards)
            .where(hazards.c.external_id == "HA-002")
            .values(min_x=hazards.c.min_x - 1)
        )
        bbox = connection.execute(
            select(hazards.c.min_x, hazards.c.min_y, hazards.c.max_x, hazards.c.max_y).where(
                hazards.c.external_id == "HA-002"
            )
        ).one()
        fnd_002 = (kept.c.category == "AP_MINE", kept.c.found_earliest == date(2024, 7, 3))
        group = connection.execute(select(kept).where(*fnd_002)).one()
        connection.execute(update(kept).where(*fnd_002).values(devices=kept.c.devices + 1000))
        connection.execute(
            update(schema.users)
            .where(schema.users.c.username == "vera")
            .values(display_name="Vera (changed)")
        )
        # Changing hazards also decides again what the database keeps about them (the
        # answers of the accidents' tests, the map cells the moved areas are counted in).
        changed = ("admin_area_aliases", "figures_finds", "hazard_areas", "users",
                   "hazard_test_state", "accident_hazard_tests", "data_versions",
                   "figures_hazards_cells_13", "figures_hazards_cells_16")  # fmt: skip
    with store.read() as connection:  # after the commit, which settles the kept answers
        now = {name: table_digest(connection, schema.metadata.tables[name]) for name in changed}

    code, out, err = _check(database_url, "--manifest", str(archive),
                            monkeypatch=monkeypatch, capsys=capsys)  # fmt: skip
    assert code == 11
    assert out.splitlines() == [INTEGRITY[store.dialect]]
    true_box = f"({bbox.min_x + 1!r}, {bbox.min_y!r}, {bbox.max_x!r}, {bbox.max_y!r})"
    stored_box = f"({bbox.min_x!r}, {bbox.min_y!r}, {bbox.max_x!r}, {bbox.max_y!r})"
    keys = ", ".join(str(value) for value in group[:5])
    differ = [
        table.name
        for table in schema.metadata.sorted_tables
        if table.name in now and now[table.name].sha256 != manifest.tables[table.name].sha256
    ]
    assert {"admin_area_aliases", "figures_finds", "hazard_areas", "users"} <= set(differ)
    expected = [
        f"Error: {4 + len(differ)} problem(s) found in {store.describe()}:",
        "  admin_area_aliases row 1: area_id = 9999 refers to no admin_areas row",
        f"  hazard_areas HA-001 (row {ids['HA-001']}): invalid geometry: "
        "Self-intersection[0.5 0.5]",
        f"  hazard_areas HA-002 (row {ids['HA-002']}): bounding box {stored_box} differs from "
        f"its geometry's {true_box}",
        f"  figures_finds: group {keys} holds devices {group.devices + 1000}, records "
        f"{group.records}; a recount gives devices {group.devices}, records {group.records}",
    ]
    for name in differ:
        found, listed = now[name], manifest.tables[name]
        expected.append(
            f"  table {name}: {found.rows} rows with checksum {found.sha256}, the manifest says "
            f"{listed.rows} rows with checksum {listed.sha256}"
        )
    assert err.splitlines() == expected


def test_check_without_a_manifest_checks_the_database_alone(restored: Store) -> None:
    report = check_database(restored)
    assert report.problems == []
    assert report.passed[-1] == "kept figures: 64 groups equal a recount"


def test_check_takes_a_manifest_taken_out_of_its_archive(
    restored: Store, register_archive: tuple[Path, Manifest], tmp_path: Path
) -> None:
    with zipfile.ZipFile(register_archive[0]) as archive:
        (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json"))
    manifest = read_manifest(tmp_path / "manifest.json")
    assert manifest == register_archive[1]
    assert check_database(restored, manifest).problems == []
    (tmp_path / "manifest.json").write_text('{"format": "something else"}')
    with pytest.raises(IntegrityCheckFailed) as refused:
        read_manifest(tmp_path / "manifest.json")
    assert refused.value.message == (
        f"{tmp_path / 'manifest.json'} is not a Demine backup manifest: its format is "
        "'something else', not 'demine-backup'"
    )
