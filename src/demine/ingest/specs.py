"""What an import file of each kind holds, and how its rows become domain entities."""

from __future__ import annotations

from typing import Any

from demine.domain import rules
from demine.domain.entities import (
    SQUARE_METRES_PER_HECTARE,
    Accident,
    Activity,
    AdminArea,
    CasualtyBaseline,
    DeviceFind,
    HazardArea,
    HazardStatusChange,
    Organisation,
    ReportedSummary,
    Victim,
    VictimIdentifiers,
)
from demine.domain.vocab import (
    ActivityKind,
    AdminLevel,
    EOCategory,
    HazardClassification,
    HazardStatus,
    OrganisationKind,
    Outcome,
    Sex,
    VictimCategory,
)
from demine.ingest import fields as f
from demine.ingest.entity_spec import EntitySpec as EntitySpec
from demine.ingest.entity_spec import Values as Values
from demine.ingest.fields import FieldSpec
from demine.ingest.project_specs import PROJECTS
from demine.ingest.record_specs import RECORD_SPECS


def _no_check(_entity: Any, _context: rules.RuleContext) -> list[rules.FieldProblem]:
    return []


def _m2_from_ha(hectares: float | None) -> float | None:
    return None if hectares is None else round(hectares * SQUARE_METRES_PER_HECTARE, 4)


def _ha_from_m2(square_metres: float | None) -> float | None:
    return None if square_metres is None else round(square_metres / SQUARE_METRES_PER_HECTARE, 8)


def _or_zero(value: float | None) -> float:
    return 0.0 if value is None else value


ADMIN_AREAS = EntitySpec(
    kind="admin-areas",
    entity_type=AdminArea,
    help="Country, districts and settlements, with spellings and reporting order.",
    fields=(
        FieldSpec("code", f.text, "Stable code, e.g. AZ-TAR", "AZ-TAR", required=True),
        FieldSpec("name", f.text, "Canonical name", "Tartar", required=True),
        FieldSpec(
            "level",
            f.code_of(AdminLevel),
            "country, district or settlement",
            "district",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("parent", f.text, "Code of the enclosing area", "AZ"),
        FieldSpec("aliases", f.text, "Other spellings, separated by ;", "Terter;Tərtər"),
        FieldSpec("reporting_order", f.integer, "Position in bulletins (1 = first)", "1"),
        FieldSpec(
            "geometry_approximate",
            f.boolean,
            "true if the shape is only approximate",
            "true",
            format=f.format_bool,
        ),
    ),
    build=lambda v, g, c: AdminArea(
        code=v["code"],
        name=v["name"],
        level=v["level"],
        country=c.country,
        parent_code=v["parent"],
        aliases=tuple(a.strip() for a in (v["aliases"] or "").split(";") if a.strip()),
        reporting_order=v["reporting_order"],
        geometry=g,
        geometry_approximate=bool(v["geometry_approximate"]),
    ),
    flatten=lambda a: {
        "code": a.code,
        "name": a.name,
        "level": a.level,
        "parent": a.parent_code,
        "aliases": ";".join(a.aliases) or None,
        "reporting_order": a.reporting_order,
        "geometry_approximate": a.geometry_approximate,
    },
    check=lambda a, ctx: rules.check_geometry("geometry", a.geometry, ctx, rules.POLYGONAL),
    geometry_help="Polygon or MultiPolygon (optional)",
)

ORGANISATIONS = EntitySpec(
    kind="organisations",
    entity_type=Organisation,
    help="National agency, ministry units, emergency and border services, companies, NGOs.",
    fields=(
        FieldSpec("code", f.text, "Stable code or acronym", "ANAMA", required=True),
        FieldSpec("name", f.text, "Full name", "Mine Action Agency", required=True),
        FieldSpec(
            "kind",
            f.code_of(OrganisationKind),
            "; ".join(k.value for k in OrganisationKind),
            "national_agency",
            required=True,
            format=f.format_code,
        ),
    ),
    build=lambda v, g, c: Organisation(
        code=v["code"], name=v["name"], kind=v["kind"], country=c.country
    ),
    flatten=lambda o: {"code": o.code, "name": o.name, "kind": o.kind},
    check=_no_check,
)

HAZARDS = EntitySpec(
    kind="hazards",
    entity_type=HazardArea,
    help="Suspected (SHA) and confirmed (CHA) hazardous areas and EOD spot tasks.",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "HA-0001", required=True),
        FieldSpec("district", f.district, "District code or name", "Tartar", required=True),
        FieldSpec(
            "classification",
            f.code_of(HazardClassification),
            "SHA, CHA or EOD_SPOT_TASK",
            "CHA",
            required=True,
            format=f.format_code,
        ),
        FieldSpec(
            "status",
            f.code_of(HazardStatus),
            "open, worked_on or closed",
            "open",
            required=True,
            format=f.format_code,
        ),
        FieldSpec(
            "recorded_on", f.day, "Date recorded (YYYY-MM-DD)", "2021-03-15", True, f.format_day
        ),
        FieldSpec("name", f.text, "Local name", "Hill 412 minefield"),
        FieldSpec("evidence", f.text, "Evidence of contamination", "mine incident 2021"),
        FieldSpec(
            "contamination",
            f.codes_of(EOCategory),
            "EO categories, separated by ;",
            "AP_MINE;AT_MINE",
            format=f.format_codes,
        ),
        FieldSpec("estimated_area_m2", f.number, "Estimated area (m²)", "250000"),
        FieldSpec("remaining_area_m2", f.number, "Area still hazardous (m²)", "180000"),
    ),
    build=lambda v, g, c: HazardArea(
        external_id=v["external_id"],
        country=c.country,
        district=v["district"],
        classification=v["classification"],
        status=v["status"],
        recorded_on=v["recorded_on"],
        name=v["name"],
        evidence=v["evidence"],
        contamination=v["contamination"] or (),
        estimated_area_m2=v["estimated_area_m2"],
        remaining_area_m2=v["remaining_area_m2"],
        geometry=g,
    ),
    flatten=lambda h: {
        "external_id": h.external_id,
        "district": h.district,
        "classification": h.classification,
        "status": h.status,
        "recorded_on": h.recorded_on,
        "name": h.name,
        "evidence": h.evidence,
        "contamination": h.contamination,
        "estimated_area_m2": h.estimated_area_m2,
        "remaining_area_m2": h.remaining_area_m2,
    },
    check=rules.check_hazard,
    geometry_help="Polygon or MultiPolygon (a Point for a spot hazard)",
    infer_district=True,
)

