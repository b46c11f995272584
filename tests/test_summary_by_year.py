"""Summaries of whole calendar years read the finds and activities kept by year, and
give exactly what the figures kept by day give, whatever the finds' precision."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, update
from tests.helpers import load_sample

from demine.analysis.summary import summarise_period
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader
from demine.store.reads import figures

WINDOWS = [
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2024, 1, 1), date(2024, 12, 31)),
    (date(2023, 1, 1), date(2024, 12, 31)),
    (date(2024, 1, 1), date(2025, 12, 31)),
]


def _devices(summary: Any) -> int:
    total = summary.total
    return int(total.ap_mines + total.at_mines + total.uxo + total.other_devices)


def _summaries(store: Store) -> list[dict[str, Any]]:
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        return [summarise_period(reader, start, end).to_json() for start, end in WINDOWS]


def test_whole_years_from_the_year_table_equal_the_day_table(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_sample(store)
    finds = schema.device_finds
    with store.write() as connection:
        # FND-005 (2 devices) dated across a new year; FND-003 (12) known only to 2023.
        connection.execute(
            update(finds)
            .where(finds.c.external_id == "FND-005")
            .values(found_earliest=date(2023, 12, 20), found_latest=date(2024, 1, 10),
                    date_precision="month")
        )  # fmt: skip
        connection.execute(
            update(finds)
            .where(finds.c.external_id == "FND-003")
            .values(found_earliest=date(2023, 1, 1), found_latest=date(2023, 12, 31),
                    date_precision="year")
        )  # fmt: skip
    read_by_year = _summaries(store)
    monkeypatch.setattr(figures, "whole_years", lambda start, end: False)
    read_by_day = _summaries(store)
    assert read_by_year == read_by_day

    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        year_2023, year_2024, both, _later = (
            _devices(summarise_period(reader, start, end)) for start, end in WINDOWS
        )
    assert year_2023 == 12, "the find known only to 2023 counts in 2023"
    assert both == year_2023 + year_2024 + 2, "the find across the new year counts in both"


def test_the_year_tables_are_read_for_whole_years_only(store: Store) -> None:
    load_sample(store)
    read: list[str] = []
    kept = ("figures_finds_by_year", "figures_activities_by_year",
            "figures_finds", "figures_activities")  # fmt: skip

    def spied(_connection: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        # The statements are built once per process: the SQL run says which table.
        read.extend(name for name in kept if re.search(rf"\bFROM {name}\b", sql))

    event.listen(store.engine, "before_cursor_execute", spied)
    try:
        with store.read() as connection:
            reader = RegisterReader(connection, "AZ")
            for start, end in ((date(2024, 1, 1), date(2024, 12, 31)),
                               (date(2024, 1, 1), date(2024, 6, 30))):  # fmt: skip
                figures.find_totals(reader, start, end, None)
                figures.activity_totals(reader, start, end, None)
    finally:
        event.remove(store.engine, "before_cursor_execute", spied)
    assert read == list(kept)
