"""Geometry checks (GICHD's geocheck): faults in the shapes records carry.

:mod:`.model` says what a finding is, :mod:`.record` checks one record's shape (also
on import, as warnings), :mod:`.pairs` compares the records of a kind with each other
(duplicates, overlapping hazards) and :mod:`.run` checks the register through a reader.
Pure shapely: no SQL, no framework.
"""

from demine.analysis.geometry.model import (
    Finding,
    GeometryProblem,
    Limits,
    Located,
    Places,
)
from demine.analysis.geometry.pairs import pair_findings
from demine.analysis.geometry.record import record_findings

__all__ = [
    "Finding",
    "GeometryProblem",
    "Limits",
    "Located",
    "Places",
    "pair_findings",
    "record_findings",
]
