"""Casualty statistics: victims and accidents since a reference date and of all time.

:mod:`.read` reads the register through a reader, :mod:`.count` and
:mod:`.breakdowns` count, :mod:`.statistics` puts the figures together and
:mod:`.public` hides small counts for publication.
"""

from demine.analysis.casualties.read import has_casualty_data
from demine.analysis.casualties.statistics import (
    ACCIDENT_BREAKDOWNS,
    VICTIM_BREAKDOWNS,
    CasualtyStatistics,
    casualty_statistics,
)

__all__ = [
    "ACCIDENT_BREAKDOWNS",
    "VICTIM_BREAKDOWNS",
    "CasualtyStatistics",
    "casualty_statistics",
    "has_casualty_data",
]