HAZARD_CHANGES = EntitySpec(
    kind="hazard-changes",
    entity_type=HazardStatusChange,
    help="Dated changes of a hazard area's status, with the reason.",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "HC-0001", required=True),
        FieldSpec("hazard", f.hazard, "external_id of the hazard area", "HA-0001", required=True),
        FieldSpec("changed_on", f.day, "Date of the change", "2023-05-02", True, f.format_day),
        FieldSpec(
            "status",
            f.code_of(HazardStatus),
            "New status",
            "closed",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("reason", f.text, "Why", "cleared by technical survey"),
    ),
    build=lambda v, g, c: HazardStatusChange(
        external_id=v["external_id"],
        hazard=v["hazard"],
        changed_on=v["changed_on"],
        status=v["status"],
        reason=v["reason"],
    ),
    flatten=lambda h: {
        "external_id": h.external_id,
        "hazard": h.hazard,
        "changed_on": h.changed_on,
        "status": h.status,
        "reason": h.reason,
    },
    check=rules.check_hazard_status_change,
)

ACTIVITIES = EntitySpec(
    kind="activities",
    entity_type=Activity,
    help="Land-release activities: surveys, clearance, battle-area clearance, spot tasks.",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "ACT-2024-0001", required=True),
        FieldSpec(
            "kind",
            f.code_of(ActivityKind),
            "; ".join(k.value for k in ActivityKind),
            "clearance",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("organisation", f.organisation, "Organisation code or name", "ANAMA", True),
        FieldSpec("district", f.district, "District code or name (or from the geometry)", "Aghdam"),
        FieldSpec("start_date", f.day, "First day", "2024-07-01", True, f.format_day),
        FieldSpec("end_date", f.day, "Last day", "2024-07-07", True, f.format_day),
        FieldSpec("hazard", f.hazard, "external_id of the hazard area worked", "HA-0001"),
        FieldSpec("area_cancelled_m2", f.number, "Cancelled by non-technical survey (m²)", "0"),
        FieldSpec("area_reduced_m2", f.number, "Reduced by technical survey (m²)", "0"),
        FieldSpec("area_cleared_m2", f.number, "Cleared (m²)", "125000"),
        FieldSpec("team_days", f.number, "Team-days worked", "12"),
    ),
    build=lambda v, g, c: Activity(
        external_id=v["external_id"],
        country=c.country,
        kind=v["kind"],
        organisation=v["organisation"],
        district=v["district"],
        start_date=v["start_date"],
        end_date=v["end_date"],
        hazard=v["hazard"],
        area_cancelled_m2=_or_zero(v["area_cancelled_m2"]),
        area_reduced_m2=_or_zero(v["area_reduced_m2"]),
        area_cleared_m2=_or_zero(v["area_cleared_m2"]),
        team_days=v["team_days"],
        geometry=g,
    ),
    flatten=lambda a: {
        "external_id": a.external_id,
        "kind": a.kind,
        "organisation": a.organisation,
        "district": a.district,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "hazard": a.hazard,
        "area_cancelled_m2": a.area_cancelled_m2,
        "area_reduced_m2": a.area_reduced_m2,
        "area_cleared_m2": a.area_cleared_m2,
        "team_days": a.team_days,
    },
    check=rules.check_activity,
    geometry_help="Polygon or MultiPolygon of the worked area (optional)",
    infer_district=True,
)

