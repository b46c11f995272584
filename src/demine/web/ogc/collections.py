"""The feature collections served over OGC API – Features, and how to query them.

Each collection is a table with a geometry, the properties it shows (references given
as codes, not row ids) and the columns its ``datetime`` filter applies to. Which
collections a caller sees depends on their permissions (see :mod:`demine.web.access`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Select, Table, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from demine.store import schema
from demine.store.live import counted
from demine.store.spatial import (
    BBox,
    Reach,
    envelope_reach,
    filter_bbox,
    intersecting_ids,
    needs_exact_check,
)


@dataclass(frozen=True)
class DateWindow:
    """An instant or interval from the ``datetime`` parameter (either end may be open)."""

    start: date | None
    end: date | None


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    table: Table
    #: Builds the SELECT of id, geometry and properties.
    select: Callable[[], Select[Any]]
    #: Columns holding the earliest and latest date of each feature (same for a day).
    temporal: tuple[Column[Any], Column[Any]] | None
    #: Extra condition every served feature meets (e.g. districts only).
    where: Callable[[], ColumnElement[bool]] | None = None


def _district_code() -> Any:
    return aliased(schema.admin_areas, name="district")


def _areas_select() -> Select[Any]:
    areas, parent = schema.admin_areas, aliased(schema.admin_areas, name="parent")
    return select(
        areas.c.id,
        areas.c.geometry,
        areas.c.code,
        areas.c.name,
        areas.c.level,
        parent.c.code.label("parent"),
        areas.c.reporting_order,
        areas.c.geometry_approximate,
    ).outerjoin(parent, areas.c.parent_id == parent.c.id)


def _hazards_select() -> Select[Any]:
    hazards, district = schema.hazard_areas, _district_code()
    return select(
        hazards.c.id,
        hazards.c.geometry,
        hazards.c.external_id,
        district.c.code.label("district"),
        hazards.c.classification,
        hazards.c.status,
        hazards.c.recorded_on,
        hazards.c.name,
        hazards.c.contamination,
        hazards.c.estimated_area_m2,
        hazards.c.remaining_area_m2,
    ).join(district, hazards.c.district_id == district.c.id)


def _activities_select() -> Select[Any]:
    acts, district = schema.activities, _district_code()
    organisation, hazard = schema.organisations, schema.hazard_areas
    return (
        select(
            acts.c.id,
            acts.c.geometry,
            acts.c.external_id,
            acts.c.kind,
            organisation.c.code.label("organisation"),
            district.c.code.label("district"),
            acts.c.start_date,
            acts.c.end_date,
            hazard.c.external_id.label("hazard"),
            acts.c.area_cancelled_m2,
            acts.c.area_reduced_m2,
            acts.c.area_cleared_m2,
            acts.c.team_days,
        )
        .join(district, acts.c.district_id == district.c.id)
        .join(organisation, acts.c.organisation_id == organisation.c.id)
        .outerjoin(hazard, acts.c.hazard_id == hazard.c.id)
    )


def _finds_select() -> Select[Any]:
    finds, district, activity = schema.device_finds, _district_code(), schema.activities
    return (
        select(
            finds.c.id,
            finds.c.geometry,
            finds.c.external_id,
            district.c.code.label("district"),
            finds.c.category,
            finds.c.model,
            finds.c.quantity,
            finds.c.found_earliest,
            finds.c.found_latest,
            finds.c.date_precision,
            activity.c.external_id.label("activity"),
        )
        .join(district, finds.c.district_id == district.c.id)
        .outerjoin(activity, finds.c.activity_id == activity.c.id)
    )


def _accidents_select() -> Select[Any]:
    accidents, district = schema.accidents, _district_code()
    return select(
        accidents.c.id,
        accidents.c.geometry,
        accidents.c.external_id,
        district.c.code.label("district"),
        accidents.c.occurred_earliest,
        accidents.c.occurred_latest,
        accidents.c.date_precision,
        accidents.c.device_category,
        accidents.c.device_model,
        accidents.c.demining_accident,
        accidents.c.inside_known_hazard,
    ).join(district, accidents.c.district_id == district.c.id)


COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "districts",
            "Districts",
            "Administrative districts (shapes may be approximate: see geometry_approximate).",
            schema.admin_areas,
            _areas_select,
            None,
            lambda: schema.admin_areas.c.level == "district",
        ),
        Collection(
            "hazards",
            "Hazardous areas",
            "Suspected (SHA) and confirmed (CHA) hazardous areas and EOD spot tasks.",
            schema.hazard_areas,
            _hazards_select,
            (schema.hazard_areas.c.recorded_on, schema.hazard_areas.c.recorded_on),
        ),
        Collection(
            "activities",
            "Land-release activities",
            "Surveys and clearance, with the worked area where recorded.",
            schema.activities,
            _activities_select,
            (schema.activities.c.start_date, schema.activities.c.end_date),
        ),
        Collection(
            "finds",
            "Device finds",
            "Explosive ordnance found, by category and model.",
            schema.device_finds,
            _finds_select,
            (schema.device_finds.c.found_earliest, schema.device_finds.c.found_latest),
        ),
        Collection(
            "accidents",
            "Accidents",
            "Explosive ordnance accidents (no victim data).",
            schema.accidents,
            _accidents_select,
            (schema.accidents.c.occurred_earliest, schema.accidents.c.occurred_latest),
        ),
    )
}


@dataclass
class ItemPage:
    rows: list[dict[str, Any]]
    number_matched: int


@functools.cache
def _base_select(collection: Collection) -> Select[Any]:
    """The collection's SELECT, built once (statements are immutable; building one costs)."""
    return collection.select()


