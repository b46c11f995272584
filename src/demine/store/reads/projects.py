"""What assessing development projects reads: projects, the finds, accidents and
minefield records around them, and recent clearance — live rows only, of the reader's
country.

Finds and accidents are points whose stored bounding box is the point, so they are
read as plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import func

from demine.domain.projects import DevelopmentProject
from demine.store.mapping import mapping_for
from demine.store.reader import RegisterReader
from demine.store.reads.reopened import released
from demine.store.refs import Refs


def projects(reader: RegisterReader, refs: Refs) -> list[DevelopmentProject]:
    """The projects that have a shape, by identifier."""
    table = reader.table("projects")
    statement = (
        reader.select("projects").where(table.c.geometry.is_not(None)).order_by(table.c.external_id)
    )
    mapping = mapping_for(DevelopmentProject)
    rows = [dict(row._mapping) for row in reader.connection.execute(statement)]
    return [mapping.from_row(row, refs) for row in rows]


def find_points(reader: RegisterReader, found_by: date) -> Sequence[Sequence[Any]]:
    """``(lon, lat, quantity)`` of every located find found by ``found_by`` (the
    earliest day it may have been found)."""
    table = reader.table("finds")
    statement = reader.select("finds", table.c.min_x, table.c.min_y, table.c.quantity).where(
        table.c.min_x.is_not(None), table.c.found_earliest <= found_by
    )
    return reader.connection.execute(statement).all()


def accident_points(reader: RegisterReader, occurred_by: date) -> Sequence[Sequence[Any]]:
    """``(lon, lat)`` of every located accident that may have happened by ``occurred_by``."""
    table = reader.table("accidents")
    statement = reader.select("accidents", table.c.min_x, table.c.min_y).where(
        table.c.min_x.is_not(None), table.c.occurred_earliest <= occurred_by
    )
    return reader.connection.execute(statement).all()


def record_shapes(reader: RegisterReader, received_by: date) -> list[tuple[str, BaseGeometry]]:
    """``(external id, declared area)`` of the minefield records received by
    ``received_by``, by identifier."""
    table = reader.table("minefield-records")
    statement = (
        reader.select("minefield-records", table.c.external_id, table.c.geometry)
        .where(table.c.geometry.is_not(None), table.c.received_on <= received_by)
        .order_by(table.c.external_id)
    )
    return [(key, geometry) for key, geometry in reader.connection.execute(statement)]


def clearance_by_district(
    reader: RegisterReader, after: date, until: date, kinds: Sequence[str]
) -> list[tuple[int, float, float]]:
    """``(district row id, m² cleared, team-days)`` of the activities of ``kinds`` that
    ended after ``after`` and by ``until`` and report their team-days."""
    table = reader.table("activities")
    statement = (
        reader.select(
            "activities",
            table.c.district_id,
            func.sum(table.c.area_cleared_m2),
            func.sum(table.c.team_days),
        )
        .where(table.c.end_date > after, table.c.end_date <= until)
        .where(table.c.kind.in_(kinds), table.c.team_days > 0, released(reader, table))
        .group_by(table.c.district_id)
    )
    return [
        (district_id, float(cleared or 0.0), float(team_days or 0.0))
        for district_id, cleared, team_days in reader.connection.execute(statement)
    ]
