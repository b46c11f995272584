"""Listing records with filters: district, period, category, status, bbox, paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, func, select

from demine.domain.access import Principal
from demine.domain.entities import AdminArea
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel
from demine.editing.service import StoredRecord, _can_view, spec_for, stored
from demine.errors import InvalidRequestError
from demine.store.mapping import mapping_for
from demine.store.refs import load_refs
from demine.store.register import load_all
from demine.store.spatial import BBox, exactly_intersecting, filter_bbox, needs_exact_check

MAX_PAGE = 1_000


@dataclass(frozen=True)
class ListFilters:
    district: str | None = None
    start: date | None = None
    end: date | None = None
    category: str | None = None
    status: str | None = None
    bbox: BBox | None = None
    include_deleted: bool = False
    limit: int = 100
    offset: int = 0


def _date_columns(table: Any) -> tuple[Column[Any], Column[Any]] | None:
    for earliest, latest in (
        ("found_earliest", "found_latest"),
        ("occurred_earliest", "occurred_latest"),
        ("start_date", "end_date"),
        ("period_start", "period_end"),
        ("recorded_on", "recorded_on"),
        ("changed_on", "changed_on"),
        ("received_on", "received_on"),
        ("as_of", "as_of"),
    ):
        if earliest in table.c:
            return table.c[earliest], table.c[latest]
    return None


def _category_column(table: Any) -> Column[Any] | None:
    for name in ("category", "device_category", "kind", "classification", "record_type"):
        if name in table.c:
            return table.c[name]  # type: ignore[no-any-return]
    return None


def list_records(
    connection: Connection, kind: str, filters: ListFilters, principal: Principal, country: str
) -> tuple[list[StoredRecord], int]:
    """One page of records matching ``filters`` and how many match in all."""
    _can_view(principal)
    if not 1 <= filters.limit <= MAX_PAGE or filters.offset < 0:
        raise InvalidRequestError(f"limit must be 1..{MAX_PAGE} and offset ≥ 0")
    spec = spec_for(kind)
    table = mapping_for(spec.entity_type).table
    statement = select(table)
    if "country" in table.c:
        statement = statement.where(table.c.country == country)
    if filters.district is not None:
        if "district_id" not in table.c:
            raise InvalidRequestError(f"{kind} records have no district to filter on")
        refs = load_refs(connection)
        places = PlaceIndex(country, load_all(connection, AdminArea, refs))
        try:
            code = places.resolve(filters.district, AdminLevel.DISTRICT)
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from exc
        statement = statement.where(table.c.district_id == refs.areas.id_by_key[code])
    if filters.start is not None or filters.end is not None:
        columns = _date_columns(table)
        if columns is None:
            raise InvalidRequestError(f"{kind} records have no date to filter on")
        if filters.end is not None:
            statement = statement.where(columns[0] <= filters.end)
        if filters.start is not None:
            statement = statement.where(columns[1] >= filters.start)
    if filters.category is not None:
        column = _category_column(table)
        if column is None:
            raise InvalidRequestError(f"{kind} records have no category to filter on")
        statement = statement.where(func.lower(column) == filters.category.lower())
    if filters.status is not None:
        if "review_status" in table.c and filters.status in (
            "draft",
            "submitted",
            "approved",
            "rejected",
        ):
            statement = statement.where(table.c.review_status == filters.status)
        elif "status" in table.c:
            statement = statement.where(table.c.status == filters.status)
        else:
            raise InvalidRequestError(f"{kind} records have no status '{filters.status}'")
    if "deleted_at" in table.c and not filters.include_deleted:
        statement = statement.where(table.c.deleted_at.is_(None))
    if filters.bbox is not None:
        if "geometry" not in table.c:
            raise InvalidRequestError(f"{kind} records have no geometry to filter on")
        statement = filter_bbox(statement, table, filters.bbox, connection.dialect.name)
    statement = statement.order_by(table.c.id)
    if filters.bbox is not None and needs_exact_check(connection.dialect.name):
        candidates = (dict(r._mapping) for r in connection.execute(statement))
        rows = list(exactly_intersecting(candidates, filters.bbox))
        total = len(rows)
        page = rows[filters.offset : filters.offset + filters.limit]
    else:
        total = int(
            connection.execute(
                select(func.count()).select_from(statement.order_by(None).subquery())
            ).scalar_one()
        )
        page = [
            dict(r._mapping)
            for r in connection.execute(statement.limit(filters.limit).offset(filters.offset))
        ]
    return [stored(connection, spec, dict(row)) for row in page], total
