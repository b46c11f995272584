"""What land-release accounting reads from the register (live rows of one country).

Every function takes a :class:`RegisterReader`, so drafts awaiting approval and
deleted records never count and every figure agrees with the bulletins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select

from demine.domain.entities import AdminArea
from demine.store.reader import RecordFilter, RegisterReader
from demine.store.reads.reopened import released
from demine.store.refs import Refs, load_refs
from demine.store.register import load_all


class HazardRow(NamedTuple):
    """What the ledger needs of one hazard area."""

    id: int
    key: str
    district_id: int
    classification: str
    recorded_on: date
    status: str
    estimated_m2: float | None
    remaining_m2: float | None
    geometry: BaseGeometry | None


class DistrictRelease(NamedTuple):
    """Land released in one district (m²) and by how many activities."""

    district_id: int
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    activities: int


class DayRelease(NamedTuple):
    """Land one activity released (m²), by the day it ended."""

    end_date: date
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float


class ClearanceWork(NamedTuple):
    """One clearance activity: area cleared, team-days reported, devices found."""

    cleared_m2: float
    team_days: float | None
    devices: int


def places(reader: RegisterReader) -> tuple[Refs, list[AdminArea]]:
    """The key maps and the administrative areas of the reader's country (places are
    not drafts)."""
    refs = load_refs(reader.connection)
    return refs, load_all(reader.connection, AdminArea, refs, reader.country)


def hazards(reader: RegisterReader) -> list[HazardRow]:
    """Every live hazard area, by key."""
    table = reader.table("hazards")
    statement = reader.select(
        "hazards",
        table.c.id,
        table.c.external_id,
        table.c.district_id,
        table.c.classification,
        table.c.recorded_on,
        table.c.status,
        table.c.estimated_area_m2,
        table.c.remaining_area_m2,
        table.c.geometry,
    ).order_by(table.c.external_id)
    return [HazardRow(*row) for row in reader.connection.execute(statement)]


def status_changes(reader: RegisterReader) -> list[tuple[int, date, str]]:
    """Live status changes of live hazards: (hazard row id, day, status), in date order."""
    changes, hazard_table = reader.table("hazard-changes"), reader.table("hazards")
    statement = (
        reader.select("hazard-changes", changes.c.hazard_id, changes.c.changed_on, changes.c.status)
        .join(hazard_table, hazard_table.c.id == changes.c.hazard_id)
        .where(*reader.scope(hazard_table))
        .order_by(changes.c.changed_on, changes.c.external_id)
    )
    return [(int(h), day, str(s)) for h, day, s in reader.connection.execute(statement)]


def hazard_releases(reader: RegisterReader) -> list[tuple[int, date, float]]:
    """Land released by live activities linked to a hazard: (hazard row id, end day, m²);
    a clearance a failed QC reopened released nothing."""
    acts = reader.table("activities")
    statement = reader.select(
        "activities",
        acts.c.hazard_id,
        acts.c.end_date,
        acts.c.area_cancelled_m2 + acts.c.area_reduced_m2 + acts.c.area_cleared_m2,
    ).where(acts.c.hazard_id.is_not(None), released(reader, acts))
    return [
        (int(hazard), day, float(area or 0.0))
        for hazard, day, area in reader.connection.execute(statement)
    ]


def released_by_district(
    reader: RegisterReader, start: date, end: date, district_id: int | None = None
) -> list[DistrictRelease]:
    """Land released by live activities that ended in ``start..end``, by district row id."""
    acts = reader.table("activities")
    rows = reader.grouped(
        "activities",
        ["district_id"],
        ["area_cancelled_m2", "area_reduced_m2", "area_cleared_m2"],
        RecordFilter(district_id=district_id),
        extra=[acts.c.end_date.between(start, end), released(reader, acts)],
    )
    return [
        DistrictRelease(int(area), float(c or 0), float(r or 0), float(cl or 0), int(n))
        for area, n, c, r, cl in rows
    ]


def released_by_day(
    reader: RegisterReader, start: date, end: date, district_id: int | None = None
) -> list[DayRelease]:
    """Land each live activity that ended in ``start..end`` released."""
    acts = reader.table("activities")
    statement = reader.select(
        "activities",
        acts.c.end_date,
        acts.c.area_cancelled_m2,
        acts.c.area_reduced_m2,
        acts.c.area_cleared_m2,
    ).where(acts.c.end_date.between(start, end), released(reader, acts))
    if district_id is not None:
        statement = statement.where(acts.c.district_id == district_id)
    return [
        DayRelease(day, float(c or 0), float(r or 0), float(cl or 0))
        for day, c, r, cl in reader.connection.execute(statement)
    ]


def clearance_work(
    reader: RegisterReader,
    start: date,
    end: date,
    kinds: Sequence[str],
    district_id: int | None = None,
) -> list[ClearanceWork]:
    """Live activities of ``kinds`` that ended in ``start..end``, with the devices their
    live finds hold."""
    acts, finds = reader.table("activities"), reader.table("finds")
    devices_of = (
        select(finds.c.activity_id, func.sum(finds.c.quantity).label("devices"))
        .where(*reader.scope(finds), finds.c.activity_id.is_not(None))
        .group_by(finds.c.activity_id)
        .subquery()
    )
    statement = (
        select(acts.c.area_cleared_m2, acts.c.team_days, devices_of.c.devices)
        .select_from(acts.outerjoin(devices_of, devices_of.c.activity_id == acts.c.id))
        .where(*reader.scope(acts), acts.c.end_date.between(start, end))
        .where(released(reader, acts))
        .where(acts.c.kind.in_(list(kinds)))
    )
    if district_id is not None:
        statement = statement.where(acts.c.district_id == district_id)
    return [
        ClearanceWork(
            float(cleared or 0.0), None if days is None else float(days), int(devices or 0)
        )
        for cleared, days, devices in reader.connection.execute(statement)
    ]


def latest_activity_day(reader: RegisterReader) -> date | None:
    """The last day any live land-release activity ended."""
    acts = reader.table("activities")
    day = reader.connection.execute(reader.select("activities", func.max(acts.c.end_date))).scalar()
    return day if isinstance(day, date) else None
