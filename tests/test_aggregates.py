"""The figures the database keeps by triggers stay equal to a recount of the live
records after any sequence of imports, edits, approvals, deletions and plain SQL."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from tests.web_fixtures import correct, web_on

from demine.store import schema
from demine.store.aggregates import AGGREGATES, rebuild
from demine.store.engine import Store

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _aggregates(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.read() as connection:
        return {
            aggregate.table: sorted(
                tuple(row)
                for row in connection.execute(select(schema.metadata.tables[aggregate.table]))
            )
            for aggregate in AGGREGATES
        }


def _recounted(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.write(rollback=True) as connection:
        rebuild(connection)
        return {
            aggregate.table: sorted(
                tuple(row)
                for row in connection.execute(select(schema.metadata.tables[aggregate.table]))
            )
            for aggregate in AGGREGATES
        }


def _random_change(store: Store, chance: random.Random) -> None:
    """One change of a random finds, activities or accidents row, in plain SQL."""
    table = chance.choice([schema.device_finds, schema.activities, schema.accidents])
    with store.write() as connection:
        ids = list(connection.execute(select(table.c.id)).scalars())
        if not ids:
            return
        row_id = chance.choice(ids)
        action = chance.choice(["draft", "approve", "delete", "undelete", "move", "value"])
        values: dict[str, Any]
        if action == "draft":
            values = {"review_status": chance.choice(["draft", "submitted", "rejected"])}
        elif action == "approve":
            values = {"review_status": "approved"}
        elif action == "delete":
            values = {"deleted_at": NOW}
        elif action == "undelete":
            values = {"deleted_at": None}
        elif action == "move":
            districts = list(
                connection.execute(
                    select(schema.admin_areas.c.id).where(schema.admin_areas.c.level == "district")
                ).scalars()
            )
            values = {"district_id": chance.choice(districts)}
        elif table is schema.device_finds:
            day = date(2024, 7, 1) + timedelta(days=chance.randrange(20))
            values = {
                "quantity": chance.randrange(1, 50),
                "found_earliest": day,
                "found_latest": day,
                "category": chance.choice(["AP_MINE", "UXO"]),
            }
        elif table is schema.activities:
            values = {
                "area_cleared_m2": float(chance.randrange(0, 90_000)),
                "end_date": date(2024, 7, 1) + timedelta(days=chance.randrange(20)),
            }
        else:
            day = date(2024, 6, 1) + timedelta(days=chance.randrange(40))
            values = {"occurred_earliest": day, "occurred_latest": day}
        connection.execute(update(table).where(table.c.id == row_id).values(**values))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_figures_equal_a_recount_after_any_changes(store: Store, seed: int) -> None:
    web = web_on(store)
    assert _aggregates(store) == _recounted(store)
    assert _aggregates(store)["figures_finds"], "the sample's finds are counted"
    chance = random.Random(seed)
    for step in range(40):
        _random_change(store, chance)
        if step % 10 == 0:
            correct(web, "ines", "finds", "FND-002", quantity=chance.randrange(1, 9))
        assert _aggregates(store) == _recounted(store), f"after step {step}"
    with store.write() as connection:  # rows removed outright (not only soft-deleted)
        connection.execute(delete(schema.device_finds))
    assert _aggregates(store) == _recounted(store)
    assert _aggregates(store)["figures_finds"] == []


def test_rebuild_aggregates_repairs_figures_changed_behind_the_triggers(
    store: Store, database_url: str
) -> None:
    from typer.testing import CliRunner

    from demine.cli.main import app

    web_on(store)
    expected = _aggregates(store)
    kept = schema.metadata.tables["figures_finds"]
    with store.write() as connection:
        connection.execute(update(kept).values(devices=kept.c.devices + 1000))
    assert _aggregates(store) != expected
    result = CliRunner().invoke(app, ["--db", database_url, "db", "rebuild-aggregates"])
    assert result.exit_code == 0, result.output
    assert "figures_finds: 6 rows recounted" in result.output
    assert _aggregates(store) == expected
