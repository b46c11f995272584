"""What the evidence says about one record: counts, areas and the shares judged on."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from demine.analysis.records.evidence import TYPES
from demine.domain.records import DeclaredType, MinefieldRecord


@dataclass(frozen=True)
class Nearby:
    """Devices (or accidents) nearby outside a record, and how far outside they lie."""

    count: int = 0
    min_m: float | None = None
    max_m: float | None = None


@dataclass
class RecordMeasure:
    """What the evidence says about one record."""

    record: MinefieldRecord
    districts: tuple[str, ...]
    tolerance_m: float
    declared_area_m2: float
    worked_area_m2: float
    declared: dict[DeclaredType, int]
    #: Declared devices that the worked part of the area (or of the rows) should hold.
    expected: dict[DeclaredType, float]
    found_inside: dict[DeclaredType, int]
    #: For types the record draws rows of: devices found within tolerance of those rows.
    found_on_rows: dict[DeclaredType, int]
    outside: dict[DeclaredType, Nearby]
    accidents_outside: Nearby
    models_declared: dict[str, int] = field(default_factory=dict)
    models_found: dict[str, int] = field(default_factory=dict)

    @property
    def coverage_share(self) -> float:
        if self.declared_area_m2 <= 0:
            return 0.0
        return min(1.0, self.worked_area_m2 / self.declared_area_m2)

    def matched(self, kind: DeclaredType) -> int:
        """Devices found where declared: on its rows if drawn, else in the area."""
        return self.found_on_rows.get(kind, self.found_inside[kind])

    @property
    def found_share(self) -> float | None:
        """Share of the expected devices found where declared (each type capped)."""
        expected = sum(self.expected.values())
        if expected <= 0:
            return None
        found = sum(min(float(self.matched(t)), self.expected[t]) for t in TYPES)
        return found / expected

    @property
    def evidence_outside(self) -> int:
        return sum(n.count for n in self.outside.values()) + self.accidents_outside.count

    @property
    def outside_share(self) -> float:
        """Share of the evidence (devices, accidents) lying nearby outside the area."""
        total = sum(self.found_inside.values()) + self.evidence_outside
        return self.evidence_outside / total if total else 0.0


@dataclass(frozen=True)
class MeasuredRecords:
    """Every record's measures, and which accidents lie inside some record's area."""

    records: list[RecordMeasure]
    #: Per find: inside some record's area; nearby outside one (and inside none).
    find_inside_any: np.ndarray
    find_outside_nearby: np.ndarray
    #: Per accident: inside some record's area (whatever its date).
    accident_inside_any: np.ndarray
