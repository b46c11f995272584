"""What verifying minefield records reads: records, their rows, worked land, finds and
accidents known by a day — live rows only, of the reader's country.

Finds and accidents are points whose stored bounding box *is* the point, so they are
read as plain numbers (no geometry decoding): a national register of a million finds
reads in a second or two.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from demine.domain.entities import AdminArea
from demine.domain.records import MinefieldRecord, MinefieldRow
from demine.store import schema
from demine.store.mapping import mapping_for
from demine.store.reader import RegisterReader
from demine.store.refs import Refs, load_area_refs


def area_refs(reader: RegisterReader) -> Refs:
    """Key maps of areas, organisations and minefield records (not of events)."""
    return load_area_refs(reader.connection)


def admin_areas(reader: RegisterReader, refs: Refs) -> list[AdminArea]:
    """The reader's country's administrative areas with their other spellings, by code."""
    table = reader.table("admin-areas")
    statement = reader.select("admin-areas").order_by(table.c.code)
    rows = [dict(row._mapping) for row in reader.connection.execute(statement)]
    aliases: dict[int, list[str]] = {}
    names = schema.admin_area_aliases
    for area_id, alias in reader.connection.execute(select(names.c.area_id, names.c.alias)):
        aliases.setdefault(area_id, []).append(alias)
    mapping = mapping_for(AdminArea)
    return [
        mapping.from_row({**row, "aliases": sorted(aliases.get(row["id"], ()))}, refs)
        for row in rows
    ]


def minefield_records(
    reader: RegisterReader, refs: Refs, received_by: date
) -> list[MinefieldRecord]:
    """Records with a declared area received by ``received_by``, by identifier."""
    table = reader.table("minefield-records")
    statement = (
        reader.select("minefield-records")
        .where(table.c.received_on <= received_by, table.c.geometry.is_not(None))
        .order_by(table.c.external_id)
    )
    mapping = mapping_for(MinefieldRecord)
    return [
        mapping.from_row(dict(row._mapping), refs) for row in reader.connection.execute(statement)
    ]


def minefield_rows(
    reader: RegisterReader, refs: Refs, records: Collection[str]
) -> list[MinefieldRow]:
    """The drawn rows of ``records`` (external ids), by identifier."""
    table = reader.table("minefield-rows")
    statement = (
        reader.select("minefield-rows")
        .where(table.c.geometry.is_not(None))
        .order_by(table.c.external_id)
    )
    mapping = mapping_for(MinefieldRow)
    key_of = refs.minefield_records.key_by_id
    return [
        mapping.from_row(dict(row._mapping), refs)
        for row in reader.connection.execute(statement)
        if key_of.get(row.record_id) in records
    ]


def worked_areas(
    reader: RegisterReader, ended_by: date, kinds: Sequence[str]
) -> list[BaseGeometry]:
    """Worked-area polygons (lon/lat) of activities of ``kinds`` ended by ``ended_by``."""
    table = reader.table("activities")
    statement = reader.select("activities", table.c.geometry).where(
        table.c.end_date <= ended_by,
        table.c.geometry.is_not(None),
        table.c.kind.in_(kinds),
    )
    return [geometry for (geometry,) in reader.connection.execute(statement)]


def located_finds(
    reader: RegisterReader, found_by: date, categories: Sequence[str]
) -> Sequence[Sequence[Any]]:
    """``(lon, lat, category, quantity, model)`` of located finds of ``categories``
    found by ``found_by`` (the earliest day they may have been found)."""
    table = reader.table("finds")
    statement = reader.select(
        "finds", table.c.min_x, table.c.min_y, table.c.category, table.c.quantity, table.c.model
    ).where(
        table.c.min_x.is_not(None),
        table.c.found_earliest <= found_by,
        table.c.category.in_(categories),
    )
    return reader.connection.execute(statement).all()


def accidents_by(reader: RegisterReader, occurred_by: date) -> Sequence[Sequence[Any]]:
    """``(lon, lat, device category, earliest, latest, district row id)`` of every
    accident that may have happened by ``occurred_by`` (``None`` lon/lat: no location)."""
    table = reader.table("accidents")
    statement = reader.select(
        "accidents",
        table.c.min_x,
        table.c.min_y,
        table.c.device_category,
        table.c.occurred_earliest,
        table.c.occurred_latest,
        table.c.district_id,
    ).where(table.c.occurred_earliest <= occurred_by)
    return reader.connection.execute(statement).all()