FINDS = EntitySpec(
    kind="finds",
    entity_type=DeviceFind,
    help="Explosive ordnance found: category, model, quantity, date, location.",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "FND-2024-0001", required=True),
        FieldSpec("district", f.district, "District code or name (or from the point)", "Aghdam"),
        FieldSpec(
            "category",
            f.code_of(EOCategory),
            "; ".join(c.value for c in EOCategory),
            "AT_MINE",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("quantity", f.integer, "How many devices", "3", required=True),
        FieldSpec(
            "found_on",
            f.event_date,
            "Day found (YYYY-MM-DD), or YYYY-MM / YYYY when only that is known",
            "2024-07-03",
            required=True,
            format=lambda d: d.isoformat(),
        ),
        FieldSpec("model", f.text, "Device model", "TM-62M"),
        FieldSpec("activity", f.activity, "external_id of the activity", "ACT-2024-0001"),
    ),
    build=lambda v, g, c: DeviceFind(
        external_id=v["external_id"],
        country=c.country,
        district=v["district"],
        category=v["category"],
        quantity=v["quantity"],
        found=v["found_on"],
        model=v["model"],
        activity=v["activity"],
        geometry=g,
    ),
    flatten=lambda d: {
        "external_id": d.external_id,
        "district": d.district,
        "category": d.category,
        "quantity": d.quantity,
        "found_on": d.found,
        "model": d.model,
        "activity": d.activity,
    },
    check=rules.check_device_find,
    geometry_help="Point (optional)",
    infer_district=True,
)

SUMMARIES = EntitySpec(
    kind="summaries",
    entity_type=ReportedSummary,
    help="Period totals published by an authority, for periods without records.",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "RS-2024-W27", required=True),
        FieldSpec("authority", f.text, "Who published it", "ANAMA", required=True),
        FieldSpec("period_start", f.day, "First day", "2024-07-01", True, f.format_day),
        FieldSpec("period_end", f.day, "Last day", "2024-07-07", True, f.format_day),
        FieldSpec("district", f.district, "District (empty = national total)", ""),
        FieldSpec("ap_mines", f.integer, "Anti-personnel mines", "28"),
        FieldSpec("at_mines", f.integer, "Anti-tank mines", "107"),
        FieldSpec("uxo", f.integer, "Unexploded ordnance", "830"),
        FieldSpec("other_devices", f.integer, "Other devices", ""),
        FieldSpec("hectares_cleared", f.number, "Hectares cleared", "1039.5"),
        FieldSpec("source_reference", f.text, "Where it was published", "news item URL"),
        FieldSpec("source_text", f.text, "The published text", "28 anti-personnel mines…"),
        FieldSpec(
            "districts",
            f.districts,
            "Districts the text names, separated by ;",
            "Tartar;Aghdam",
            format=f.format_list,
        ),
    ),
    build=lambda v, g, c: ReportedSummary(
        external_id=v["external_id"],
        country=c.country,
        authority=v["authority"],
        period_start=v["period_start"],
        period_end=v["period_end"],
        district=v["district"],
        ap_mines=v["ap_mines"],
        at_mines=v["at_mines"],
        uxo=v["uxo"],
        other_devices=v["other_devices"],
        area_cleared_m2=_m2_from_ha(v["hectares_cleared"]),
        source_reference=v["source_reference"],
        source_text=v["source_text"],
        districts=v["districts"] or (),
    ),
    flatten=lambda s: {
        "external_id": s.external_id,
        "authority": s.authority,
        "period_start": s.period_start,
        "period_end": s.period_end,
        "district": s.district,
        "ap_mines": s.ap_mines,
        "at_mines": s.at_mines,
        "uxo": s.uxo,
        "other_devices": s.other_devices,
        "hectares_cleared": _ha_from_m2(s.area_cleared_m2),
        "source_reference": s.source_reference,
        "source_text": s.source_text,
        "districts": s.districts,
    },
    check=rules.check_reported_summary,
)

