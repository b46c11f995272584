"""Operational kinds: hazardous areas, their status changes, land-release activities,
device finds and the totals an authority published."""

from __future__ import annotations

from demine.domain import rules
from demine.domain.entities import (
    Activity,
    DeviceFind,
    HazardArea,
    HazardStatusChange,
    ReportedSummary,
)
from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind, Sensitivity
from demine.domain.kinds.shapes import POLYGONAL, PUNCTUAL
from demine.domain.vocab import ActivityKind, EOCategory, HazardClassification, HazardStatus
from demine.i18n import N_

T = FieldType
SQUARE_METRES_PER_HECTARE = 10_000.0
_COUNTRY = {"country": "#country+code"}


def _external_id(example: str, hxl: str) -> Field:
    return Field(
        "external_id", T.TEXT, N_("Stable identifier"), example, True, hxl=hxl, max_length=100
    )


def _district(help_text: str, example: str, *, required: bool = False) -> Field:
    return Field(
        "district",
        T.REFERENCE,
        help_text,
        example,
        required,
        references="admin-areas",
        level="district",
        hxl="#adm2+code",
    )


HAZARDS = Kind(
    "hazards",
    HazardArea,
    "hazard_areas",
    "external_id",
    N_("Hazardous areas"),
    N_("Suspected (SHA) and confirmed (CHA) hazardous areas and EOD spot tasks."),
    help=N_("Suspected (SHA) and confirmed (CHA) hazardous areas and EOD spot tasks."),
    fields=(
        _external_id("HA-0001", "#loc+id"),
        _district(N_("District code or name"), "Tartar", required=True),
        Field(
            "classification",
            T.CODE,
            N_("SHA, CHA or EOD_SPOT_TASK"),
            "CHA",
            True,
            vocabulary=HazardClassification,
            hxl="#loc+type",
            max_length=20,
        ),
        Field(
            "status",
            T.CODE,
            N_("open, worked_on or closed"),
            "open",
            True,
            vocabulary=HazardStatus,
            hxl="#status",
            max_length=20,
        ),
        Field(
            "recorded_on", T.DAY, N_("Date recorded (YYYY-MM-DD)"), "2021-03-15", True, hxl="#date"
        ),
        Field(
            "name", T.TEXT, N_("Local name"), "Hill 412 minefield", hxl="#loc+name", max_length=300
        ),
        Field(
            "evidence",
            T.TEXT,
            N_("Evidence of contamination"),
            "mine incident 2021",
            free_text=True,
            hxl="#description+evidence",
        ),
        Field(
            "contamination",
            T.CODES,
            N_("EO categories, separated by ;"),
            "AP_MINE;AT_MINE",
            vocabulary=EOCategory,
            default=(),
            hxl="#item+type",
            max_length=200,
        ),
        Field(
            "estimated_area_m2",
            T.DECIMAL,
            N_("Estimated area (m²)"),
            "250000",
            hxl="#area+m2+total",
        ),
        Field(
            "remaining_area_m2",
            T.DECIMAL,
            N_("Area still hazardous (m²)"),
            "180000",
            hxl="#area+m2+remaining",
        ),
    ),
    check=rules.check_hazard,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("recorded_on", "recorded_on"),
    category="classification",
    district="district_id",
    geometry=(*POLYGONAL, *PUNCTUAL),
    geometry_help="Polygon or MultiPolygon (a Point for a spot hazard)",
    infer_district=True,
    collection="hazards",
    hxl=_COUNTRY,
)

HAZARD_CHANGES = Kind(
    "hazard-changes",
    HazardStatusChange,
    "hazard_status_changes",
    "external_id",
    N_("Hazard status changes"),
    N_("Dated changes of a hazard area's status, with the reason."),
    help=N_("Dated changes of a hazard area's status, with the reason."),
    fields=(
        _external_id("HC-0001", "#event+id"),
        Field(
            "hazard",
            T.REFERENCE,
            N_("external_id of the hazard area"),
            "HA-0001",
            True,
            references="hazards",
            hxl="#loc+id",
        ),
        Field("changed_on", T.DAY, N_("Date of the change"), "2023-05-02", True, hxl="#date"),
        Field(
            "status",
            T.CODE,
            N_("New status"),
            "closed",
            True,
            vocabulary=HazardStatus,
            hxl="#status",
            max_length=20,
        ),
        Field("reason", T.TEXT, N_("Why"), "cleared by technical survey", hxl="#description"),
    ),
    check=rules.check_hazard_status_change,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("changed_on", "changed_on"),
    category="status",
)

