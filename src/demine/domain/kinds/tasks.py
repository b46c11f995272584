"""Tasking: operators' accreditations and the task orders issued to them."""

from __future__ import annotations

from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind
from demine.domain.kinds.shapes import POLYGONAL, PUNCTUAL
from demine.domain.repair import repair_polygonal
from demine.domain.tasks import (
    Accreditation,
    Task,
    check_accreditation,
    check_task,
    check_task_in_register,
)
from demine.domain.vocab import TaskAsset, TaskMethod, TaskStatus
from demine.i18n import N_

T = FieldType


def _method(example: str) -> Field:
    return Field(
        "method",
        T.CODE,
        "; ".join(m.value for m in TaskMethod),
        example,
        True,
        vocabulary=TaskMethod,
        hxl="#activity+type",
        max_length=40,
    )


def _operator(help_text: str) -> Field:
    return Field(
        "organisation",
        T.REFERENCE,
        help_text,
        "ANAMA",
        True,
        references="organisations",
        hxl="#org+code",
    )


ACCREDITATIONS = Kind(
    "accreditations",
    Accreditation,
    "accreditations",
    "external_id",
    N_("Accreditations"),
    N_("Operators' accreditation per method, with the days it is valid."),
    help=(
        N_(
            "Accreditation of an operator for one method (survey, clearance, battle-area "
            "clearance, EOD spot tasks), valid from one day until another."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "ACC-ANAMA-CLR",
            True,
            max_length=100,
            hxl="#meta+id",
        ),
        _operator(N_("Operator (organisation code or name)")),
        _method("clearance"),
        Field("valid_from", T.DAY, N_("First day valid"), "2024-01-01", True, hxl="#date+start"),
        Field("valid_until", T.DAY, N_("Last day valid"), "2025-12-31", True, hxl="#date+end"),
        Field(
            "reference",
            T.TEXT,
            N_("Accreditation certificate number"),
            "ANAMA/ACC/2024-017",
            max_length=100,
            hxl="#meta+ref",
        ),
    ),
    check=check_accreditation,
    dates=DateSpan("valid_from", "valid_until"),
    category="method",
)

TASKS = Kind(
    "tasks",
    Task,
    "tasks",
    "external_id",
    N_("Tasks"),
    N_("Task orders to an accredited operator's team for one or more hazardous areas."),
    help=(
        N_(
            "Task orders: hazards (external ids, separated by ;), method, operator and team, "
            "assets, planned start and due date, priority, status and the activities that "
            "carried the task out. An issued or ongoing task needs its operator's accreditation "
            "for the method over the task's dates."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "TSK-2024-0001",
            True,
            max_length=100,
            hxl="#activity+task+id",
        ),
        Field(
            "district",
            T.REFERENCE,
            N_("District code or name (or from the geometry)"),
            "Fuzuli",
            references="admin-areas",
            level="district",
            hxl="#adm2+code",
        ),
        _operator(N_("Operator tasked (organisation code or name)")),
        _method("clearance"),
        Field(
            "status",
            T.CODE,
            "; ".join(s.value for s in TaskStatus),
            "issued",
            True,
            vocabulary=TaskStatus,
            hxl="#status",
            max_length=20,
        ),
        Field("planned_start", T.DAY, N_("Planned start"), "2024-07-01", True, hxl="#date+start"),
        Field("due_date", T.DAY, N_("Due date"), "2024-09-30", True, hxl="#date+end"),
        Field(
            "hazards",
            T.REFERENCES,
            N_("external_ids of the hazard areas, separated by ;"),
            "HA-0001;HA-0002",
            True,
            references="hazards",
            hxl="#loc+id+list",
        ),
        Field("team", T.TEXT, N_("Team(s) tasked"), "MCT-3", max_length=200, hxl="#org+team"),
        Field(
            "assets",
            T.CODES,
            "; ".join(a.value for a in TaskAsset) + " (separated by ;)",
            "manual;mine_detection_dogs",
            vocabulary=TaskAsset,
            default=(),
            max_length=100,
            hxl="#item+asset+list",
        ),
        Field("priority", T.INTEGER, N_("1 (most urgent) to 5"), "2", hxl="#priority"),
        Field(
            "activities",
            T.REFERENCES,
            N_("external_ids of the activities that carried it out, separated by ;"),
            "ACT-2024-0001",
            references="activities",
            default=(),
            hxl="#activity+id+list",
        ),
        Field(
            "safety_notes",
            T.TEXT,
            N_("Safety notes for the teams (access, medical evacuation, known devices)"),
            "casualty evacuation point at the Horadiz road junction",
            hxl="#description+safety",
        ),
    ),
    check=check_task,
    register_check=check_task_in_register,
    soft_delete=True,
    dates=DateSpan("planned_start", "due_date"),
    category="status",
    district="district_id",
    geometry=(*POLYGONAL, *PUNCTUAL),
    geometry_help="Polygon or MultiPolygon of the task area, or a Point (optional)",
    geometry_example="POLYGON ((46.90 40.30, 46.91 40.30, 46.91 40.31, 46.90 40.31, 46.90 40.30))",
    infer_district=True,
    repair=repair_polygonal,
    collection="tasks",
)
