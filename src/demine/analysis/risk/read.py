"""Reading the register's located events for the risk layer from a store."""

from __future__ import annotations

from demine.analysis.risk.events import EventGroup, RegisterEvent
from demine.store.reader import RegisterReader
from demine.store.reads import risk_events as reads


def read_events(reader: RegisterReader) -> list[RegisterEvent]:
    """Every located accident, find, hazard and minefield record the reader sees."""
    sources = (
        (EventGroup.ACCIDENT, reads.accident_events),
        (EventGroup.FIND, reads.find_events),
        (EventGroup.HAZARD, reads.hazard_events),
        (EventGroup.MINEFIELD_RECORD, reads.minefield_record_events),
    )
    return [
        RegisterEvent(group, lon, lat, earliest, latest)
        for group, read in sources
        for lon, lat, earliest, latest in read(reader)
    ]
