"""What assessing projects reads from the register, as known on the as-of day.

Only counted rows (approved, not deleted) are read. Finds and accidents are points whose
stored bounding box is the point, so they are read as plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, select

from demine.analysis.landrelease.ledger import HazardLedger
from demine.analysis.landrelease.load import Register, load_ledgers
from demine.analysis.projects.footprint import Points
from demine.domain.projects import DevelopmentProject
from demine.store import schema
from demine.store.live import counted
from demine.store.mapping import mapping_for

POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class ProjectInputs:
    projects: list[DevelopmentProject]
    #: Area hazards (polygons) recorded by the as-of day.
    hazards: list[HazardLedger]
    finds: Points
    accidents: Points
    #: Minefield records received by the as-of day: (external id, lon/lat shape).
    records: list[tuple[str, BaseGeometry]]


def load_projects(connection: Connection, register: Register) -> list[DevelopmentProject]:
    """The country's counted projects that have a shape, by identifier."""
    mapping = mapping_for(DevelopmentProject)
    table = mapping.table
    statement = (
        select(table)
        .where(table.c.country == register.country, counted(table))
        .where(table.c.geometry.is_not(None))
        .order_by(table.c.external_id)
    )
    rows = [dict(row._mapping) for row in connection.execute(statement)]
    return [mapping.from_row(row, register.refs) for row in rows]


def load_project_inputs(connection: Connection, register: Register, as_of: date) -> ProjectInputs:
    country = register.country
    hazards = [
        h
        for h in load_ledgers(connection, register)
        if h.recorded_on <= as_of and h.geometry is not None and h.geometry.geom_type in POLYGONAL
    ]
    finds, accidents, records = schema.device_finds, schema.accidents, schema.minefield_records
    find_rows = connection.execute(
        select(finds.c.min_x, finds.c.min_y, finds.c.quantity).where(
            finds.c.country == country,
            counted(finds),
            finds.c.min_x.is_not(None),
            finds.c.found_earliest <= as_of,
        )
    ).all()
    accident_rows = connection.execute(
        select(accidents.c.min_x, accidents.c.min_y).where(
            accidents.c.country == country,
            counted(accidents),
            accidents.c.min_x.is_not(None),
            accidents.c.occurred_earliest <= as_of,
        )
    ).all()
    record_rows = connection.execute(
        select(records.c.external_id, records.c.geometry)
        .where(records.c.country == country, counted(records), records.c.geometry.is_not(None))
        .where(records.c.received_on <= as_of)
        .order_by(records.c.external_id)
    ).all()
    return ProjectInputs(
        projects=load_projects(connection, register),
        hazards=hazards,
        finds=Points.of([(x, y, int(q)) for x, y, q in find_rows]),
        accidents=Points.of([(x, y, 1) for x, y in accident_rows]),
        records=[(key, geometry) for key, geometry in record_rows],
    )