ACCIDENTS = EntitySpec(
    kind="accidents",
    entity_type=Accident,
    help="Explosive ordnance accidents (victims are imported separately).",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "ACC-2024-0001", required=True),
        FieldSpec("district", f.district, "District code or name (or from the point)", "Fuzuli"),
        FieldSpec(
            "occurred_on",
            f.event_date,
            "Day (YYYY-MM-DD), or YYYY-MM / YYYY when only that is known",
            "2024-06-30",
            required=True,
            format=lambda d: d.isoformat(),
        ),
        FieldSpec("settlement", f.settlement, "Settlement code or name", ""),
        FieldSpec(
            "device_category",
            f.code_of(EOCategory),
            "EO category, if known",
            "AP_MINE",
            format=f.format_code,
        ),
        FieldSpec("device_model", f.text, "Device model, if known", "PMN-2"),
        FieldSpec("activity_at_time", f.text, "What the victims were doing", "farming"),
        FieldSpec(
            "demining_accident",
            f.boolean,
            "Happened during demining",
            "false",
            False,
            f.format_bool,
        ),
        FieldSpec(
            "inside_known_hazard",
            f.boolean,
            "Inside a known hazard area",
            "false",
            False,
            f.format_bool,
        ),
        FieldSpec("source", f.text, "Source of the report", "police report"),
        FieldSpec("narrative", f.text, "What happened", ""),
    ),
    build=lambda v, g, c: Accident(
        external_id=v["external_id"],
        country=c.country,
        district=v["district"],
        occurred=v["occurred_on"],
        settlement=v["settlement"],
        device_category=v["device_category"],
        device_model=v["device_model"],
        activity_at_time=v["activity_at_time"],
        demining_accident=v["demining_accident"],
        inside_known_hazard=v["inside_known_hazard"],
        source=v["source"],
        narrative=v["narrative"],
        geometry=g,
    ),
    flatten=lambda a: {
        "external_id": a.external_id,
        "district": a.district,
        "occurred_on": a.occurred,
        "settlement": a.settlement,
        "device_category": a.device_category,
        "device_model": a.device_model,
        "activity_at_time": a.activity_at_time,
        "demining_accident": a.demining_accident,
        "inside_known_hazard": a.inside_known_hazard,
        "source": a.source,
        "narrative": a.narrative,
    },
    check=rules.check_accident,
    geometry_help="Point (optional)",
    infer_district=True,
)

