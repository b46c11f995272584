"""Victim data protection: roles, identifiers read only with permission and always
logged, exports refused without it, public outputs aggregates only (SQLite and PostGIS)."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.casualty_fixtures import ACCIDENT_POINTS, IDENTIFIERS, load_casualty_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.access import Permission, Principal, Role, parse_role
from demine.errors import Forbidden as PermissionDeniedError
from demine.export.public import PublicFormat, export_public
from demine.export.public_columns import Level, columns_of, header
from demine.export.writer import ExportFormat, export_register
from demine.store import schema
from demine.store.engine import Store
from demine.store.protected import read_victim_identifiers

runner = CliRunner()
THRESHOLD = 5
OFFICER = Principal.of("amina", Role.INFORMATION_MANAGER, Role.VICTIM_DATA)
VIEWER = Principal.of("tural", Role.VIEWER)
#: Keys of public figures that count a subset of victims or accidents (not totals).
SUBSET_KEYS = (
    "since_killed", "since_injured", "since_unknown_outcome", "since_civilians",
    "since_children", "since_women", "since_unplaced_victims", "since_unplaced_accidents",
    "all_time_killed", "all_time_injured", "all_time_children", "all_time_women",
    "all_time_unplaced_victims",
)  # fmt: skip


@pytest.fixture
def scenario(store: Store) -> Store:
    load_casualty_sample(store)
    return store


def access_log(store: Store) -> list[dict[str, Any]]:
    """The access log after the scenario's own import of the identifiers (its first row)."""
    with store.read() as connection:
        rows = connection.execute(select(schema.access_log).order_by(schema.access_log.c.id))
        logged = [dict(row._mapping) for row in rows]
    assert logged[0]["action"] == "import"
    return logged[1:]


def assert_no_personal_data(text: str) -> None:
    """No identifier, victim or accident id, coordinate or geometry in ``text``."""
    for value in IDENTIFIERS:
        assert value not in text, value
    assert "VIC-" not in text and "ACC-" not in text
    for lon, lat in ACCIDENT_POINTS:
        for number in (lon, lat):
            assert not re.search(rf"(?<![\d.]){re.escape(repr(number))}(?!\d)", text), number
    for word in ("POLYGON", "POINT", "wkt", "geometry", "coordinates", '"lon"', '"lat"'):
        assert word not in text


def assert_no_small_cell(cell: Any, where: str) -> None:
    assert isinstance(cell, str) or cell is None or cell == 0 or cell >= THRESHOLD, where


def assert_public_figures(figures: dict[str, Any]) -> None:
    for key, value in figures.items():
        if key.startswith("by_") or key in ("accidents_by_district", "inside_known_hazard"):
            for name, cell in value.items():
                assert_no_small_cell(cell, f"{key}[{name}]")
    for key in SUBSET_KEYS:
        assert_no_small_cell(figures[key], key)
    for key, cell in figures["after_baseline"].items():
        if key not in ("from", "to", "total"):
            assert_no_small_cell(cell, f"after_baseline[{key}]")


def test_roles_and_the_victim_data_grant() -> None:
    # Administering the system does not open health data: that needs the grant.
    assert not Principal.of("a", Role.ADMINISTRATOR).can(Permission.VICTIM_DATA)
    assert Principal.of("a", Role.ADMINISTRATOR).can(Permission.ADMIN)
    assert OFFICER.can(Permission.VICTIM_DATA) and OFFICER.can(Permission.APPROVE)
    assert VIEWER.can(Permission.VIEW_OPERATIONAL) and not VIEWER.can(Permission.EDIT)
    assert Principal.of("p", Role.PUBLIC).permissions == {Permission.VIEW_PUBLIC}
    assert Principal.of("d", Role.DATA_ENTRY).can(Permission.EDIT)
    assert parse_role("information-manager") is Role.INFORMATION_MANAGER
    with pytest.raises(ValueError, match="unknown role"):
        parse_role("superuser")


def test_identifiers_are_refused_to_a_viewer_and_the_attempt_logged(scenario: Store) -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        read_victim_identifiers(scenario, VIEWER, ["VIC-001"], "curiosity")
    assert refused.value.http_status == 403 and refused.value.exit_code == 7
    (row,) = access_log(scenario)
    assert row["action"] == "read_refused" and row["actor"] == "tural (viewer)"
    assert json.loads(row["record_keys"]) == ["VIC-001"] and row["purpose"] == "curiosity"


def test_identifiers_are_read_with_the_grant_and_every_read_logged(scenario: Store) -> None:
    records = read_victim_identifiers(scenario, OFFICER, ["VIC-001", "VIC-101"], "follow-up")
    assert [r.full_name for r in records] == ["Test Person One", "Test Person Two"]
    read_victim_identifiers(scenario, OFFICER, ["VIC-001"], "prosthesis referral")
    first, second = access_log(scenario)
    assert first["action"] == "read" and first["table_name"] == "victim_identifiers"
    assert first["actor"] == "amina (information_manager, victim_data)"
    assert json.loads(first["record_keys"]) == ["VIC-001", "VIC-101"]
    assert first["purpose"] == "follow-up" and first["at"] is not None
    assert second["purpose"] == "prosthesis referral"
    assert first["at"].tzinfo is not None


