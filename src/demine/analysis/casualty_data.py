"""Reading what casualty statistics need from the register, on SQLite and PostGIS alike.

Victim identifiers are never read here: statistics need none. Accident coordinates are
read only to decide whether an accident lay inside a known hazard area when the record
does not say, and go no further than that test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, exists, select

from demine.analysis.casualty_counts import AccidentFacts, VictimFacts, age_group
from demine.domain.dates import EventDate
from demine.domain.entities import AdminArea, CasualtyBaseline
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel, DatePrecision, EOCategory, Outcome, Sex, VictimCategory
from demine.errors import InvalidRequestError
from demine.store import schema
from demine.store.live import counted
from demine.store.refs import load_area_refs
from demine.store.register import load_all

_POLYGONAL = ("Polygon", "MultiPolygon")
#: Hazard ids per query (well under SQLite's limit of bound parameters).
_CHUNK = 10_000


@dataclass
class CasualtyRecords:
    """One country's accidents and victims (optionally of one district), and its baselines."""

    country: str
    country_name: str
    #: District codes to names, in reporting order (all districts, filtered or not).
    district_names: dict[str, str]
    district_shapes: dict[str, BaseGeometry] = field(default_factory=dict)
    approximate_districts: bool = False
    district_filter: str | None = None
    accidents: list[AccidentFacts] = field(default_factory=list)
    victims: list[VictimFacts] = field(default_factory=list)
    baselines: list[CasualtyBaseline] = field(default_factory=list)


def has_casualty_data(connection: Connection, country: str) -> bool:
    """True when the country has any accident, victim or casualty baseline."""
    accidents, baselines = schema.accidents, schema.casualty_baselines
    query = select(
        exists().where(accidents.c.country == country)
        | exists().where(baselines.c.country == country)
    )
    return bool(connection.execute(query).scalar())


def load_casualty_records(
    connection: Connection, country: str, district: str | None = None
) -> CasualtyRecords:
    """Everything the statistics of ``country`` (or one ``district``) are computed from."""
    refs = load_area_refs(connection)
    places = PlaceIndex(country, load_all(connection, AdminArea, refs))
    district_code = _district_code(places, district)
    districts = places.in_reporting_order(
        code for code, area in places.areas.items() if area.level is AdminLevel.DISTRICT
    )
    country_area = places.areas.get(country)
    records = CasualtyRecords(
        country=country,
        country_name=country_area.name if country_area else country,
        district_names={code: places.areas[code].name for code in districts},
        district_filter=district_code,
    )
    for code in districts:
        area = places.areas[code]
        if area.geometry is not None and area.geometry.geom_type in _POLYGONAL:
            records.district_shapes[code] = area.geometry
            records.approximate_districts |= area.geometry_approximate
    district_id = refs.areas.id_of(district_code)
    accidents = _accidents(connection, country, district_id, refs.areas.key_by_id)
    records.accidents = list(accidents.values())
    records.victims = _victims(connection, country, district_id, accidents)
    records.baselines = sorted(
        load_all(connection, CasualtyBaseline, refs, country), key=lambda b: b.as_of
    )
    return records


def _district_code(places: PlaceIndex, district: str | None) -> str | None:
    if district is None:
        return None
    try:
        return places.resolve(district, AdminLevel.DISTRICT)
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from exc


def _accidents(
    connection: Connection, country: str, district_id: int | None, codes: Mapping[int, str]
) -> dict[int, AccidentFacts]:
    table = schema.accidents
    query = select(
        table.c.id,
        table.c.external_id,
        table.c.district_id,
        table.c.occurred_earliest,
        table.c.occurred_latest,
        table.c.date_precision,
        table.c.device_category,
        table.c.activity_at_time,
        table.c.inside_known_hazard,
        table.c.geometry,
    ).where(table.c.country == country, counted(table))
    if district_id is not None:
        query = query.where(table.c.district_id == district_id)
    rows = [dict(row._mapping) for row in connection.execute(query.order_by(table.c.id))]
    inside = _inside_known_hazards(connection, country, rows)
    return {
        row["id"]: AccidentFacts(
            key=row["external_id"],
            district=codes[row["district_id"]],
            occurred=EventDate(
                row["occurred_earliest"],
                row["occurred_latest"],
                DatePrecision(row["date_precision"]),
            ),
            device_category=EOCategory(row["device_category"]) if row["device_category"] else None,
            activity=row["activity_at_time"],
            inside_known_hazard=inside[row["id"]],
        )
        for row in rows
    }