ACTIVITIES = Kind(
    "activities",
    Activity,
    "activities",
    "external_id",
    N_("Land-release activities"),
    N_("Surveys and clearance, with the worked area where recorded."),
    help=N_("Land-release activities: surveys, clearance, battle-area clearance, spot tasks."),
    fields=(
        _external_id("ACT-2024-0001", "#activity+id"),
        Field(
            "kind",
            T.CODE,
            "; ".join(k.value for k in ActivityKind),
            "clearance",
            True,
            vocabulary=ActivityKind,
            hxl="#activity+type",
            max_length=40,
        ),
        Field(
            "organisation",
            T.REFERENCE,
            N_("Organisation code or name"),
            "ANAMA",
            True,
            references="organisations",
            hxl="#org+code",
        ),
        _district(N_("District code or name (or from the geometry)"), "Aghdam"),
        Field("start_date", T.DAY, N_("First day"), "2024-07-01", True, hxl="#date+start"),
        Field("end_date", T.DAY, N_("Last day"), "2024-07-07", True, hxl="#date+end"),
        Field(
            "hazard",
            T.REFERENCE,
            N_("external_id of the hazard area worked"),
            "HA-0001",
            references="hazards",
            hxl="#loc+id",
        ),
        Field(
            "area_cancelled_m2",
            T.DECIMAL,
            N_("Cancelled by non-technical survey (m²)"),
            "0",
            default=0.0,
            hxl="#area+m2+cancelled",
        ),
        Field(
            "area_reduced_m2",
            T.DECIMAL,
            N_("Reduced by technical survey (m²)"),
            "0",
            default=0.0,
            hxl="#area+m2+reduced",
        ),
        Field(
            "area_cleared_m2",
            T.DECIMAL,
            N_("Cleared (m²)"),
            "125000",
            default=0.0,
            hxl="#area+m2+cleared",
        ),
        Field("team_days", T.DECIMAL, N_("Team-days worked"), "12", hxl="#indicator+num+team_days"),
    ),
    check=rules.check_activity,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("start_date", "end_date", counts_on="end_date"),
    category="kind",
    district="district_id",
    geometry=POLYGONAL,
    geometry_help="Polygon or MultiPolygon of the worked area (optional)",
    infer_district=True,
    collection="activities",
    hxl=_COUNTRY,
)

FINDS = Kind(
    "finds",
    DeviceFind,
    "device_finds",
    "external_id",
    N_("Device finds"),
    N_("Explosive ordnance found, by category and model."),
    help=N_("Explosive ordnance found: category, model, quantity, date, location."),
    fields=(
        _external_id("FND-2024-0001", "#item+id"),
        _district(N_("District code or name (or from the point)"), "Aghdam"),
        Field(
            "category",
            T.CODE,
            "; ".join(c.value for c in EOCategory),
            "AT_MINE",
            True,
            vocabulary=EOCategory,
            hxl="#item+type",
            max_length=20,
        ),
        Field(
            "quantity", T.INTEGER, N_("How many devices"), "3", True, hxl="#indicator+num+devices"
        ),
        Field(
            "found_on",
            T.EVENT_DATE,
            N_("Day found (YYYY-MM-DD), or YYYY-MM / YYYY when only that is known"),
            "2024-07-03",
            True,
            attribute="found",
            hxl="#date",
        ),
        Field("model", T.TEXT, N_("Device model"), "TM-62M", hxl="#item+model", max_length=100),
        Field(
            "activity",
            T.REFERENCE,
            N_("external_id of the activity"),
            "ACT-2024-0001",
            references="activities",
            hxl="#activity+id",
        ),
    ),
    check=rules.check_device_find,
    workflow=True,
    soft_delete=True,
    dates=DateSpan("found_earliest", "found_latest", "date_precision"),
    category="category",
    district="district_id",
    geometry=PUNCTUAL,
    geometry_help="Point (optional)",
    infer_district=True,
    collection="finds",
    hxl=_COUNTRY,
)

SUMMARIES = Kind(
    "summaries",
    ReportedSummary,
    "reported_summaries",
    "external_id",
    N_("Published summaries"),
    N_("Period totals an authority published, kept where no records exist."),
    help=N_("Period totals published by an authority, for periods without records."),
    fields=(
        _external_id("RS-2024-W27", "#meta+id"),
        Field(
            "authority",
            T.TEXT,
            N_("Who published it"),
            "ANAMA",
            True,
            hxl="#org+name",
            max_length=200,
        ),
        Field("period_start", T.DAY, N_("First day"), "2024-07-01", True, hxl="#date+start"),
        Field("period_end", T.DAY, N_("Last day"), "2024-07-07", True, hxl="#date+end"),
        _district(N_("District (empty = national total)"), ""),
        Field(
            "ap_mines", T.INTEGER, N_("Anti-personnel mines"), "28", hxl="#indicator+num+mines_ap"
        ),
        Field("at_mines", T.INTEGER, N_("Anti-tank mines"), "107", hxl="#indicator+num+mines_at"),
        Field("uxo", T.INTEGER, N_("Unexploded ordnance"), "830", hxl="#indicator+num+uxo"),
        Field(
            "other_devices", T.INTEGER, N_("Other devices"), "", hxl="#indicator+num+other_devices"
        ),
        Field(
            "hectares_cleared",
            T.DECIMAL,
            N_("Hectares cleared"),
            "1039.5",
            attribute="area_cleared_m2",
            column="area_cleared_m2",
            scale=SQUARE_METRES_PER_HECTARE,
            hxl="#indicator+num+area_cleared_ha",
        ),
        Field(
            "source_reference",
            T.TEXT,
            N_("Where it was published"),
            "news item URL",
            hxl="#meta+source",
            max_length=1000,
        ),
        Field(
            "source_text",
            T.TEXT,
            N_("The published text"),
            "28 anti-personnel mines…",
            hxl="#meta+source+text",
        ),
        Field(
            "districts",
            T.DISTRICTS,
            N_("Districts the text names, separated by ;"),
            "Tartar;Aghdam",
            default=(),
            hxl="#adm2+code+list",
            max_length=1000,
        ),
    ),
    check=rules.check_reported_summary,
    sensitivity=Sensitivity.PUBLIC,
    dates=DateSpan("period_start", "period_end"),
    district="district_id",
    hxl=_COUNTRY,
)
