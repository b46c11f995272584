"""Verifying handed-over minefield records against clearance results and accidents.

See ``docs/records-verification.md`` for what is measured and how verdicts are reached.
"""

from demine.analysis.records.thresholds import Thresholds, Verdict
from demine.analysis.records.verify import (
    DEFAULT_ACCIDENTS_FROM,
    RecordResult,
    RecordsVerification,
    verify_inputs,
    verify_records,
)

__all__ = [
    "DEFAULT_ACCIDENTS_FROM",
    "RecordResult",
    "RecordsVerification",
    "Thresholds",
    "Verdict",
    "verify_inputs",
    "verify_records",
]
