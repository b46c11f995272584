"""Domain entities to table rows and back, one mapping per entity kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from demine.domain.dates import EventDate
from demine.domain.entities import (
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
    DatePrecision,
    EOCategory,
    HazardClassification,
    HazardStatus,
    OrganisationKind,
    Outcome,
    Sex,
    VictimCategory,
)
from demine.store import schema
from demine.store.project_mapping import PROJECT_MAPPINGS
from demine.store.record_mapping import RECORD_MAPPINGS
from demine.store.refs import Refs
from demine.store.table_mapping import Row as Row
from demine.store.table_mapping import TableMapping as TableMapping
from demine.store.table_mapping import bbox_columns as _bbox

E = TypeVar("E")


def _event_date(earliest: Any, latest: Any, precision: str) -> EventDate:
    return EventDate(earliest, latest, DatePrecision(precision))


def _codes(text: str | None) -> tuple[EOCategory, ...]:
    return tuple(EOCategory(c) for c in text.split(";")) if text else ()


# Admin areas: aliases live in their own table and are written by the repository.
def _area_row(area: AdminArea, refs: Refs) -> Row:
    return {
        "code": area.code,
        "country": area.country,
        "level": area.level.value,
        "name": area.name,
        "parent_id": refs.areas.id_of(area.parent_code),
        "reporting_order": area.reporting_order,
        "geometry_approximate": area.geometry_approximate,
        "geometry": area.geometry,
        **_bbox(area.geometry),
    }


def _area_from(row: Mapping[str, Any], refs: Refs) -> AdminArea:
    return AdminArea(
        code=row["code"],
        name=row["name"],
        level=AdminLevel(row["level"]),
        country=row["country"],
        parent_code=refs.areas.key_of(row["parent_id"]),
        aliases=tuple(row.get("aliases", ())),
        reporting_order=row["reporting_order"],
        geometry=row["geometry"],
        geometry_approximate=bool(row["geometry_approximate"]),
    )


def _org_row(org: Organisation, refs: Refs) -> Row:
    return {"code": org.code, "country": org.country, "name": org.name, "kind": org.kind.value}


def _org_from(row: Mapping[str, Any], refs: Refs) -> Organisation:
    return Organisation(
        code=row["code"],
        name=row["name"],
        kind=OrganisationKind(row["kind"]),
        country=row["country"],
    )


def _hazard_row(hazard: HazardArea, refs: Refs) -> Row:
    return {
        "external_id": hazard.external_id,
        "country": hazard.country,
        "district_id": refs.areas.id_of(hazard.district),
        "name": hazard.name,
        "classification": hazard.classification.value,
        "status": hazard.status.value,
        "recorded_on": hazard.recorded_on,
        "evidence": hazard.evidence,
        "contamination": ";".join(c.value for c in hazard.contamination) or None,
        "estimated_area_m2": hazard.estimated_area_m2,
        "remaining_area_m2": hazard.remaining_area_m2,
        "geometry": hazard.geometry,
        **_bbox(hazard.geometry),
    }


def _hazard_from(row: Mapping[str, Any], refs: Refs) -> HazardArea:
    return HazardArea(
        external_id=row["external_id"],
        country=row["country"],
        district=refs.areas.key_by_id[row["district_id"]],
        classification=HazardClassification(row["classification"]),
        status=HazardStatus(row["status"]),
        recorded_on=row["recorded_on"],
        name=row["name"],
        evidence=row["evidence"],
        contamination=_codes(row["contamination"]),
        estimated_area_m2=row["estimated_area_m2"],
        remaining_area_m2=row["remaining_area_m2"],
        geometry=row["geometry"],
    )


def _change_row(change: HazardStatusChange, refs: Refs) -> Row:
    return {
        "external_id": change.external_id,
        "hazard_id": refs.hazards.id_of(change.hazard),
        "changed_on": change.changed_on,
        "status": change.status.value,
        "reason": change.reason,
    }


def _change_from(row: Mapping[str, Any], refs: Refs) -> HazardStatusChange:
    return HazardStatusChange(
        external_id=row["external_id"],
        hazard=refs.hazards.key_by_id[row["hazard_id"]],
        changed_on=row["changed_on"],
        status=HazardStatus(row["status"]),
        reason=row["reason"],
    )


def _activity_row(activity: Activity, refs: Refs) -> Row:
    return {
        "external_id": activity.external_id,
        "country": activity.country,
        "kind": activity.kind.value,
        "organisation_id": refs.organisations.id_of(activity.organisation),
        "district_id": refs.areas.id_of(activity.district),
        "hazard_id": refs.hazards.id_of(activity.hazard),
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "area_cancelled_m2": activity.area_cancelled_m2,
        "area_reduced_m2": activity.area_reduced_m2,
        "area_cleared_m2": activity.area_cleared_m2,
        "team_days": activity.team_days,
        "geometry": activity.geometry,
        **_bbox(activity.geometry),
    }


def _activity_from(row: Mapping[str, Any], refs: Refs) -> Activity:
    return Activity(
        external_id=row["external_id"],
        country=row["country"],
        kind=ActivityKind(row["kind"]),
        organisation=refs.organisations.key_by_id[row["organisation_id"]],
        district=refs.areas.key_by_id[row["district_id"]],
        start_date=row["start_date"],
        end_date=row["end_date"],
        hazard=refs.hazards.key_of(row["hazard_id"]),
        area_cancelled_m2=row["area_cancelled_m2"],
        area_reduced_m2=row["area_reduced_m2"],
        area_cleared_m2=row["area_cleared_m2"],
        team_days=row["team_days"],
        geometry=row["geometry"],
    )


def _find_row(find: DeviceFind, refs: Refs) -> Row:
    return {
        "external_id": find.external_id,
        "country": find.country,
        "district_id": refs.areas.id_of(find.district),
        "activity_id": refs.activities.id_of(find.activity),
        "category": find.category.value,
        "model": find.model,
        "quantity": find.quantity,
        "found_earliest": find.found.earliest,
        "found_latest": find.found.latest,
        "date_precision": find.found.precision.value,
        "geometry": find.geometry,
        **_bbox(find.geometry),
    }


def _find_from(row: Mapping[str, Any], refs: Refs) -> DeviceFind:
    return DeviceFind(
        external_id=row["external_id"],
        country=row["country"],
        district=refs.areas.key_by_id[row["district_id"]],
        category=EOCategory(row["category"]),
        quantity=row["quantity"],
        found=_event_date(row["found_earliest"], row["found_latest"], row["date_precision"]),
        model=row["model"],
        activity=refs.activities.key_of(row["activity_id"]),
        geometry=row["geometry"],
    )


def _summary_row(summary: ReportedSummary, refs: Refs) -> Row:
    return {
        "external_id": summary.external_id,
        "country": summary.country,
        "authority": summary.authority,
        "period_start": summary.period_start,
        "period_end": summary.period_end,
        "district_id": refs.areas.id_of(summary.district),
        "ap_mines": summary.ap_mines,
        "at_mines": summary.at_mines,
        "uxo": summary.uxo,
        "other_devices": summary.other_devices,
        "area_cleared_m2": summary.area_cleared_m2,
        "source_reference": summary.source_reference,
        "source_text": summary.source_text,
        "districts": ";".join(summary.districts) or None,
    }


def _summary_from(row: Mapping[str, Any], refs: Refs) -> ReportedSummary:
    return ReportedSummary(
        external_id=row["external_id"],
        country=row["country"],
        authority=row["authority"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        district=refs.areas.key_of(row["district_id"]),
        ap_mines=row["ap_mines"],
        at_mines=row["at_mines"],
        uxo=row["uxo"],
        other_devices=row["other_devices"],
        area_cleared_m2=row["area_cleared_m2"],
        source_reference=row["source_reference"],
        source_text=row["source_text"],
        districts=tuple(row["districts"].split(";")) if row["districts"] else (),
    )


def _accident_row(accident: Accident, refs: Refs) -> Row:
    return {
        "external_id": accident.external_id,
        "country": accident.country,
        "district_id": refs.areas.id_of(accident.district),
        "settlement_id": refs.areas.id_of(accident.settlement),
        "occurred_earliest": accident.occurred.earliest,
        "occurred_latest": accident.occurred.latest,
        "date_precision": accident.occurred.precision.value,
        "device_category": accident.device_category.value if accident.device_category else None,
        "device_model": accident.device_model,
        "activity_at_time": accident.activity_at_time,
        "demining_accident": accident.demining_accident,
        "inside_known_hazard": accident.inside_known_hazard,
        "source": accident.source,
        "narrative": accident.narrative,
        "geometry": accident.geometry,
        **_bbox(accident.geometry),
    }


def _accident_from(row: Mapping[str, Any], refs: Refs) -> Accident:
    category = row["device_category"]
    return Accident(
        external_id=row["external_id"],
        country=row["country"],
        district=refs.areas.key_by_id[row["district_id"]],
        occurred=_event_date(
            row["occurred_earliest"], row["occurred_latest"], row["date_precision"]
        ),
        settlement=refs.areas.key_of(row["settlement_id"]),
        device_category=EOCategory(category) if category else None,
        device_model=row["device_model"],
        activity_at_time=row["activity_at_time"],
        demining_accident=row["demining_accident"],
        inside_known_hazard=row["inside_known_hazard"],
        source=row["source"],
        narrative=row["narrative"],
        geometry=row["geometry"],
    )


def _victim_row(victim: Victim, refs: Refs) -> Row:
    return {
        "external_id": victim.external_id,
        "accident_id": refs.accidents.id_of(victim.accident),
        "sex": victim.sex.value,
        "category": victim.category.value,
        "outcome": victim.outcome.value,
        "age": victim.age,
        "age_band": victim.age_band,
    }


def _victim_from(row: Mapping[str, Any], refs: Refs) -> Victim:
    return Victim(
        external_id=row["external_id"],
        accident=refs.accidents.key_by_id[row["accident_id"]],
        sex=Sex(row["sex"]),
        category=VictimCategory(row["category"]),
        outcome=Outcome(row["outcome"]),
        age=row["age"],
        age_band=row["age_band"],
    )


def _identifiers_row(identifiers: VictimIdentifiers, refs: Refs) -> Row:
    return {
        "victim_id": refs.victims.id_of(identifiers.victim),
        "full_name": identifiers.full_name,
        "id_number": identifiers.id_number,
        "contact": identifiers.contact,
        "address": identifiers.address,
        "medical_notes": identifiers.medical_notes,
    }


def _identifiers_from(row: Mapping[str, Any], refs: Refs) -> VictimIdentifiers:
    return VictimIdentifiers(
        victim=refs.victims.key_by_id[row["victim_id"]],
        full_name=row["full_name"],
        id_number=row["id_number"],
        contact=row["contact"],
        address=row["address"],
        medical_notes=row["medical_notes"],
    )


def _baseline_row(baseline: CasualtyBaseline, refs: Refs) -> Row:
    return {
        "external_id": baseline.external_id,
        "country": baseline.country,
        "as_of": baseline.as_of,
        "total": baseline.total,
        "killed": baseline.killed,
        "injured": baseline.injured,
        "children": baseline.children,
        "women": baseline.women,
        "civilians": baseline.civilians,
        "source_reference": baseline.source_reference,
        "source_text": baseline.source_text,
    }


def _baseline_from(row: Mapping[str, Any], refs: Refs) -> CasualtyBaseline:
    return CasualtyBaseline(
        external_id=row["external_id"],
        country=row["country"],
        as_of=row["as_of"],
        total=row["total"],
        killed=row["killed"],
        injured=row["injured"],
        children=row["children"],
        women=row["women"],
        civilians=row["civilians"],
        source_reference=row["source_reference"],
        source_text=row["source_text"],
    )


MAPPINGS: dict[type, TableMapping[Any]] = {
    AdminArea: TableMapping(schema.admin_areas, "code", lambda a: a.code, _area_row, _area_from),
    Organisation: TableMapping(schema.organisations, "code", lambda o: o.code, _org_row, _org_from),
    HazardArea: TableMapping(
        schema.hazard_areas, "external_id", lambda h: h.external_id, _hazard_row, _hazard_from
    ),
    HazardStatusChange: TableMapping(
        schema.hazard_status_changes,
        "external_id",
        lambda c: c.external_id,
        _change_row,
        _change_from,
    ),
    Activity: TableMapping(
        schema.activities, "external_id", lambda a: a.external_id, _activity_row, _activity_from
    ),
    DeviceFind: TableMapping(
        schema.device_finds, "external_id", lambda f: f.external_id, _find_row, _find_from
    ),
    ReportedSummary: TableMapping(
        schema.reported_summaries,
        "external_id",
        lambda s: s.external_id,
        _summary_row,
        _summary_from,
    ),
    Accident: TableMapping(
        schema.accidents, "external_id", lambda a: a.external_id, _accident_row, _accident_from
    ),
    Victim: TableMapping(
        schema.victims, "external_id", lambda v: v.external_id, _victim_row, _victim_from
    ),
    VictimIdentifiers: TableMapping(
        schema.victim_identifiers,
        "victim_id",
        lambda i: i.victim,
        _identifiers_row,
        _identifiers_from,
    ),
    CasualtyBaseline: TableMapping(
        schema.casualty_baselines,
        "external_id",
        lambda b: b.external_id,
        _baseline_row,
        _baseline_from,
    ),
    **RECORD_MAPPINGS,
    **PROJECT_MAPPINGS,
}


def mapping_for(entity_type: type[E]) -> TableMapping[E]:
    return MAPPINGS[entity_type]
