"""Quality management (IMAS 07.12): inspections of operators' work and what they found."""

from __future__ import annotations

from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind
from demine.domain.kinds.operations import SQUARE_METRES_PER_HECTARE
from demine.domain.quality import (
    InspectionResult,
    InspectionType,
    NonConformity,
    NonConformityGrade,
    QualityInspection,
    check_inspection,
    check_non_conformity,
)
from demine.i18n import N_

T = FieldType

QUALITY_INSPECTIONS = Kind(
    "quality-inspections",
    QualityInspection,
    "quality_inspections",
    "external_id",
    N_("Quality inspections"),
    N_("Quality assurance visits during work and quality control samples after clearance."),
    help=(
        N_(
            "Quality assurance (qa) visits during work and quality control (qc) samples of "
            "cleared land: operator, what was inspected, area sampled, pass or fail, findings. "
            "An approved failed QC reopens the clearance it sampled."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "QI-2024-0001",
            True,
            max_length=100,
            hxl="#activity+inspection+id",
        ),
        Field(
            "type",
            T.CODE,
            N_("qa (during work) or qc (sample after clearance)"),
            "qc",
            True,
            vocabulary=InspectionType,
            max_length=10,
            hxl="#activity+type",
        ),
        Field("inspected_on", T.DAY, N_("Day of the inspection"), "2024-07-10", True, hxl="#date"),
        Field(
            "operator",
            T.REFERENCE,
            N_("Operator whose work was inspected (organisation code or name)"),
            "HALO",
            True,
            references="organisations",
            hxl="#org+code",
        ),
        Field(
            "result",
            T.CODE,
            N_("pass or fail"),
            "pass",
            True,
            vocabulary=InspectionResult,
            max_length=10,
            hxl="#status+result",
        ),
        Field(
            "inspector",
            T.REFERENCE,
            N_("Inspecting body (organisation code or name)"),
            "ANAMA",
            references="organisations",
            hxl="#org+code+inspector",
        ),
        Field(
            "hazard",
            T.REFERENCE,
            N_("external_id of the hazard area inspected"),
            "HA-0001",
            references="hazards",
            hxl="#loc+id",
        ),
        Field(
            "activity",
            T.REFERENCE,
            N_("external_id of the activity inspected (required for qc)"),
            "ACT-2024-0001",
            # Not ``activity``: a record with one belongs to the activity's operator
            # (editing/service.py), and an operator must not edit its own inspection.
            attribute="inspected_activity",
            references="activities",
            hxl="#activity+id",
        ),
        Field(
            "sampled_hectares",
            T.DECIMAL,
            N_("Area sampled or visited (hectares)"),
            "0.5",
            attribute="sampled_area_m2",
            column="sampled_area_m2",
            scale=SQUARE_METRES_PER_HECTARE,
            hxl="#indicator+num+sampled_ha",
        ),
        Field(
            "findings",
            T.TEXT,
            N_("What the inspectors found"),
            "fragmentation left in lane 4",
            hxl="#description",
        ),
    ),
    check=check_inspection,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("inspected_on", "inspected_on"),
    category="result",
)

NON_CONFORMITIES = Kind(
    "non-conformities",
    NonConformity,
    "non_conformities",
    "external_id",
    N_("Non-conformities"),
    N_("What a quality inspection found wrong, graded, with the corrective action owed."),
    help=(
        N_(
            "Non-conformities raised by a quality inspection: grade (critical, major, minor), "
            "description, corrective action, the day it is due and the day it was closed."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "NC-2024-0001",
            True,
            max_length=100,
            hxl="#meta+id",
        ),
        Field(
            "inspection",
            T.REFERENCE,
            N_("external_id of the quality inspection"),
            "QI-2024-0001",
            True,
            references="quality-inspections",
            hxl="#activity+inspection+id",
        ),
        Field(
            "grade",
            T.CODE,
            N_("critical, major or minor"),
            "major",
            True,
            vocabulary=NonConformityGrade,
            max_length=10,
            hxl="#severity",
        ),
        Field(
            "raised_on", T.DAY, N_("Day it was raised"), "2024-07-10", True, hxl="#date+reported"
        ),
        Field(
            "description",
            T.TEXT,
            N_("What was wrong"),
            "missed AP mine in sampled lane",
            True,
            hxl="#description",
        ),
        Field(
            "corrective_action",
            T.TEXT,
            N_("What the operator must do"),
            "re-clear lanes 3-5",
            hxl="#description+action",
        ),
        Field(
            "due_on", T.DAY, N_("Day the corrective action is due"), "2024-07-31", hxl="#date+due"
        ),
        Field(
            "closed_on",
            T.DAY,
            N_("Day the non-conformity was closed"),
            "2024-07-28",
            hxl="#date+closed",
        ),
    ),
    check=check_non_conformity,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("raised_on", "raised_on"),
    category="grade",
)
