"""Victim assistance: a kind of the registry protected exactly like victims' personal
data, and the survivors reached by each service (SQLite and PostGIS)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.casualty_fixtures import IMPORTER, load_casualty_sample
from tests.helpers import REGISTER, TODAY
from typer.testing import CliRunner

from demine.analysis.casualties.assistance import assistance_statistics, public_assistance
from demine.cli.main import app
from demine.domain.access import Principal, Role
from demine.domain.kinds import KINDS, Sensitivity
from demine.domain.permissions_table import COMMANDS, PERSONAL_KINDS, REST_KINDS
from demine.errors import Forbidden, NotFoundError
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import import_file
from demine.ingest.specs import SPECS
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader
from demine.store.reads.assistance import assistance_rows

runner = CliRunner()
VIEWER = Principal.of("tural", Role.VIEWER)
MANAGER = Principal.of("ines", Role.INFORMATION_MANAGER)
SOURCE = Path(__file__).parents[1] / "src" / "demine"
#: Distinct survivors of tests/fixtures/register/assistance.csv, counted by hand.
REFERRED = {
    "emergency_medical": 7, "continuing_medical": 0, "rehabilitation": 1,
    "psychological": 2, "socio_economic": 1, "any": 7,
}  # fmt: skip
REACHED = {
    "emergency_medical": 7, "continuing_medical": 0, "rehabilitation": 1,
    "psychological": 1, "socio_economic": 0, "any": 7,
}  # fmt: skip


@pytest.fixture
def scenario(store: Store) -> Store:
    load_casualty_sample(store)
    import_file(
        store, "assistance", REGISTER / "assistance.csv", country="AZ", today=TODAY,
        principal=IMPORTER,
    )  # fmt: skip
    return store


def _access_log(store: Store) -> list[dict[str, Any]]:
    with store.read() as connection:
        rows = connection.execute(select(schema.access_log).order_by(schema.access_log.c.id))
        return [dict(row._mapping) for row in rows]


def test_the_registry_describes_assistance_as_personal_data() -> None:
    kind = KINDS["assistance"]
    assert kind.sensitivity is Sensitivity.PERSONAL and not kind.exported_by_default
    assert kind.field("victim").references == "victims"
    assert kind.field("provider").references == "organisations"
    assert kind.field("notes").free_text and kind.collection is None
    assert "assistance" in PERSONAL_KINDS and "assistance" not in REST_KINDS


def test_the_generic_parts_need_no_code_beyond_the_description() -> None:
    # Table, import spec, template, exports, permissions: derived from the registry.
    kind = KINDS["assistance"]
    assert schema.assistance.name == kind.table
    assert [f.name for f in SPECS["assistance"].fields] == [f.name for f in kind.fields]
    # Only the description, its entity and rules, its table, its migration, the
    # command-line list of kinds (kept equal to the registry by a test) and the
    # statistics of survivors reached name the kind.
    naming = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if '"assistance"' in path.read_text(encoding="utf-8")
    )
    assert naming == [
        "cli/commands_data.py", "cli/commands_victims.py",
        "domain/kinds/assistance.py", "store/migrations/versions/0016_assistance.py",
        "store/migrations/versions/0017_custom_fields.py",
        "store/migrations/versions/0023_rtree_and_data_versions.py",
        "store/reads/assistance.py", "store/schema.py",
    ]  # fmt: skip


def test_the_import_template_lists_every_field(tmp_path: Path) -> None:
    path = tmp_path / "assistance.csv"
    result = runner.invoke(app, ["template", "assistance", "-o", str(path)])
    assert result.exit_code == 0, result.output
    with path.open(encoding="utf-8") as file:
        header, example = list(csv.reader(file))
    assert header == [*(f.name for f in KINDS["assistance"].fields), "example"]
    assert example[:4] == ["VA-2024-0001", "VIC-2024-0001", "rehabilitation", "ongoing"]


def test_import_is_stored_and_logged_and_a_reimport_changes_nothing(scenario: Store) -> None:
    with scenario.read() as connection:
        assert (
            connection.execute(select(func.count()).select_from(schema.assistance)).scalar() == 12
        )
    (logged,) = [row for row in _access_log(scenario) if row["table_name"] == "assistance"]
    assert (
        logged["action"] == "import"
        and logged["actor"] == "fixture (information_manager, victim_data)"
    )
    assert json.loads(logged["record_keys"]) == [f"VA-{n:03d}" for n in range(1, 13)]
    report = import_file(
        scenario, "assistance", REGISTER / "assistance.csv", country="AZ", today=TODAY,
        principal=IMPORTER,
    )  # fmt: skip
    assert report.counts.inserted == 0 and report.counts.updated == 0


def test_import_without_the_grant_is_refused_with_the_exact_error(
    scenario: Store, database_url: str
) -> None:
    command = ["--db", database_url, "import", "assistance", str(REGISTER / "assistance.csv")]
    refused = runner.invoke(app, [*command, "--as-role", "information_manager"])
    assert isinstance(refused.exception, Forbidden)
    assert refused.exception.message.endswith(
        "(information_manager) may not import victims' personal data: "
        "it needs the 'victim_data' permission."
    )


def test_export_only_with_the_grant(scenario: Store, tmp_path: Path, database_url: str) -> None:
    with pytest.raises(Forbidden) as refused:
        export_register(
            scenario, tmp_path / "x", ExportFormat.CSV, ["assistance"], principal=MANAGER
        )
    assert refused.value.message == (
        "ines (information_manager) may not export victims' personal data: "
        "it needs the 'victim_data' permission."
    )
    result = runner.invoke(
        app,
        ["--db", database_url, "export", "--format", "csv", "--output", str(tmp_path / "y"),
         "--kind", "assistance"],
    )  # fmt: skip
    assert isinstance(result.exception, Forbidden)
    # The whole register, by default, leaves assistance out.
    written = export_register(scenario, tmp_path / "all", ExportFormat.CSV)
    assert not any("assistance" in path.name for path in written)
    for path in written:
        assert "prosthesis fitting" not in path.read_text(encoding="utf-8")
    (path,) = export_register(
        scenario, tmp_path / "z", ExportFormat.CSV, ["assistance"], principal=IMPORTER,
        purpose="referral follow-up",
    )  # fmt: skip
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["external_id"] for row in rows][:2] == ["VA-001", "VA-002"]
    assert rows[1]["notes"] == "prosthesis fitting (fixture note)"
    exported = _access_log(scenario)[-1]
    assert exported["action"] == "export" and exported["purpose"] == "referral follow-up"
    assert exported["table_name"] == "assistance"
    assert json.loads(exported["record_keys"]) == sorted(row["victim"] for row in rows)


def test_assistance_is_never_served_record_by_record() -> None:
    from demine.domain.kinds import KIND_BY_COLLECTION
    from demine.editing.service import kind_for
    from demine.web.routes_api import Kind

    # Not in the REST API's kinds, not an OGC collection, not edited (nor on the entry
    # page): derived from its sensitivity, as for the victims' identifiers.
    assert "assistance" not in {kind.value for kind in Kind}
    assert all(kind.name != "assistance" for kind in KIND_BY_COLLECTION.values())
    with pytest.raises(NotFoundError):
        kind_for("assistance")


def test_survivors_reached_by_service_are_exact(scenario: Store) -> None:
    with scenario.read() as connection:
        statistics = assistance_statistics(assistance_rows(RegisterReader(connection, "AZ")))
    assert statistics.referred == REFERRED and statistics.reached == REACHED


def test_public_survivors_hide_small_counts_and_their_differences() -> None:
    # Seven survivors referred to a service and six reached: the one not reached is
    # hidden, and so is one of the others, or seven minus six would give it back.
    rows = [(victim, "emergency_medical", "provided") for victim in range(6)]
    rows.append((6, "emergency_medical", "declined"))
    figures = public_assistance(assistance_statistics(rows), threshold=5)
    assert figures["not_reached"]["emergency_medical"] == "<5"
    shown = figures["referred"]["emergency_medical"], figures["reached"]["emergency_medical"]
    assert "withheld" in shown and (7 in shown or 6 in shown)
    assert figures["referred"]["rehabilitation"] == 0
    assert figures["suppression_threshold"] == 5


def test_cli_statistics_public_and_exact(scenario: Store, database_url: str) -> None:
    assert "demine victims assistance" in COMMANDS
    exact = runner.invoke(
        app, ["--db", database_url, "victims", "assistance", "--format", "json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert exact.exit_code == 0, exact.output
    figures = json.loads(exact.output)
    assert figures["referred"] == REFERRED and figures["reached"] == REACHED
    public = runner.invoke(
        app, ["--db", database_url, "victims", "assistance", "--public", "--format", "json"]
    )
    published = json.loads(public.output)
    assert published["reached"]["rehabilitation"] == "<5"
    assert published["reached"]["emergency_medical"] == 7
    assert published["referred"]["socio_economic"] == "<5"
    text = runner.invoke(app, ["--db", database_url, "victims", "assistance"])
    assert "emergency_medical: 7 reached of 7 referred" in text.output


def test_the_demo_survivors_reached_are_its_records_recounted(demo_database_url: str) -> None:
    from demine.demo.build import build_demo
    from demine.domain.vocab import AssistanceService, Outcome

    register = build_demo()
    injured = {v.external_id for v in register.victims if v.outcome is Outcome.INJURED}
    assert {record.victim for record in register.assistance} <= injured
    expected: dict[str, dict[str, int]] = {"referred": {}, "reached": {}}
    for service in [*(s.value for s in AssistanceService), "any"]:
        records = [r for r in register.assistance if service in ("any", r.service.value)]
        expected["referred"][service] = len({r.victim for r in records})
        expected["reached"][service] = len({r.victim for r in records if r.reached})
    result = runner.invoke(
        app, ["--db", demo_database_url, "victims", "assistance", "--format", "json"],
        catch_exceptions=False,
    )  # fmt: skip
    figures = json.loads(result.output)
    assert {k: figures[k] for k in expected} == expected
    assert figures["reached"]["emergency_medical"] == len(injured)
