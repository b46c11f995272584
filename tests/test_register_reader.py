"""The register read one way: live rows only, filters refused where a kind has none,
and the register as it was known on a past day (from its history)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from demine.domain.access import Principal, Role
from demine.errors import Forbidden, InvalidRequestError
from demine.ingest.importer import import_file
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RecordFilter, RegisterReader, Visibility
from demine.store.spatial import BBox
from helpers import TODAY, load_sample

VIEWER = Principal.of("viewer", Role.VIEWER)
CLERK = Principal.of("clerk", Role.DATA_ENTRY)


def _quantities(reader: RegisterReader) -> dict[str, int]:
    return {row["external_id"]: row["quantity"] for row in reader.rows("finds")}


def test_reader_sees_live_rows_unless_an_editor_asks_for_all(store: Store) -> None:
    load_sample(store)
    finds = schema.device_finds
    with store.write() as connection:
        connection.execute(
            update(finds).where(finds.c.external_id == "FND-001").values(review_status="draft")
        )
        connection.execute(
            update(finds)
            .where(finds.c.external_id == "FND-002")
            .values(deleted_at=datetime(2025, 1, 1, tzinfo=UTC))
        )
    with store.read() as connection:
        live = RegisterReader(connection, "AZ")
        assert "FND-001" not in _quantities(live) and "FND-002" not in _quantities(live)
        everything = RegisterReader(connection, "AZ", visibility=Visibility.ALL, principal=CLERK)
        assert {"FND-001", "FND-002"} <= set(_quantities(everything))
        assert everything.count("finds") == live.count("finds") + 2
        with pytest.raises(Forbidden):
            RegisterReader(connection, "AZ", visibility=Visibility.ALL, principal=VIEWER)


def test_a_filter_a_kind_cannot_apply_is_refused(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        with pytest.raises(InvalidRequestError, match="no date"):
            reader.count("organisations", RecordFilter(start=date(2024, 1, 1)))
        with pytest.raises(InvalidRequestError, match="no district"):
            reader.count("victims", RecordFilter(district_id=1))
        with pytest.raises(InvalidRequestError, match="no geometry"):
            reader.count("victims", RecordFilter(bbox=BBox(46, 39, 47, 41)))


def test_register_as_known_on_a_past_day(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    finds = schema.device_finds
    with store.write() as connection:  # the sample was imported at the start of 2025
        connection.execute(update(finds).values(updated_at=datetime(2025, 1, 1, tzinfo=UTC)))
    with store.read() as connection:
        before = _quantities(RegisterReader(connection, "AZ"))
    corrected = tmp_path / "finds.csv"
    original = (Path(__file__).parent / "fixtures" / "register" / "finds.csv").read_text()
    corrected.write_text(original.replace("FND-001,Tartar,AT_MINE,3,", "FND-001,Tartar,AT_MINE,4,"))
    import_file(store, "finds", corrected, country="AZ", today=TODAY)
    today = datetime.now(UTC).date()
    with store.read() as connection:
        now = _quantities(RegisterReader(connection, "AZ"))
        known_today = _quantities(RegisterReader(connection, "AZ", as_known_on=today))
        known_then = _quantities(RegisterReader(connection, "AZ", as_known_on=date(2025, 6, 1)))
        known_earlier = _quantities(
            RegisterReader(connection, "AZ", as_known_on=date(2024, 12, 31))
        )
        corrected_week = RegisterReader(connection, "AZ").grouped(
            "finds", ["category"], ["quantity"]
        )
        original_week = RegisterReader(connection, "AZ", as_known_on=date(2025, 6, 1)).grouped(
            "finds", ["category"], ["quantity"]
        )
    assert now["FND-001"] == before["FND-001"] + 1
    assert known_today == now
    assert known_then == before
    assert known_earlier == {}
    at_mines = {category: total for category, _count, total in corrected_week}["AT_MINE"]
    assert {category: total for category, _count, total in original_week}["AT_MINE"] == at_mines - 1
