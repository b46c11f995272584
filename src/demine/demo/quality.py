"""Quality management for the demo: ANAMA's quality assurance visits and quality
control samples of operators' clearance, and what they found.

Every month from 2022 to 2025, ANAMA's quality management visits a few clearance
activities while they are worked (QA) and samples a few after they end (QC: about a
tenth of the cleared land searched again). Most pass; some QA visits find minor or
major breaches. Exactly one QC fails: a clearance in 2022, in a synthetic week (no
published figure), of a hazard that was cleared again and closed later, so that the
failure reopens its land for the weeks until it was re-cleared and no published week,
month or the remaining area at the demo's end changes (see README.md).
Nothing is drawn at random beyond the seed: the same seed gives the same inspections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from demine.demo.districts import COUNTRY
from demine.domain.entities import Activity, HazardStatusChange
from demine.domain.quality import (
    InspectionResult,
    InspectionType,
    NonConformity,
    NonConformityGrade,
    QualityInspection,
)
from demine.domain.vocab import ActivityKind, HazardStatus

#: Who inspects: the national authority's quality management.
INSPECTOR = "ANAMA"
FIRST_YEAR, LAST_YEAR = 2022, 2025
#: The demo's last day (its last week's Sunday).
LAST_DAY = date(2025, 12, 28)
QA_PER_MONTH, QC_PER_MONTH = 2, 3
#: Share of the cleared land a QC searches again.
QC_SAMPLE_SHARE = 0.1
#: Share of QA visits that find a breach (half of them major).
QA_FAILURE_SHARE = 0.15
#: The failed QC: a clearance that ended in this month or later, inspected this many
#: days after it ended.
FAILED_QC_FROM = (2022, 4)
FAILED_QC_AFTER_DAYS = 9
SQUARE_METRES_PER_HECTARE = 10_000.0

SCRAP, SCRAP_ACTION = "fragmentation left on the surface", "remove the scrap before handover"
QA_BREACHES = (
    ("marking of the worked lanes incomplete", "re-mark every lane before work resumes"),
    ("detector test piece not used at the start of the day", "brief the section on the drill"),
    ("medic and ambulance more than 20 minutes from the site", "keep medical cover on site"),
    ("daily clearance log not signed by the section leader", "complete and sign the logs"),
)


@dataclass(frozen=True)
class DemoQuality:
    inspections: tuple[QualityInspection, ...]
    non_conformities: tuple[NonConformity, ...]


def _failed_clearance(
    activities: list[Activity], changes: tuple[HazardStatusChange, ...]
) -> Activity:
    """The clearance the failed QC samples: the first that ended from
    :data:`FAILED_QC_FROM` on, of a hazard closed later and cleared again by a later
    clearance before its closure."""
    closed = {c.hazard: c.changed_on for c in changes if c.status is HazardStatus.CLOSED}
    by_hazard: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        if activity.hazard is not None and activity.kind is ActivityKind.CLEARANCE:
            by_hazard[activity.hazard].append(activity)
    for activity in sorted(activities, key=lambda a: (a.end_date, a.external_id)):
        hazard = activity.hazard
        if (
            (activity.end_date.year, activity.end_date.month) < FAILED_QC_FROM
            or activity.kind is not ActivityKind.CLEARANCE
            or hazard is None
            or hazard not in closed
            or activity.area_cleared_m2 <= 0
        ):
            continue
        inspected = activity.end_date + timedelta(days=FAILED_QC_AFTER_DAYS)
        if any(inspected <= a.end_date < closed[hazard] for a in by_hazard[hazard]):
            return activity
    raise ValueError("no clearance fits the demo's failed quality control")


def _inspection(
    key: str,
    kind: InspectionType,
    day: date,
    activity: Activity,
    result: InspectionResult,
    sampled_m2: float | None,
    findings: str | None,
) -> QualityInspection:
    return QualityInspection(
        external_id=key,
        country=COUNTRY,
        type=kind,
        inspected_on=day,
        operator=activity.organisation,
        result=result,
        inspector=INSPECTOR,
        hazard=activity.hazard,
        inspected_activity=activity.external_id,
        sampled_area_m2=sampled_m2,
        findings=findings,
    )


def _sampled_m2(activity: Activity) -> float:
    hectares = max(0.05, round(activity.area_cleared_m2 * QC_SAMPLE_SHARE / 1e4, 2))
    return hectares * SQUARE_METRES_PER_HECTARE


def plan_quality(
    seed: int, activities: list[Activity], changes: tuple[HazardStatusChange, ...]
) -> DemoQuality:
    """The demo's inspections and non-conformities."""
    rng = np.random.default_rng([seed, 12])
    failed = _failed_clearance(activities, changes)
    clearances: dict[tuple[int, int], list[Activity]] = defaultdict(list)
    for activity in activities:
        if activity.kind is ActivityKind.CLEARANCE and activity.area_cleared_m2 > 0:
            clearances[(activity.end_date.year, activity.end_date.month)].append(activity)
    inspections: list[QualityInspection] = []
    findings: list[NonConformity] = []

    def finding(inspection: QualityInspection, grade: NonConformityGrade, what: str,
                action: str, days_to_close: int | None) -> None:  # fmt: skip
        raised = inspection.inspected_on
        closed = None if days_to_close is None else raised + timedelta(days=days_to_close)
        findings.append(
            NonConformity(
                external_id=f"NC-{raised.year}-{len(findings) + 1:04d}",
                country=COUNTRY,
                inspection=inspection.external_id,
                grade=grade,
                raised_on=raised,
                description=what,
                corrective_action=action,
                due_on=raised + timedelta(days=14),
                # Still open at the demo's end if it would close after it.
                closed_on=None if closed is None or closed > LAST_DAY else closed,
            )
        )

    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month in range(1, 13):
            pool = sorted(clearances[(year, month)], key=lambda a: a.external_id)
            if not pool:
                continue
            chosen = rng.choice(len(pool), size=min(len(pool), QA_PER_MONTH + QC_PER_MONTH),
                                replace=False)  # fmt: skip
            for position, index in enumerate(chosen):
                activity = pool[int(index)]
                if activity.external_id == failed.external_id:
                    continue
                key = f"QI-{year}-{len(inspections) + 1:04d}"
                if position < QA_PER_MONTH:
                    span = (activity.end_date - activity.start_date).days
                    day = activity.start_date + timedelta(days=int(rng.integers(0, span + 1)))
                    breach = rng.random() < QA_FAILURE_SHARE
                    result = InspectionResult.FAIL if breach else InspectionResult.PASS
                    what, action = QA_BREACHES[int(rng.integers(len(QA_BREACHES)))]
                    visit = _inspection(key, InspectionType.QA, day, activity, result, None,
                                        what if breach else "work as accredited")  # fmt: skip
                    inspections.append(visit)
                    if breach:
                        grade = (NonConformityGrade.MAJOR if rng.random() < 0.5
                                 else NonConformityGrade.MINOR)  # fmt: skip
                        finding(visit, grade, what, action, int(rng.integers(2, 20)))
                    continue
                day = min(activity.end_date + timedelta(days=int(rng.integers(3, 15))),
                          LAST_DAY)  # fmt: skip
                sample = _inspection(key, InspectionType.QC, day, activity,
                                     InspectionResult.PASS, _sampled_m2(activity),
                                     "no explosive ordnance in the sampled lanes")  # fmt: skip
                inspections.append(sample)
                if rng.random() < 0.1:
                    finding(sample, NonConformityGrade.MINOR, SCRAP, SCRAP_ACTION,
                            int(rng.integers(2, 10)))  # fmt: skip
    day = failed.end_date + timedelta(days=FAILED_QC_AFTER_DAYS)
    qc = _inspection(f"QI-{day.year}-FAIL", InspectionType.QC, day, failed,
                     InspectionResult.FAIL, _sampled_m2(failed),
                     "a PMN-2 anti-personnel mine found in a sampled lane")  # fmt: skip
    inspections.append(qc)
    finding(qc, NonConformityGrade.CRITICAL, "anti-personnel mine missed in a cleared lane",
            "re-clear the whole worked area and retrain the section", 30)  # fmt: skip
    finding(qc, NonConformityGrade.MAJOR, "detector sweep overlap below the standard",
            "re-accredit the section's detector drill", 21)  # fmt: skip
    return DemoQuality(tuple(inspections), tuple(findings))
