"""Land reopened by quality control: clearances an approved failed QC sampled.

An approved failed quality control of a clearance (:mod:`demine.domain.quality`) means
its land was not safely released: every land-release figure (bulletins, series, the
land-release report, forecasts, public aggregates) leaves the activity out, and its
hazard is open again from the day of the inspection, until a later clearance releases
the land again (that activity counts as any other). The condition is read through the
reader, so a draft or deleted inspection reopens nothing, and a reader of a past day
sees the inspections known then.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import Table, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from demine.domain.quality import InspectionResult, InspectionType
from demine.store.reader import RegisterReader


def _failed_qc(reader: RegisterReader, inspections: Table) -> list[ColumnElement[bool]]:
    return [
        *reader.scope(inspections),
        inspections.c.type == InspectionType.QC.value,
        inspections.c.result == InspectionResult.FAIL.value,
    ]


def reopened(reader: RegisterReader, activities: Table) -> ColumnElement[bool]:
    """The condition of an activity row whose land a live failed QC reopened (driven by
    the few failed inspections: the activities are looked up by row id)."""
    inspections = reader.table("quality-inspections")
    failed = select(inspections.c.activity_id).where(
        inspections.c.activity_id.is_not(None), *_failed_qc(reader, inspections)
    )
    return activities.c.id.in_(failed)


def released(reader: RegisterReader, activities: Table) -> ColumnElement[bool]:
    """The condition of an activity row whose land counts as released (an anti-join on
    the inspections' activity index)."""
    inspections = reader.table("quality-inspections")
    return ~exists().where(
        inspections.c.activity_id == activities.c.id, *_failed_qc(reader, inspections)
    )


class Reopening(NamedTuple):
    """A clearance reopened by a failed QC: the inspection, the day, the land (m²)."""

    hazard_id: int | None
    inspected_on: date
    inspection: str
    activity: str
    activity_end: date
    operator_id: int
    released_m2: float


def reopenings(reader: RegisterReader) -> list[Reopening]:
    """Every live failed QC of a live activity, with the land the activity had released
    and the hazard it reopens (the activity's, else the one the inspection names)."""
    inspections, acts = reader.table("quality-inspections"), reader.table("activities")
    statement = (
        select(
            func.coalesce(acts.c.hazard_id, inspections.c.hazard_id),
            inspections.c.inspected_on,
            inspections.c.external_id,
            acts.c.external_id,
            acts.c.end_date,
            acts.c.organisation_id,
            acts.c.area_cancelled_m2 + acts.c.area_reduced_m2 + acts.c.area_cleared_m2,
        )
        .select_from(inspections.join(acts, acts.c.id == inspections.c.activity_id))
        .where(*_failed_qc(reader, inspections), *reader.scope(acts))
        .order_by(inspections.c.inspected_on, inspections.c.external_id)
    )
    return [
        Reopening(hazard, day, key, activity, end, int(operator), float(m2 or 0.0))
        for hazard, day, key, activity, end, operator, m2 in reader.connection.execute(statement)
    ]
