"""The features of the OGC API collections: a page of them, one of them, their extent.

Which kinds are served, under what id and to whom comes from the registry of kinds
(:mod:`demine.domain.kinds`); what each feature shows is the data here: its columns,
with references given as codes (a district's code, not its row id). Features are live
records with a geometry, read through a :class:`~demine.store.reader.RegisterReader`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from demine.domain.kinds import Kind
from demine.store.reader import Page, RecordFilter, RegisterReader
from demine.store.spatial import (
    BBox,
    Reach,
    envelope_reach,
    filter_bbox,
    intersecting_ids,
    needs_exact_check,
)

#: The table of a kind, by the kind's name (as the reader gives it).
Tables = Callable[[str], Table]


def _district(tables: Tables) -> Any:
    return aliased(tables("admin-areas"), name="district")


def _areas(tables: Tables) -> Select[Any]:
    areas = tables("admin-areas")
    parent = aliased(areas, name="parent")
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


def _hazards(tables: Tables) -> Select[Any]:
    hazards, district = tables("hazards"), _district(tables)
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


def _activities(tables: Tables) -> Select[Any]:
    acts, district = tables("activities"), _district(tables)
    organisation, hazard = tables("organisations"), tables("hazards")
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


def _finds(tables: Tables) -> Select[Any]:
    finds, district, activity = tables("finds"), _district(tables), tables("activities")
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


def _accidents(tables: Tables) -> Select[Any]:
    accidents, district = tables("accidents"), _district(tables)
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


def _minefield_records(tables: Tables) -> Select[Any]:
    records, district = tables("minefield-records"), _district(tables)
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


def _record_part(kind: str, *columns: str) -> Callable[[Tables], Select[Any]]:
    def build(tables: Tables) -> Select[Any]:
        table, record = tables(kind), tables("minefield-records")
        return select(
            table.c.id,
            table.c.geometry,
            table.c.external_id,
            record.c.external_id.label("record"),
            *(table.c[name] for name in columns),
        ).join(record, table.c.record_id == record.c.id)

    return build


def _projects(tables: Tables) -> Select[Any]:
    projects, district = tables("projects"), _district(tables)
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


#: What the features of each served kind show (id and geometry first), by kind name.
PROPERTIES: dict[str, Callable[[Tables], Select[Any]]] = {
    "admin-areas": _areas,
    "hazards": _hazards,
    "activities": _activities,
    "finds": _finds,
    "accidents": _accidents,
    "minefield-records": _minefield_records,
    "minefield-rows": _record_part("minefield-rows", "category", "model", "declared_count"),
    "minefield-points": _record_part("minefield-points", "point_type", "description"),
    "projects": _projects,
}
#: Kinds whose tables the selects above read.
_READ = (*PROPERTIES, "organisations")


@functools.lru_cache(maxsize=64)
def _cached_select(kind: str, tables: tuple[tuple[str, Table], ...]) -> Select[Any]:
    # Statements are immutable and building one costs: once per kind and set of tables.
    return PROPERTIES[kind](dict(tables).__getitem__)


def _properties_select(reader: RegisterReader, kind: Kind) -> Select[Any]:
    tables = tuple((name, reader.table(name)) for name in _READ)
    return _cached_select(kind.name, tables)


def _extra(kind: Kind, table: Table) -> list[ColumnElement[bool]]:
    if kind.collection_where is None:
        return []
    column, value = kind.collection_where
    return [table.c[column] == value]


def _filtered(
    reader: RegisterReader,
    kind: Kind,
    period: RecordFilter,
    bbox: BBox | None,
    reach: Reach | None = None,
) -> Select[Any]:
    table = reader.table(kind)
    statement = _properties_select(reader, kind).where(
        table.c.geometry.is_not(None), *reader.scope(table), *_extra(kind, table)
    )
    statement = reader.filtered(kind, statement, period)
    if bbox is not None:
        statement = filter_bbox(statement, table, bbox, reader.dialect, reach)
    return statement


def feature_page(
    reader: RegisterReader,
    kind: Kind,
    *,
    bbox: BBox | None,
    start: date | None,
    end: date | None,
    limit: int,
    offset: int,
) -> Page:
    """One page of features (ordered by row id) and how many match in all.

    ``start``/``end`` select features whose dates overlap the period; a kind without
    dates refuses them (:class:`~demine.errors.InvalidRequestError`).
    """
    connection, table = reader.connection, reader.table(kind)
    period = RecordFilter(start=start, end=end)
    if bbox is not None and needs_exact_check(reader.dialect):
        # Ids first (from the index, exact test only across the box's edge), then the
        # one page of full rows: never every matching geometry and property.
        reach = envelope_reach(connection, table)
        candidates = _filtered(reader, kind, period, bbox, reach).with_only_columns(
            table.c.id, table.c.min_x, table.c.min_y, table.c.max_x, table.c.max_y
        )
        matched = intersecting_ids(connection, candidates, table, bbox)
        page_ids = matched[offset : offset + limit]
        if not page_ids:
            return Page([], len(matched))
        page_rows = connection.execute(
            _filtered(reader, kind, period, None)
            .where(table.c.id.in_(page_ids))
            .order_by(table.c.id)
        )
        return Page([dict(r._mapping) for r in page_rows], len(matched))
    statement = _filtered(reader, kind, period, bbox).order_by(table.c.id)
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    matched_count = int(connection.execute(count).scalar_one())
    rows = connection.execute(statement.limit(limit).offset(offset))
    return Page([dict(r._mapping) for r in rows], matched_count)


def feature(reader: RegisterReader, kind: Kind, row_id: int) -> dict[str, Any] | None:
    """The feature with row id ``row_id``, or None (also when it is not live)."""
    table = reader.table(kind)
    statement = _filtered(reader, kind, RecordFilter(), None).where(table.c.id == row_id)
    row = reader.connection.execute(statement).first()
    return dict(row._mapping) if row is not None else None


@dataclass(frozen=True)
class Extent:
    """Where and when a kind's live features lie (each part None when unknown)."""

    bbox: list[float] | None
    start: date | None = None
    end: date | None = None


def extent(reader: RegisterReader, kind: Kind) -> Extent:
    """The box around the kind's live features (records with a geometry) and the span
    of their dates."""
    table = reader.table(kind)
    bounds: list[Any] = [
        func.min(table.c.min_x),
        func.min(table.c.min_y),
        func.max(table.c.max_x),
        func.max(table.c.max_y),
    ]
    if kind.dates is not None:
        earliest, latest = reader.date_columns(kind)
        bounds += [func.min(earliest), func.max(latest)]
    statement = select(*bounds).where(
        table.c.geometry.is_not(None), *reader.scope(table), *_extra(kind, table)
    )
    values = reader.connection.execute(statement).one()
    box = None if any(v is None for v in values[:4]) else [float(v) for v in values[:4]]
    if kind.dates is None:
        return Extent(box)
    return Extent(box, _day(values[4]), _day(values[5]))


def _day(value: Any) -> date | None:
    """A date as SQLite and PostgreSQL give back an aggregate of dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
