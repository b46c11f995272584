"""Whether each accident lay inside a known hazard area is kept by the database, settled
by the transaction that changes hazards or accidents, and never read when stale."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from tests.casualty_fixtures import load_casualty_sample

from demine.analysis.casualties import casualty_statistics
from demine.store import schema
from demine.store.engine import Store
from demine.store.kept_hazard_tests import current_answers
from demine.store.reader import RegisterReader
from demine.store.reads.casualties import decide_inside_known_hazards, live_accident_points

AS_OF = date(2024, 6, 30)


def _kept(store: Store) -> dict[str, bool | None] | None:
    """The kept answers by accident key, or None when they are not current."""
    with store.read() as connection:
        kept = current_answers(RegisterReader(connection, "AZ"))
        if kept is None:
            return None
        keys = dict(
            connection.execute(select(schema.accidents.c.id, schema.accidents.c.external_id)).all()
        )
        return {keys[accident_id]: inside for accident_id, inside in kept.items()}


def _decided(store: Store) -> dict[str, bool | None]:
    """The same answers decided now, in memory."""
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        decided = decide_inside_known_hazards(reader, live_accident_points(reader))
        keys = dict(
            connection.execute(select(schema.accidents.c.id, schema.accidents.c.external_id)).all()
        )
        return {keys[accident_id]: inside for accident_id, inside in decided.items()}


def _statistics(store: Store) -> dict[str, Any]:
    with store.read() as connection:
        figures = casualty_statistics(RegisterReader(connection, "AZ"), AS_OF).to_json()
    return {key: figures[key] for key in ("inside_known_hazard", "accidents_by_district")}


def _record_hazard_later(connection: Any) -> None:
    """HA-001 recorded after ACC-101 (2021-05-10): no longer known on its day."""
    hazards = schema.hazard_areas
    connection.execute(
        update(hazards)
        .where(hazards.c.external_id == "HA-001")
        .values(recorded_on=date(2021, 6, 1))
    )


def test_imports_leave_the_answers_current_and_equal_to_a_fresh_decision(store: Store) -> None:
    load_casualty_sample(store)
    kept = _kept(store)
    assert kept == _decided(store)
    # ACC-101's point lies in HA-001, recorded before it: decided inside; ACC-102's lies
    # there too, before HA-001 was recorded; ACC-103's own flag wins; ACC-104 has no point.
    assert kept is not None
    assert (kept["ACC-101"], kept["ACC-102"], kept["ACC-103"], kept["ACC-104"]) == (
        True, False, True, None,
    )  # fmt: skip


def test_a_hazard_changed_in_a_saving_transaction_is_decided_again_before_the_commit(
    store: Store,
) -> None:
    load_casualty_sample(store)
    with store.write() as connection:
        _record_hazard_later(connection)
    kept = _kept(store)
    assert kept is not None and kept["ACC-101"] is False
    assert kept == _decided(store)


def test_answers_changed_behind_the_store_are_not_read_and_figures_stay_right(
    store: Store,
) -> None:
    load_casualty_sample(store)
    before = _statistics(store)
    # A plain SQL change outside the store's saving transactions: the triggers count it,
    # nothing settles it, so readers decide in memory instead of reading stale answers.
    with store.engine.begin() as connection:
        _record_hazard_later(connection)
    assert _kept(store) is None
    moved = _statistics(store)
    assert moved["inside_known_hazard"]["inside"] == before["inside_known_hazard"]["inside"] - 1
    with store.write():
        pass  # the next saving transaction settles the country
    assert _kept(store) == _decided(store)
    assert _statistics(store) == moved
