"""A bulletin, as it was published, can be produced again after its records were
corrected: ``--as-known-on`` reads each record's version of that day from its history,
and the record's history shows every version with who changed what."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from tests.web_fixtures import correct, web_on
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.kinds import KINDS
from demine.store import schema
from demine.store.engine import Store

runner = CliRunner()
PUBLISHED = datetime(2024, 7, 8, 9, 0, tzinfo=UTC)
WEEKLY = ["report", "weekly", "--week", "2024-W27"]


def _cli(url: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _json(output: str) -> dict[str, Any]:
    figures: dict[str, Any] = json.loads(output)
    figures["provenance"].pop("generated_at")
    return figures


def test_a_published_bulletin_is_reproduced_after_a_correction(
    store: Store, database_url: str
) -> None:
    web = web_on(store)
    with store.write() as connection:  # the sample register as it was on publication day
        for kind in KINDS.values():
            table = schema.metadata.tables[kind.table]
            connection.execute(update(table).values(updated_at=PUBLISHED))
    published_text = _cli(database_url, *WEEKLY, "--format", "text")
    published_json = _json(_cli(database_url, *WEEKLY, "--format", "json"))
    assert "3 anti-tank mines" in published_text

    corrected = correct(web, "ines", "finds", "FND-001", quantity=30)
    assert corrected.status_code == 200, corrected.text

    today = datetime.now(UTC).date().isoformat()
    now_text = _cli(database_url, *WEEKLY, "--format", "text")
    assert "30 anti-tank mines" in now_text
    assert _cli(database_url, *WEEKLY, "--format", "text", "--as-known-on", today) == now_text
    then_text = _cli(database_url, *WEEKLY, "--format", "text", "--as-known-on", "2024-07-08")
    assert then_text == published_text
    then_json = _json(
        _cli(database_url, *WEEKLY, "--format", "json", "--as-known-on", "2024-07-08")
    )
    assert then_json == {**published_json, "as_known_on": "2024-07-08"}

    history = web.client.get("/api/finds/FND-001/history", headers=web.as_("ines")).json()
    versions = history["versions"]
    assert [v["values"]["quantity"] for v in versions] == [3, 30]
    assert versions[0]["valid_to"] == versions[1]["valid_from"]
    assert versions[1]["changed_by"].startswith("ines")
    assert web.client.get("/api/finds/FND-001/history").status_code in (401, 403)


def test_figures_read_as_known_on_a_day_say_they_come_from_the_history(
    store: Store, database_url: str
) -> None:
    from tests.casualty_fixtures import load_casualty_sample

    from demine.i18n import format_day

    load_casualty_sample(store)
    today = datetime.now(UTC).date().isoformat()
    casualties = ["report", "casualties", "--as-of", "2025-12-31", "--format", "json"]
    kept = json.loads(_cli(database_url, *casualties))
    known = json.loads(_cli(database_url, *casualties, "--as-known-on", today))
    note = (
        f"Read from the register's history as it was known on "
        f"{format_day(datetime.now(UTC).date())}, not from the figures the database keeps."
    )
    assert "read_from" not in kept
    assert known == {
        **kept,
        "as_known_on": today,
        "read_from": "history",
        "warnings": [*kept["warnings"], note],
    }
    week = ["summary", "--from", "2024-07-01", "--to", "2024-07-07"]
    summary = json.loads(_cli(database_url, *week, "--format", "json", "--as-known-on", today))
    assert summary["read_from"] == "history"
    assert _cli(database_url, *week, "--as-known-on", today).endswith(f"\n{note}\n")
