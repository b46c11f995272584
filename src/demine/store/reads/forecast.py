"""What completion forecasts read from the register (live rows of one country): weekly
release and the evidence of contamination outside known hazard areas."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from shapely.geometry.base import BaseGeometry
from sqlalchemy import and_, select

from demine.store.reader import RegisterReader
from demine.store.reads.reopened import released


class WeekRelease(NamedTuple):
    """Land one activity released (m²) and the team-days it reports."""

    district_id: int
    end_date: date
    released_m2: float
    team_days: float


class LocatedFind(NamedTuple):
    """A find with a location: where, in which district, how many devices, and whether
    the live activity that found it worked on a recorded hazard."""

    lon: float
    lat: float
    district_id: int
    devices: int
    by_hazard_work: bool


def releases_between(reader: RegisterReader, first: date, last: date) -> list[WeekRelease]:
    """Every live activity that ended in ``first..last``."""
    acts = reader.table("activities")
    statement = reader.select(
        "activities",
        acts.c.district_id,
        acts.c.end_date,
        acts.c.area_cancelled_m2 + acts.c.area_reduced_m2 + acts.c.area_cleared_m2,
        acts.c.team_days,
    ).where(acts.c.end_date.between(first, last), released(reader, acts))
    return [
        WeekRelease(int(district), day, float(area or 0.0), float(days or 0.0))
        for district, day, area, days in reader.connection.execute(statement)
    ]


def hazard_shapes(reader: RegisterReader, as_of: date) -> list[BaseGeometry]:
    """The shapes of live hazard areas recorded by ``as_of``."""
    table = reader.table("hazards")
    statement = reader.select("hazards", table.c.geometry).where(table.c.recorded_on <= as_of)
    return [g for g in reader.connection.execute(statement).scalars() if g is not None]


def record_shapes(reader: RegisterReader, as_of: date) -> list[BaseGeometry]:
    """The shapes of live minefield records received by ``as_of``."""
    table = reader.table("minefield-records")
    statement = reader.select("minefield-records", table.c.geometry).where(
        table.c.received_on <= as_of
    )
    return [g for g in reader.connection.execute(statement).scalars() if g is not None]


def located_accidents(
    reader: RegisterReader, since: date, as_of: date, district_id: int | None = None
) -> list[tuple[float, float, int]]:
    """Live accidents with a location that happened in ``since..as_of``: (lon, lat,
    district row id)."""
    table = reader.table("accidents")
    statement = reader.select("accidents", table.c.min_x, table.c.min_y, table.c.district_id).where(
        table.c.min_x.is_not(None),
        table.c.occurred_earliest >= since,
        table.c.occurred_latest <= as_of,
    )
    if district_id is not None:
        statement = statement.where(table.c.district_id == district_id)
    return [(float(x), float(y), int(d)) for x, y, d in reader.connection.execute(statement)]


def located_finds(
    reader: RegisterReader, since: date, as_of: date, district_id: int | None = None
) -> list[LocatedFind]:
    """Live finds with a location made in ``since..as_of``."""
    finds, acts = reader.table("finds"), reader.table("activities")
    linked = and_(acts.c.id == finds.c.activity_id, *reader.scope(acts))
    statement = (
        select(
            finds.c.min_x, finds.c.min_y, finds.c.district_id, finds.c.quantity, acts.c.hazard_id
        )
        .select_from(finds.outerjoin(acts, linked))
        .where(*reader.scope(finds), finds.c.min_x.is_not(None))
        .where(finds.c.found_earliest >= since, finds.c.found_latest <= as_of)
    )
    if district_id is not None:
        statement = statement.where(finds.c.district_id == district_id)
    return [
        LocatedFind(float(x), float(y), int(d), int(q), hazard is not None)
        for x, y, d, q, hazard in reader.connection.execute(statement)
    ]