def _inside_known_hazards(
    connection: Connection, country: str, rows: list[dict[str, Any]]
) -> dict[int, bool | None]:
    """The record's flag where given; else whether its point lies in a hazard polygon
    recorded by the accident's date (a hazard recorded later was not known then).
    Unknown (None) without a point, or when the country has no hazard polygon."""
    result: dict[int, bool | None] = {row["id"]: row["inside_known_hazard"] for row in rows}
    pending = [
        row for row in rows if row["inside_known_hazard"] is None and row["geometry"] is not None
    ]
    if not pending:
        return result
    # Decoding every hazard polygon of a national register costs a second; their stored
    # bounding boxes say which few can hold an accident, and only those are read.
    candidates = _hazards_near(connection, country, [row["geometry"] for row in pending])
    if candidates is None:
        return _inside_any_polygon(connection, country, pending, result)
    pairs, polygons = candidates
    inside = {row["id"]: False for row in pending}
    for accident, hazard in pairs:
        row = pending[accident]
        geometry, recorded_on = polygons[hazard]
        if recorded_on <= row["occurred_latest"] and geometry.intersects(row["geometry"]):
            inside[row["id"]] = True
    result.update(inside)
    return result


def _hazards_near(
    connection: Connection, country: str, points: list[BaseGeometry]
) -> tuple[list[tuple[int, int]], dict[int, tuple[BaseGeometry, date]]] | None:
    """(accident position, hazard id) pairs whose hazard's box holds the accident, and
    those hazards' polygons; None when no polygon is among them (the caller then looks
    at every hazard, to tell "outside all" from "no polygon mapped at all")."""
    hazards = schema.hazard_areas
    boxes = connection.execute(
        select(hazards.c.id, hazards.c.min_x, hazards.c.min_y, hazards.c.max_x, hazards.c.max_y)
        .where(hazards.c.country == country, counted(hazards))
        .where(hazards.c.geometry.is_not(None), hazards.c.min_x.is_not(None))
    ).all()
    if not boxes:
        return None
    ids, min_x, min_y, max_x, max_y = (list(column) for column in zip(*boxes, strict=True))
    tree = STRtree(shapely.box(min_x, min_y, max_x, max_y))
    accident_index, box_index = tree.query(points, predicate="intersects")
    wanted = sorted({ids[int(i)] for i in box_index})
    polygons: dict[int, tuple[BaseGeometry, date]] = {}
    for start in range(0, len(wanted), _CHUNK):
        statement = select(hazards.c.id, hazards.c.geometry, hazards.c.recorded_on).where(
            hazards.c.id.in_(wanted[start : start + _CHUNK])
        )
        for hazard_id, geometry, recorded_on in connection.execute(statement):
            if geometry is not None and geometry.geom_type in _POLYGONAL:
                polygons[hazard_id] = (geometry, recorded_on)
    if not polygons:
        return None
    pairs = [
        (int(a), ids[int(b)])
        for a, b in zip(accident_index, box_index, strict=True)
        if ids[int(b)] in polygons
    ]
    return pairs, polygons


def _inside_any_polygon(
    connection: Connection,
    country: str,
    pending: list[dict[str, Any]],
    result: dict[int, bool | None],
) -> dict[int, bool | None]:
    hazards = schema.hazard_areas
    polygons: list[tuple[BaseGeometry, date]] = [
        (geometry, recorded_on)
        for geometry, recorded_on in connection.execute(
            select(hazards.c.geometry, hazards.c.recorded_on)
            .where(hazards.c.country == country, counted(hazards))
            .where(hazards.c.geometry.is_not(None))
        )
        if geometry.geom_type in _POLYGONAL
    ]
    if not polygons:
        # No hazard area is mapped at all: "outside" would claim more than is known.
        return result
    tree = STRtree([geometry for geometry, _ in polygons])
    for row in pending:
        candidates = tree.query(row["geometry"], predicate="intersects")
        result[row["id"]] = any(polygons[int(i)][1] <= row["occurred_latest"] for i in candidates)
    return result


def _victims(
    connection: Connection,
    country: str,
    district_id: int | None,
    accidents: Mapping[int, AccidentFacts],
) -> list[VictimFacts]:
    victims, table = schema.victims, schema.accidents
    query = (
        select(
            victims.c.accident_id,
            victims.c.sex,
            victims.c.category,
            victims.c.outcome,
            victims.c.age,
            victims.c.age_band,
        )
        .join(table, table.c.id == victims.c.accident_id)
        .where(table.c.country == country, counted(table), counted(victims))
        .order_by(victims.c.id)
    )
    if district_id is not None:
        query = query.where(table.c.district_id == district_id)
    return [
        VictimFacts(
            accident=accidents[accident_id],
            sex=Sex(sex),
            category=VictimCategory(category),
            outcome=Outcome(outcome),
            age_group=age_group(age, band),
        )
        for accident_id, sex, category, outcome, age, band in connection.execute(query)
    ]
