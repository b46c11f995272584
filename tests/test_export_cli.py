"""demine export: public aggregates only, protected identifiers only with permission,
live records unless drafts are asked for by someone who may review them."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from tests.casualty_fixtures import IDENTIFIERS, load_casualty_sample
from tests.helpers import load_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.errors import Forbidden
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
    assert names == [
        "public-aggregates-national.csv", "public-aggregates.csv", "public-aggregates.json"
    ]  # fmt: skip
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
    assert actions == ["import", "export"]


def _draft_and_deleted_find(store: Store) -> None:
    """FND-002 back to a draft and FND-001 deleted, as the web would leave them."""
    load_sample(store)
    finds = schema.device_finds
    with store.write() as connection:
        connection.execute(
            update(finds).where(finds.c.external_id == "FND-002").values(review_status="draft")
        )
        connection.execute(
            update(finds)
            .where(finds.c.external_id == "FND-001")
            .values(deleted_at=datetime(2024, 7, 8, tzinfo=UTC))
        )


def _export_finds(database_url: str, folder: Path, *options: str) -> Any:
    return runner.invoke(
        app,
        ["--db", database_url, "export", "--format", "csv", "--kind", "finds",
         "--output", str(folder), *options],
    )  # fmt: skip


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["external_id"]: row for row in csv.DictReader(handle)}


def test_export_writes_live_records_only(store: Store, database_url: str, tmp_path: Path) -> None:
    _draft_and_deleted_find(store)
    result = _export_finds(database_url, tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "out" / "finds.csv")
    assert sorted(rows) == ["FND-003", "FND-004", "FND-005", "FND-006"]
    assert "review_status" not in rows["FND-003"]


def test_export_with_drafts_adds_them_with_their_status(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    _draft_and_deleted_find(store)
    result = _export_finds(
        database_url, tmp_path / "out", "--include-drafts", "--as-role", "information_manager"
    )
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "out" / "finds.csv")
    assert len(rows) == 6
    assert (rows["FND-002"]["review_status"], rows["FND-002"]["deleted"]) == ("draft", "false")
    assert (rows["FND-001"]["review_status"], rows["FND-001"]["deleted"]) == ("approved", "true")
    assert (rows["FND-003"]["review_status"], rows["FND-003"]["deleted"]) == ("approved", "false")
    with store.read() as connection:
        logged = connection.execute(
            select(schema.access_log.c.action, schema.access_log.c.record_keys)
        ).all()
    assert [(action, json.loads(keys)) for action, keys in logged] == [
        ("export_drafts", ["FND-001", "FND-002"])
    ]


@pytest.mark.parametrize("role", [None, "viewer", "data_entry"])
def test_export_with_drafts_is_refused_to_others(
    store: Store, database_url: str, tmp_path: Path, role: str | None
) -> None:
    _draft_and_deleted_find(store)
    options = ["--include-drafts"] + (["--as-role", role] if role else [])
    result = _export_finds(database_url, tmp_path / "out", *options)
    assert isinstance(result.exception, Forbidden)  # exit code 7 from `demine`
    assert "may not export drafts and deleted records" in result.exception.message
    assert not (tmp_path / "out" / "finds.csv").exists()
