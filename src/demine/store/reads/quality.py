"""What the quality figures read: live inspections, non-conformities and the land the
inspected operators cleared, by operator (organisation row id)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import case, func, or_, select

from demine.store.reader import RegisterReader
from demine.store.reads.reopened import released


class InspectionCount(NamedTuple):
    operator_id: int
    type: str
    result: str
    inspections: int
    sampled_m2: float


class FindingCount(NamedTuple):
    operator_id: int
    grade: str
    non_conformities: int
    #: Not closed by the last day of the period.
    open: int


class LaterClearance(NamedTuple):
    hazard_id: int
    activity: str
    end_date: date
    released_m2: float


def inspections(reader: RegisterReader, start: date, end: date) -> list[InspectionCount]:
    """Live inspections made in ``start..end`` by operator, type and result."""
    table = reader.table("quality-inspections")
    keys = (table.c.operator_id, table.c.type, table.c.result)
    statement = (
        reader.select("quality-inspections", *keys, func.count(), func.sum(table.c.sampled_area_m2))
        .where(table.c.inspected_on.between(start, end))
        .group_by(*keys)
    )
    return [
        InspectionCount(int(o), str(t), str(r), int(n), float(m2 or 0.0))
        for o, t, r, n, m2 in reader.connection.execute(statement)
    ]


def findings(reader: RegisterReader, start: date, end: date) -> list[FindingCount]:
    """Live non-conformities raised in ``start..end`` by live inspections, by the
    inspected operator and grade, with how many were still open at ``end``."""
    found, inspected = reader.table("non-conformities"), reader.table("quality-inspections")
    still_open = func.sum(
        case((or_(found.c.closed_on.is_(None), found.c.closed_on > end), 1), else_=0)
    )
    statement = (
        select(inspected.c.operator_id, found.c.grade, func.count(), still_open)
        .select_from(found.join(inspected, inspected.c.id == found.c.inspection_id))
        .where(*reader.scope(found), *reader.scope(inspected))
        .where(found.c.raised_on.between(start, end))
        .group_by(inspected.c.operator_id, found.c.grade)
    )
    return [
        FindingCount(int(o), str(g), int(n), int(still or 0))
        for o, g, n, still in reader.connection.execute(statement)
    ]


def cleared_by_operator(reader: RegisterReader, start: date, end: date) -> dict[int, float]:
    """Land cleared (m²) by the released live activities that ended in ``start..end``."""
    acts = reader.table("activities")
    statement = (
        reader.select("activities", acts.c.organisation_id, func.sum(acts.c.area_cleared_m2))
        .where(acts.c.end_date.between(start, end), released(reader, acts))
        .group_by(acts.c.organisation_id)
    )
    return {int(o): float(m2 or 0.0) for o, m2 in reader.connection.execute(statement)}


def clearances_of(reader: RegisterReader, hazard_ids: Collection[int]) -> list[LaterClearance]:
    """The released live activities linked to ``hazard_ids``, by end day."""
    acts = reader.table("activities")
    statement = (
        reader.select(
            "activities",
            acts.c.hazard_id,
            acts.c.external_id,
            acts.c.end_date,
            acts.c.area_cancelled_m2 + acts.c.area_reduced_m2 + acts.c.area_cleared_m2,
        )
        .where(acts.c.hazard_id.in_(list(hazard_ids)), released(reader, acts))
        .order_by(acts.c.end_date, acts.c.external_id)
    )
    return [
        LaterClearance(int(h), str(key), day, float(m2 or 0.0))
        for h, key, day, m2 in reader.connection.execute(statement)
    ]


def operator_names(reader: RegisterReader) -> dict[int, tuple[str, str]]:
    """Every organisation's row id, code and name (organisations are not drafts)."""
    table = reader.table("organisations")
    statement = select(table.c.id, table.c.code, table.c.name)
    return {int(i): (str(c), str(n)) for i, c, n in reader.connection.execute(statement)}


def hazard_keys(reader: RegisterReader, hazard_ids: Collection[int]) -> dict[int, str]:
    """The external ids of the hazards with ``hazard_ids``."""
    table = reader.table("hazards")
    statement = select(table.c.id, table.c.external_id).where(table.c.id.in_(list(hazard_ids)))
    return {int(i): str(key) for i, key in reader.connection.execute(statement)}
