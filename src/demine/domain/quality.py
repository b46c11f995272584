"""Quality management of land release (IMAS 07.12): inspections and non-conformities.

A mine action centre checks accredited operators' work in two ways. **Quality
assurance** (QA) visits a site while it is worked: drills, documentation, marking,
safety. **Quality control** (QC) samples land after it was cleared and searches it
again; a QC that fails means the land cannot be trusted as released. What an inspection
finds wrong is a **non-conformity**, graded critical (life-threatening, or land
wrongly released), major (a breach that may compromise safety or quality) or minor,
with the corrective action the operator owes and the day it was closed.

An approved failed QC of a clearance reopens the cleared area: the land the activity
released no longer counts as released, and its hazard is open again from the day of
the inspection, until a later clearance releases it again
(:mod:`demine.store.reads.reopened`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from demine.domain.custom_values import Extensible
from demine.domain.rules import FieldProblem, RuleContext, check_not_future


class InspectionType(StrEnum):
    """Quality assurance during work, or quality control of land after clearance."""

    QA = "qa"
    QC = "qc"


class InspectionResult(StrEnum):
    PASS = "pass"
    FAIL = "fail"


class NonConformityGrade(StrEnum):
    """How grave a non-conformity is (IMAS 07.12)."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


@dataclass(frozen=True)
class QualityInspection(Extensible):
    """A QA visit or a QC sample of an operator's work on a hazard or an activity.

    The operator is not the record's owner: an inspection belongs to the inspecting
    body that entered it, so an operator cannot edit the verdict on its own work.
    """

    external_id: str
    country: str
    type: InspectionType
    inspected_on: date
    operator: str
    result: InspectionResult
    inspector: str | None = None
    hazard: str | None = None
    inspected_activity: str | None = None
    sampled_area_m2: float | None = None
    findings: str | None = None

    @property
    def reopens(self) -> bool:
        """A failed quality control of a clearance: its land is released no more."""
        return (
            self.type is InspectionType.QC
            and self.result is InspectionResult.FAIL
            and self.inspected_activity is not None
        )


@dataclass(frozen=True)
class NonConformity(Extensible):
    """What an inspection found wrong, its grade and the corrective action owed."""

    external_id: str
    country: str
    inspection: str
    grade: NonConformityGrade
    raised_on: date
    description: str
    corrective_action: str | None = None
    due_on: date | None = None
    closed_on: date | None = None


def check_inspection(inspection: QualityInspection, context: RuleContext) -> list[FieldProblem]:
    """An inspection is not in the future, names what it inspected (a QC the clearance
    it sampled) and samples a non-negative area."""
    problems = check_not_future("inspected_on", inspection.inspected_on, context)
    if inspection.type is InspectionType.QC and inspection.inspected_activity is None:
        problems.append(("activity", "a quality control names the clearance activity it sampled"))
    elif inspection.hazard is None and inspection.inspected_activity is None:
        problems.append(("hazard", "name the hazard area or the activity inspected"))
    if inspection.sampled_area_m2 is not None and inspection.sampled_area_m2 < 0:
        problems.append(("sampled_hectares", "must not be negative"))
    return problems


def check_non_conformity(finding: NonConformity, context: RuleContext) -> list[FieldProblem]:
    """Raised not in the future; due and closed no earlier than raised."""
    problems = check_not_future("raised_on", finding.raised_on, context)
    problems += check_not_future("closed_on", finding.closed_on, context)
    for name in ("due_on", "closed_on"):
        day = getattr(finding, name)
        if day is not None and day < finding.raised_on:
            problems.append(
                (
                    name,
                    f"{day.isoformat()} is before the day it was raised "
                    f"({finding.raised_on.isoformat()})",
                )
            )
    return problems