VICTIMS = EntitySpec(
    kind="victims",
    entity_type=Victim,
    help="People killed or injured in accidents (statistics only: no names or identifiers).",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "VIC-2024-0001", required=True),
        FieldSpec("accident", f.accident, "external_id of the accident", "ACC-2024-0001", True),
        FieldSpec("sex", f.code_of(Sex), "female, male or unknown", "male", True, f.format_code),
        FieldSpec(
            "category",
            f.code_of(VictimCategory),
            "civilian, military, deminer or unknown",
            "civilian",
            True,
            f.format_code,
        ),
        FieldSpec(
            "outcome",
            f.code_of(Outcome),
            "killed, injured or unknown",
            "injured",
            True,
            f.format_code,
        ),
        FieldSpec("age", f.integer, "Age in years, if known", "34"),
        FieldSpec("age_band", f.text, "Age band if the age is not known (0-17, 18-59, 60+)", ""),
    ),
    build=lambda v, g, c: Victim(
        external_id=v["external_id"],
        accident=v["accident"],
        sex=v["sex"],
        category=v["category"],
        outcome=v["outcome"],
        age=v["age"],
        age_band=v["age_band"],
    ),
    flatten=lambda v: {
        "external_id": v.external_id,
        "accident": v.accident,
        "sex": v.sex,
        "category": v.category,
        "outcome": v.outcome,
        "age": v.age,
        "age_band": v.age_band,
    },
    check=rules.check_victim,
)

VICTIM_IDENTIFIERS = EntitySpec(
    kind="victim-identifiers",
    entity_type=VictimIdentifiers,
    help="Personal data of victims (protected: victim-data permission, every read logged).",
    fields=(
        FieldSpec("victim", f.victim, "external_id of the victim", "VIC-2024-0001", True),
        FieldSpec("full_name", f.text, "Full name", ""),
        FieldSpec("id_number", f.text, "Identity document number", ""),
        FieldSpec("contact", f.text, "Telephone or other contact", ""),
        FieldSpec("address", f.text, "Address", ""),
        FieldSpec("medical_notes", f.text, "Medical notes", ""),
    ),
    build=lambda v, g, c: VictimIdentifiers(
        victim=v["victim"],
        full_name=v["full_name"],
        id_number=v["id_number"],
        contact=v["contact"],
        address=v["address"],
        medical_notes=v["medical_notes"],
    ),
    flatten=lambda i: {
        "victim": i.victim,
        "full_name": i.full_name,
        "id_number": i.id_number,
        "contact": i.contact,
        "address": i.address,
        "medical_notes": i.medical_notes,
    },
    check=_no_check,
)

CASUALTY_BASELINES = EntitySpec(
    kind="casualty-baselines",
    entity_type=CasualtyBaseline,
    help="Published casualty totals up to a date (history that exists only as aggregates).",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "BASE-2020-11-09", required=True),
        FieldSpec("as_of", f.day, "Date the totals run to", "2020-11-09", True, f.format_day),
        FieldSpec("total", f.integer, "All victims", "3079", required=True),
        FieldSpec("killed", f.integer, "Of whom killed", "530"),
        FieldSpec("injured", f.integer, "Of whom injured", ""),
        FieldSpec("children", f.integer, "Of whom children (under 18)", "330"),
        FieldSpec("women", f.integer, "Of whom women", "30"),
        FieldSpec("civilians", f.integer, "Of whom civilians", ""),
        FieldSpec("source_reference", f.text, "Where it was published", "ANAMA statement"),
        FieldSpec("source_text", f.text, "The published text", ""),
    ),
    build=lambda v, g, c: CasualtyBaseline(
        external_id=v["external_id"],
        country=c.country,
        as_of=v["as_of"],
        total=v["total"],
        killed=v["killed"],
        injured=v["injured"],
        children=v["children"],
        women=v["women"],
        civilians=v["civilians"],
        source_reference=v["source_reference"],
        source_text=v["source_text"],
    ),
    flatten=lambda b: {
        "external_id": b.external_id,
        "as_of": b.as_of,
        "total": b.total,
        "killed": b.killed,
        "injured": b.injured,
        "children": b.children,
        "women": b.women,
        "civilians": b.civilians,
        "source_reference": b.source_reference,
        "source_text": b.source_text,
    },
    check=rules.check_baseline,
)

#: Every import kind, in the order records depend on each other.
SPECS: dict[str, EntitySpec] = {
    spec.kind: spec
    for spec in (
        ADMIN_AREAS,
        ORGANISATIONS,
        HAZARDS,
        HAZARD_CHANGES,
        ACTIVITIES,
        FINDS,
        SUMMARIES,
        ACCIDENTS,
        VICTIMS,
        VICTIM_IDENTIFIERS,
        CASUALTY_BASELINES,
        *RECORD_SPECS,
        PROJECTS,
    )
}

SPEC_BY_TYPE: dict[type, EntitySpec] = {spec.entity_type: spec for spec in SPECS.values()}
