"""Quality management figures per operator (IMAS 07.12): inspections, their results,
non-conformities by grade and per 100 hectares cleared, and the land failed quality
controls reopened, with the clearance that released it again.

Only live records count: approved, undeleted inspections and non-conformities, and the
land released as every other figure counts it (a clearance a failed QC reopened
released nothing; :mod:`demine.store.reads.reopened`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from demine.analysis.landrelease.read import country_of
from demine.analysis.landrelease.released import hectares
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.quality import InspectionResult, InspectionType, NonConformityGrade
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads import quality as reads
from demine.store.reads.reopened import reopenings

#: Non-conformities are compared per this many hectares cleared.
PER_HECTARES = 100


@dataclass
class OperatorQuality:
    """One operator's inspections and non-conformities, and the land it cleared."""

    code: str
    name: str
    qa: int = 0
    qc: int = 0
    passed: int = 0
    failed: int = 0
    failed_qc: int = 0
    sampled_m2: float = 0.0
    by_grade: dict[str, int] = field(
        default_factory=lambda: {grade.value: 0 for grade in NonConformityGrade}
    )
    open_non_conformities: int = 0
    cleared_m2: float = 0.0

    @property
    def inspections(self) -> int:
        return self.qa + self.qc

    @property
    def non_conformities(self) -> int:
        return sum(self.by_grade.values())

    @property
    def per_100_hectares(self) -> float | None:
        """Non-conformities per 100 hectares the operator cleared (None: none cleared)."""
        if self.cleared_m2 <= 0:
            return None
        cleared_ha = self.cleared_m2 / SQUARE_METRES_PER_HECTARE
        return round(self.non_conformities * PER_HECTARES / cleared_ha, 2)

    def add(self, other: OperatorQuality) -> None:
        for name in ("qa", "qc", "passed", "failed", "failed_qc", "open_non_conformities"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.sampled_m2 += other.sampled_m2
        self.cleared_m2 += other.cleared_m2
        for grade, count in other.by_grade.items():
            self.by_grade[grade] += count

    def to_json(self) -> dict[str, Any]:
        return {
            "operator": self.code,
            "name": self.name,
            "inspections": self.inspections,
            "qa": self.qa,
            "qc": self.qc,
            "passed": self.passed,
            "failed": self.failed,
            "failed_qc": self.failed_qc,
            "hectares_sampled": hectares(self.sampled_m2),
            "non_conformities": self.non_conformities,
            "non_conformities_by_grade": dict(self.by_grade),
            "non_conformities_open": self.open_non_conformities,
            "hectares_cleared": hectares(self.cleared_m2),
            "non_conformities_per_100_hectares": self.per_100_hectares,
        }


@dataclass(frozen=True)
class ReopenedArea:
    """Land a failed QC reopened, and the clearances that released it again."""

    inspection: str
    inspected_on: date
    operator: str
    activity: str
    activity_end: date
    hazard: str | None
    released_m2: float
    #: (activity, day it ended, m² released) of later clearances of the same hazard.
    released_again: tuple[tuple[str, date, float], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "inspection": self.inspection,
            "inspected_on": self.inspected_on.isoformat(),
            "operator": self.operator,
            "activity": self.activity,
            "activity_ended": self.activity_end.isoformat(),
            "hazard": self.hazard,
            "hectares_reopened": hectares(self.released_m2),
            "released_again_by": [
                {"activity": key, "ended": day.isoformat(), "hectares": hectares(m2)}
                for key, day, m2 in self.released_again
            ],
        }


@dataclass(frozen=True)
class QualityFigures:
    country: str
    start: date
    end: date
    operators: list[OperatorQuality]
    reopened: list[ReopenedArea]

    @property
    def total(self) -> OperatorQuality:
        total = OperatorQuality("", _("All operators"))
        for operator in self.operators:
            total.add(operator)
        return total

    def to_json(self) -> dict[str, Any]:
        total = self.total.to_json()
        del total["operator"], total["name"]
        return {
            "country": self.country,
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "operators": [operator.to_json() for operator in self.operators],
            "total": total,
            "reopened": [area.to_json() for area in self.reopened],
        }


def quality_figures(reader: RegisterReader, start: date, end: date) -> QualityFigures:
    """Quality figures of the reader's country over ``start..end``, by operator."""
    if end < start:
        raise InvalidRequestError(
            _("the period ends ({end}) before it starts ({start})").format(end=end, start=start)
        )
    country = country_of(reader)
    names = reads.operator_names(reader)
    operators: dict[int, OperatorQuality] = {}

    def operator(row_id: int) -> OperatorQuality:
        if row_id not in operators:
            operators[row_id] = OperatorQuality(*names[row_id])
        return operators[row_id]

    for row in reads.inspections(reader, start, end):
        figures = operator(row.operator_id)
        qc = row.type == InspectionType.QC.value
        failed = row.result == InspectionResult.FAIL.value
        figures.qc += row.inspections if qc else 0
        figures.qa += 0 if qc else row.inspections
        figures.failed += row.inspections if failed else 0
        figures.passed += 0 if failed else row.inspections
        figures.failed_qc += row.inspections if qc and failed else 0
        figures.sampled_m2 += row.sampled_m2
    for found in reads.findings(reader, start, end):
        figures = operator(found.operator_id)
        figures.by_grade[found.grade] += found.non_conformities
        figures.open_non_conformities += found.open
    for row_id, cleared in reads.cleared_by_operator(reader, start, end).items():
        operator(row_id).cleared_m2 += cleared
    return QualityFigures(
        country,
        start,
        end,
        sorted(operators.values(), key=lambda figures: figures.code),
        _reopened(reader, start, end, names),
    )


def _reopened(
    reader: RegisterReader, start: date, end: date, names: dict[int, tuple[str, str]]
) -> list[ReopenedArea]:
    """The reopenings by inspections made in ``start..end``, with the clearances of the
    same hazard that ended from the inspection's day to ``end``."""
    found = [r for r in reopenings(reader) if start <= r.inspected_on <= end]
    hazard_ids = {r.hazard_id for r in found if r.hazard_id is not None}
    keys = reads.hazard_keys(reader, hazard_ids)
    later = reads.clearances_of(reader, hazard_ids)
    return [
        ReopenedArea(
            inspection=r.inspection,
            inspected_on=r.inspected_on,
            operator=names[r.operator_id][0],
            activity=r.activity,
            activity_end=r.activity_end,
            hazard=None if r.hazard_id is None else keys[r.hazard_id],
            released_m2=r.released_m2,
            released_again=tuple(
                (c.activity, c.end_date, c.released_m2)
                for c in later
                if c.hazard_id == r.hazard_id and r.inspected_on <= c.end_date <= end
            ),
        )
        for r in found
    ]