def _filtered(
    collection: Collection,
    bbox: BBox | None,
    window: DateWindow | None,
    dialect: str,
    reach: Reach | None = None,
) -> Select[Any]:
    statement = _base_select(collection)
    table = collection.table
    statement = statement.where(table.c.geometry.is_not(None), counted(table))
    if collection.where is not None:
        statement = statement.where(collection.where())
    if window is not None and collection.temporal is not None:
        earliest, latest = collection.temporal
        if window.end is not None:
            statement = statement.where(earliest <= window.end)
        if window.start is not None:
            statement = statement.where(latest >= window.start)
    if bbox is not None:
        statement = filter_bbox(statement, table, bbox, dialect, reach)
    return statement


def query_items(
    connection: Connection,
    collection: Collection,
    *,
    bbox: BBox | None,
    window: DateWindow | None,
    limit: int,
    offset: int,
) -> ItemPage:
    """One page of features (ordered by id) and how many match in all."""
    dialect = connection.dialect.name
    table = collection.table
    if bbox is not None and needs_exact_check(dialect):
        # Ids first (from the index, exact test only across the box's edge), then the
        # one page of full rows: never every matching geometry and property.
        reach = envelope_reach(connection, table)
        candidates = _filtered(collection, bbox, window, dialect, reach).with_only_columns(
            table.c.id, table.c.min_x, table.c.min_y, table.c.max_x, table.c.max_y
        )
        matched = intersecting_ids(connection, candidates, table, bbox)
        page_ids = matched[offset : offset + limit]
        if not page_ids:
            return ItemPage([], len(matched))
        page_rows = connection.execute(
            _filtered(collection, None, window, dialect)
            .where(table.c.id.in_(page_ids))
            .order_by(table.c.id)
        )
        return ItemPage([dict(r._mapping) for r in page_rows], len(matched))
    statement = _filtered(collection, bbox, window, dialect).order_by(table.c.id)
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    matched_count = int(connection.execute(count).scalar_one())
    page = connection.execute(statement.limit(limit).offset(offset))
    return ItemPage([dict(r._mapping) for r in page], matched_count)


def query_item(
    connection: Connection, collection: Collection, item_id: int
) -> dict[str, Any] | None:
    statement = _filtered(collection, None, None, connection.dialect.name).where(
        collection.table.c.id == item_id
    )
    row = connection.execute(statement).first()
    return dict(row._mapping) if row is not None else None


def extent(connection: Connection, collection: Collection) -> list[float] | None:
    table = collection.table
    statement = select(
        func.min(table.c.min_x),
        func.min(table.c.min_y),
        func.max(table.c.max_x),
        func.max(table.c.max_y),
    )
    if collection.where is not None:
        statement = statement.where(collection.where())
    values = connection.execute(statement).first()
    if values is None or any(v is None for v in values):
        return None
    return [float(v) for v in values]


def _records_select() -> Select[Any]:
    records, district = schema.minefield_records, _district_code()
    return select(
        records.c.id,
        records.c.geometry,
        records.c.external_id,
        district.c.code.label("district"),
        records.c.source,
        records.c.received_on,
        records.c.record_type,
        records.c.status,
        records.c.declared_ap_mines,
        records.c.declared_at_mines,
        records.c.declared_other_devices,
        records.c.declared_models,
        records.c.stated_uncertainty_m,
    ).join(district, records.c.district_id == district.c.id)


def _record_part_select(table: Table, *columns: str) -> Callable[[], Select[Any]]:
    def build() -> Select[Any]:
        record = schema.minefield_records
        return select(
            table.c.id,
            table.c.geometry,
            table.c.external_id,
            record.c.external_id.label("record"),
            *(table.c[name] for name in columns),
        ).join(record, table.c.record_id == record.c.id)

    return build


def _projects_select() -> Select[Any]:
    projects, district = schema.development_projects, _district_code()
    return select(
        projects.c.id,
        projects.c.geometry,
        projects.c.external_id,
        district.c.code.label("district"),
        projects.c.name,
        projects.c.kind,
        projects.c.owner,
        projects.c.priority,
        projects.c.people_benefiting,
        projects.c.planned_start,
        projects.c.buffer_m,
    ).join(district, projects.c.district_id == district.c.id)


#: Security-sensitive minefield records and planning data: operational roles only.
MORE_COLLECTIONS = (
    Collection(
        "minefield-records",
        "Minefield records",
        "Records handed over: declared coverage (security-sensitive, never public).",
        schema.minefield_records,
        _records_select,
        (schema.minefield_records.c.received_on, schema.minefield_records.c.received_on),
    ),
    Collection(
        "minefield-rows",
        "Minefield record rows",
        "Declared rows of mines of the handed-over records.",
        schema.minefield_rows,
        _record_part_select(schema.minefield_rows, "category", "model", "declared_count"),
        None,
    ),
    Collection(
        "minefield-points",
        "Minefield record points",
        "Reference, turning and landmark points of the handed-over records.",
        schema.minefield_points,
        _record_part_select(schema.minefield_points, "point_type", "description"),
        None,
    ),
    Collection(
        "projects",
        "Development projects",
        "Planned roads, power lines, solar and wind farms, settlements and farmland.",
        schema.development_projects,
        _projects_select,
        (schema.development_projects.c.planned_start, schema.development_projects.c.planned_start),
    ),
)
COLLECTIONS.update({collection.id: collection for collection in MORE_COLLECTIONS})
