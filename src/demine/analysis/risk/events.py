"""The register's events as the risk layer sees them, and the cut-off rule.

An event counts as *before* a cut-off day only if the whole interval in which it may
have happened ends before that day: an accident dated only "2009" counts before
2010-01-01 but not before 2009-07-01 (it may have happened after). Features never use
an event that may lie after the cut-off, because the labels are built from later events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from demine.i18n import _


class EventGroup(StrEnum):
    """The kinds of register event a cell's features are measured to."""

    ACCIDENT = "accident"
    FIND = "find"
    HAZARD = "hazard"
    MINEFIELD_RECORD = "minefield_record"


@dataclass(frozen=True)
class RegisterEvent:
    """One located event and the interval of days in which it happened."""

    group: EventGroup
    lon: float
    lat: float
    earliest: date
    latest: date

    def known_before(self, cutoff: date) -> bool:
        """Whether the event surely happened before ``cutoff`` (its whole interval did)."""
        return self.latest < cutoff


def cutoff_rule() -> str:
    """The cut-off rule in the reader's language, as every command states it."""
    return _(
        "an event counts only if the whole period it may have happened in ends before the "
        "cut-off (an event dated only by its year Y counts before D only if 31 December Y < D)"
    )
