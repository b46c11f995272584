"""Minefield records, their rows and points to table rows and back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from demine.domain.records import (
    MinefieldPoint,
    MinefieldRecord,
    MinefieldRow,
    format_declared_models,
    parse_declared_models,
)
from demine.domain.vocab import EOCategory, RecordPointType, RecordStatus, RecordType
from demine.store import schema
from demine.store.refs import Refs
from demine.store.table_mapping import Row, TableMapping, bbox_columns


def _record_row(record: MinefieldRecord, refs: Refs) -> Row:
    return {
        "external_id": record.external_id,
        "country": record.country,
        "district_id": refs.areas.id_of(record.district),
        "source": record.source,
        "received_on": record.received_on,
        "record_type": record.record_type.value,
        "status": record.status.value,
        "declared_ap_mines": record.declared_ap_mines,
        "declared_at_mines": record.declared_at_mines,
        "declared_other_devices": record.declared_other_devices,
        "declared_models": format_declared_models(record.declared_models),
        "stated_uncertainty_m": record.stated_uncertainty_m,
        "notes": record.notes,
        "geometry": record.geometry,
        **bbox_columns(record.geometry),
    }


def _record_from(row: Mapping[str, Any], refs: Refs) -> MinefieldRecord:
    models = row["declared_models"]
    return MinefieldRecord(
        external_id=row["external_id"],
        country=row["country"],
        district=refs.areas.key_by_id[row["district_id"]],
        source=row["source"],
        received_on=row["received_on"],
        record_type=RecordType(row["record_type"]),
        status=RecordStatus(row["status"]),
        declared_ap_mines=row["declared_ap_mines"],
        declared_at_mines=row["declared_at_mines"],
        declared_other_devices=row["declared_other_devices"],
        declared_models=parse_declared_models(models) if models else (),
        stated_uncertainty_m=row["stated_uncertainty_m"],
        notes=row["notes"],
        geometry=row["geometry"],
    )


def _mine_row_row(mine_row: MinefieldRow, refs: Refs) -> Row:
    return {
        "external_id": mine_row.external_id,
        "record_id": refs.minefield_records.id_of(mine_row.record),
        "category": mine_row.category.value,
        "model": mine_row.model,
        "declared_count": mine_row.declared_count,
        "geometry": mine_row.geometry,
        **bbox_columns(mine_row.geometry),
    }


def _mine_row_from(row: Mapping[str, Any], refs: Refs) -> MinefieldRow:
    return MinefieldRow(
        external_id=row["external_id"],
        record=refs.minefield_records.key_by_id[row["record_id"]],
        category=EOCategory(row["category"]),
        model=row["model"],
        declared_count=row["declared_count"],
        geometry=row["geometry"],
    )


def _point_row(point: MinefieldPoint, refs: Refs) -> Row:
    return {
        "external_id": point.external_id,
        "record_id": refs.minefield_records.id_of(point.record),
        "point_type": point.point_type.value,
        "description": point.description,
        "geometry": point.geometry,
        **bbox_columns(point.geometry),
    }


def _point_from(row: Mapping[str, Any], refs: Refs) -> MinefieldPoint:
    return MinefieldPoint(
        external_id=row["external_id"],
        record=refs.minefield_records.key_by_id[row["record_id"]],
        point_type=RecordPointType(row["point_type"]),
        description=row["description"],
        geometry=row["geometry"],
    )


RECORD_MAPPINGS: dict[type, TableMapping[Any]] = {
    MinefieldRecord: TableMapping(
        schema.minefield_records,
        "external_id",
        lambda r: r.external_id,
        _record_row,
        _record_from,
    ),
    MinefieldRow: TableMapping(
        schema.minefield_rows, "external_id", lambda r: r.external_id, _mine_row_row, _mine_row_from
    ),
    MinefieldPoint: TableMapping(
        schema.minefield_points, "external_id", lambda p: p.external_id, _point_row, _point_from
    ),
}
