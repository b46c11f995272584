"""What the risk layer reads: the located events of the register with the interval in
which each happened — live rows only, of the reader's country.

Points are read from the stored bounding box (its centre), so a hazard or minefield
record drawn as an area counts at its middle; an event without a location is not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from demine.store.reader import RegisterReader

#: ``(lon, lat, earliest day, latest day)`` of one located event.
EventRow = tuple[float, float, date, date]


def _located(reader: RegisterReader, kind: str, earliest: str, latest: str) -> list[EventRow]:
    table = reader.table(kind)
    centre_x = (table.c.min_x + table.c.max_x) / 2
    centre_y = (table.c.min_y + table.c.max_y) / 2
    statement = (
        reader.select(kind, centre_x, centre_y, table.c[earliest], table.c[latest])
        .where(table.c.min_x.is_not(None), table.c[latest].is_not(None))
        .order_by(table.c.id)
    )
    return [
        (float(x), float(y), first, last)
        for x, y, first, last in reader.connection.execute(statement)
    ]


def accident_events(reader: RegisterReader) -> Sequence[EventRow]:
    """Every located accident with the interval it happened in."""
    return _located(reader, "accidents", "occurred_earliest", "occurred_latest")


def find_events(reader: RegisterReader) -> Sequence[EventRow]:
    """Every located device find with the interval it was found in."""
    return _located(reader, "finds", "found_earliest", "found_latest")


def hazard_events(reader: RegisterReader) -> Sequence[EventRow]:
    """Every located hazard area, known from the day it was recorded."""
    return _located(reader, "hazards", "recorded_on", "recorded_on")


def minefield_record_events(reader: RegisterReader) -> Sequence[EventRow]:
    """Every located minefield record, known from the day it was received."""
    return _located(reader, "minefield-records", "received_on", "received_on")
