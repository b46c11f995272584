"""Import kinds for minefield records: the records, their declared rows and points."""

from __future__ import annotations

from typing import Any

from demine.domain import rules
from demine.domain.records import (
    MinefieldPoint,
    MinefieldRecord,
    MinefieldRow,
    format_declared_models,
    parse_declared_models,
)
from demine.domain.repair import repair_polygonal
from demine.domain.vocab import EOCategory, RecordPointType, RecordStatus, RecordType
from demine.ingest import fields as f
from demine.ingest.entity_spec import EntitySpec
from demine.ingest.fields import FieldSpec, ParseContext


def _declared_models(value: Any, _: ParseContext) -> Any:
    return parse_declared_models(str(value))


def _format_models(models: Any) -> str | None:
    return format_declared_models(tuple(models)) if models else None


MINEFIELD_RECORDS = EntitySpec(
    kind="minefield-records",
    entity_type=MinefieldRecord,
    help=(
        "Minefield maps and forms handed over, with the coverage and mines they declare "
        "(security-sensitive: not for publication)."
    ),
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "AZ-MFR-2024-001", required=True),
        FieldSpec("district", f.district, "Main district (or from the coverage)", "Aghdam"),
        FieldSpec("source", f.text, "Who handed it over", "handed over via mediator", True),
        FieldSpec("received_on", f.day, "Date received", "2024-02-14", True, f.format_day),
        FieldSpec(
            "record_type",
            f.code_of(RecordType),
            "map or form",
            "map",
            required=True,
            format=f.format_code,
        ),
        FieldSpec(
            "status",
            f.code_of(RecordStatus),
            "; ".join(s.value for s in RecordStatus) + " (default received)",
            "received",
            format=f.format_code,
        ),
        FieldSpec("declared_ap_mines", f.integer, "Anti-personnel mines declared", "12"),
        FieldSpec("declared_at_mines", f.integer, "Anti-tank mines declared", "40"),
        FieldSpec("declared_other_devices", f.integer, "Other devices declared", "0"),
        FieldSpec(
            "declared_models",
            _declared_models,
            "Declared models and counts, MODEL:COUNT separated by ;",
            "TM-62M:40;PMN-2:12",
            format=_format_models,
        ),
        FieldSpec("stated_uncertainty_m", f.number, "Positional uncertainty stated (m)", "50"),
        FieldSpec("notes", f.text, "Notes", "two sheets; scale 1:10 000"),
    ),
    build=lambda v, g, c: MinefieldRecord(
        external_id=v["external_id"],
        country=c.country,
        district=v["district"],
        source=v["source"],
        received_on=v["received_on"],
        record_type=v["record_type"],
        status=v["status"] or RecordStatus.RECEIVED,
        declared_ap_mines=v["declared_ap_mines"],
        declared_at_mines=v["declared_at_mines"],
        declared_other_devices=v["declared_other_devices"],
        declared_models=v["declared_models"] or (),
        stated_uncertainty_m=v["stated_uncertainty_m"],
        notes=v["notes"],
        geometry=g,
    ),
    flatten=lambda r: {
        "external_id": r.external_id,
        "district": r.district,
        "source": r.source,
        "received_on": r.received_on,
        "record_type": r.record_type,
        "status": r.status,
        "declared_ap_mines": r.declared_ap_mines,
        "declared_at_mines": r.declared_at_mines,
        "declared_other_devices": r.declared_other_devices,
        "declared_models": r.declared_models,
        "stated_uncertainty_m": r.stated_uncertainty_m,
        "notes": r.notes,
    },
    check=rules.check_minefield_record,
    geometry_help="Polygon or MultiPolygon of the declared coverage (required)",
    infer_district=True,
    repair=repair_polygonal,
)

MINEFIELD_ROWS = EntitySpec(
    kind="minefield-rows",
    entity_type=MinefieldRow,
    help="Rows of mines as a minefield record declares them (security-sensitive).",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "AZ-MFR-2024-001-R1", True),
        FieldSpec(
            "record", f.minefield_record, "The record's external_id", "AZ-MFR-2024-001", True
        ),
        FieldSpec(
            "category",
            f.code_of(EOCategory),
            "AP_MINE, AT_MINE, IED or OTHER",
            "AT_MINE",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("model", f.text, "Device model laid", "TM-62M"),
        FieldSpec("declared_count", f.integer, "Devices declared in the row", "20"),
    ),
    build=lambda v, g, c: MinefieldRow(
        external_id=v["external_id"],
        record=v["record"],
        category=v["category"],
        model=v["model"],
        declared_count=v["declared_count"],
        geometry=g,
    ),
    flatten=lambda r: {
        "external_id": r.external_id,
        "record": r.record,
        "category": r.category,
        "model": r.model,
        "declared_count": r.declared_count,
    },
    check=rules.check_minefield_row,
    geometry_help="LineString or MultiLineString of the row (required)",
)

MINEFIELD_POINTS = EntitySpec(
    kind="minefield-points",
    entity_type=MinefieldPoint,
    help="Reference, turning and landmark points of minefield records (security-sensitive).",
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "AZ-MFR-2024-001-P1", True),
        FieldSpec(
            "record", f.minefield_record, "The record's external_id", "AZ-MFR-2024-001", True
        ),
        FieldSpec(
            "point_type",
            f.code_of(RecordPointType),
            "reference, turning or landmark",
            "reference",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("description", f.text, "What marks it", "concrete post at the road bend"),
    ),
    build=lambda v, g, c: MinefieldPoint(
        external_id=v["external_id"],
        record=v["record"],
        point_type=v["point_type"],
        description=v["description"],
        geometry=g,
    ),
    flatten=lambda p: {
        "external_id": p.external_id,
        "record": p.record,
        "point_type": p.point_type,
        "description": p.description,
    },
    check=rules.check_minefield_point,
    geometry_help="Point (required)",
)

#: In the order they refer to each other: rows and points name their record.
RECORD_SPECS = (MINEFIELD_RECORDS, MINEFIELD_ROWS, MINEFIELD_POINTS)