def test_cli_identifiers_as_role(scenario: Store, database_url: str) -> None:
    command = ["--db", database_url, "victims", "identifiers", "--victim", "VIC-001"]
    refused = runner.invoke(app, [*command, "--purpose", "check"])
    assert isinstance(refused.exception, PermissionDeniedError)
    allowed = runner.invoke(
        app,
        [*command, "--purpose", "follow-up", "--as-role", "viewer", "--as-role", "victim_data",
         "--as-user", "amina", "--format", "json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.output)[0]["id_number"] == "AZE0000001"
    actions = [(row["action"], row["actor"]) for row in access_log(scenario)]
    assert actions[-1] == ("read", "amina (victim_data, viewer)")
    assert actions[0][0] == "read_refused"


def test_the_installed_command_exits_7_when_refused(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "from demine.cli.main import run; run()",
         "--db", str(tmp_path / "t.db"), "--create", "victims", "identifiers", "--victim",
         "VIC-001",
         "--purpose", "check"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, check=False,
    )  # fmt: skip
    assert completed.returncode == 7
    assert "needs the 'victim_data' permission" in completed.stderr


def test_export_refuses_identifiers_without_the_grant(
    scenario: Store, database_url: str, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDeniedError):
        export_register(scenario, tmp_path / "x", ExportFormat.CSV, ["victim-identifiers"])
    with pytest.raises(PermissionDeniedError):
        export_register(
            scenario, tmp_path / "x", ExportFormat.CSV, ["victim-identifiers"], principal=VIEWER
        )
    result = runner.invoke(
        app,
        ["--db", database_url, "export", "--format", "csv", "--output", str(tmp_path / "y"),
         "--kind", "victim-identifiers"],
    )  # fmt: skip
    assert isinstance(result.exception, PermissionDeniedError)
    # The whole register, by default, leaves personal data out.
    written = export_register(scenario, tmp_path / "all", ExportFormat.CSV)
    assert_no_identifiers_in(written)
    assert [row["action"] for row in access_log(scenario)] == ["read_refused"] * 3


def assert_no_identifiers_in(paths: list[Path]) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for value in IDENTIFIERS:
            assert value not in text, (path.name, value)


def test_export_of_identifiers_with_the_grant_is_logged(scenario: Store, tmp_path: Path) -> None:
    (path,) = export_register(
        scenario, tmp_path, ExportFormat.CSV, ["victim-identifiers"],
        principal=OFFICER, purpose="transfer to the victim assistance programme",
    )  # fmt: skip
    assert "Test Person One" in path.read_text(encoding="utf-8")
    (row,) = access_log(scenario)
    assert row["action"] == "export" and json.loads(row["record_keys"]) == ["VIC-001", "VIC-101"]


@pytest.mark.parametrize("export_format", list(PublicFormat))
def test_public_export_is_district_aggregates_only(
    scenario: Store, tmp_path: Path, export_format: PublicFormat
) -> None:
    from datetime import date

    paths = export_public(
        scenario, tmp_path, export_format, "AZ", date(2024, 7, 7), threshold=THRESHOLD
    )
    texts = [path.read_text(encoding="utf-8") for path in paths]
    for text in texts:
        assert_no_personal_data(text)
    if export_format is PublicFormat.JSON:
        document = json.loads(texts[0])
        assert_public_figures(document["casualties"])
        rows, national = document["districts"], document["national"]
    else:
        rows = list(csv.DictReader(texts[0].splitlines()))
        (national,) = csv.DictReader(texts[1].splitlines())
        assert list(rows[0]) == header(Level.DISTRICT)
        assert list(national) == header(Level.NATIONAL)
    assert [row["district"] for row in rows] == ["Tartar", "Aghdam", "Fuzuli"]
    hideable = [c.name for c in columns_of(Level.DISTRICT) if c.hideable]
    for row in rows:
        for column in hideable:
            cell = row[column]
            value: Any = int(cell) if isinstance(cell, str) and cell.isdigit() else cell
            assert_no_small_cell(value or None, f"{row['district']}.{column}")
            assert (value in ("", None)) == bool(row[f"{column}_status"]), column
    assert str(national["victims"]) == "11" and str(national["accidents"]) == "7"


def test_public_report_holds_no_record_identifier_point_or_small_cell(
    scenario: Store, database_url: str, tmp_path: Path
) -> None:
    base = ["--db", database_url, "report", "casualties", "--as-of", "2024-07-07", "--public"]

    def run(*args: str) -> str:
        result = runner.invoke(app, [*base, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    figures = json.loads(run("--format", "json"))
    assert_public_figures(figures)
    for output in (json.dumps(figures), run(), run("--format", "html")):
        assert_no_personal_data(output)
    html = run("--format", "html")
    assert "&lt;5" in html and "Public report" in html
