"""demine export: public aggregates only, protected identifiers only with permission."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from tests.casualty_fixtures import IDENTIFIERS, load_casualty_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.store import schema
from demine.store.engine import Store

runner = CliRunner()


def test_public_export_command(store: Store, database_url: str, tmp_path: Path) -> None:
    load_casualty_sample(store)
    result = runner.invoke(
        app,
        ["--db", database_url, "export", "--public", "--as-of", "2024-07-07",
         "--output", str(tmp_path / "out")],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["public-aggregates.csv", "public-aggregates.json"]
    for path in (tmp_path / "out").iterdir():
        text = path.read_text(encoding="utf-8")
        assert not any(value in text for value in IDENTIFIERS)
    document = json.loads((tmp_path / "out" / "public-aggregates.json").read_text(encoding="utf-8"))
    assert document["casualties"]["since_total"] == 11


def test_protected_export_command_with_role(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    load_casualty_sample(store)
    result = runner.invoke(
        app,
        ["--db", database_url, "export", "--format", "csv", "--output", str(tmp_path / "out"),
         "--kind", "victim-identifiers", "--as-role", "victim_data", "--purpose", "audit"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Test Person One" in (tmp_path / "out" / "victim_identifiers.csv").read_text(
        encoding="utf-8"
    )
    with store.read() as connection:
        actions = connection.execute(select(schema.access_log.c.action)).scalars().all()
    assert actions == ["export"]
