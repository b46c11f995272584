"""What casualty statistics read: live accidents, victims, hazard polygons and baselines.

Every query takes a :class:`~demine.store.reader.RegisterReader`, which applies the
rule that only approved, undeleted rows count and keeps to the reader's country.
Victim identifiers are never read here: statistics need none. Accident coordinates are
read only so that the caller can tell whether an accident lay inside a known hazard
area when the record does not say.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from demine.domain.entities import CasualtyBaseline
from demine.domain.kinds import KIND_BY_ENTITY
from demine.store.compiled import Parameters, Statement, run, run_mappings
from demine.store.entity_rows import entity_from_row
from demine.store.reader import RegisterReader
from demine.store.refs import Refs

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Hazard ids per query (well under SQLite's limit of bound parameters).
_CHUNK = 10_000

#: The columns of an accident row (see :func:`accident_rows`).
ACCIDENT_COLUMNS = (
    "id", "external_id", "district_id", "occurred_earliest", "occurred_latest",
    "date_precision", "device_category", "activity_at_time", "inside_known_hazard",
    "geometry",
)  # fmt: skip

#: A hazard's bounding box: (hazard id, min x, min y, max x, max y).
HazardBox = tuple[int, float, float, float, float]


def has_casualty_data(reader: RegisterReader) -> bool:
    """True when the reader's country has a live accident or a casualty baseline."""
    return bool(run(reader, _HAS_CASUALTY_DATA)[0][0])


def _has_casualty_data(reader: RegisterReader, _shape: Any, _values: Parameters) -> Any:
    from sqlalchemy import select

    accidents = reader.table("accidents")
    baselines = reader.table("casualty-baselines")
    return select(
        select(accidents.c.id).where(*reader.scope(accidents)).exists()
        | select(baselines.c.id).where(*reader.scope(baselines)).exists()
    )


_HAS_CASUALTY_DATA = Statement("casualties.has_casualty_data", _has_casualty_data)


def accident_rows(
    reader: RegisterReader, district_id: int | None, *, with_geometry: bool = True
) -> list[dict[str, Any]]:
    """Live accidents (of one district if given), by row id, with
    :data:`ACCIDENT_COLUMNS` (``geometry`` None unless ``with_geometry``)."""
    table = reader.table("accidents")
    names = ACCIDENT_COLUMNS if with_geometry else ACCIDENT_COLUMNS[:-1]
    query = reader.select("accidents", *(table.c[name] for name in names))
    if district_id is not None:
        query = query.where(table.c.district_id == district_id)
    rows = reader.connection.execute(query.order_by(table.c.id))
    if with_geometry:
        return [dict(zip(names, row, strict=True)) for row in rows]
    return [{**dict(zip(names, row, strict=True)), "geometry": None} for row in rows]


def live_accident_points(reader: RegisterReader) -> list[dict[str, Any]]:
    """What the inside-known-hazard test needs of every live accident of the reader's
    country: id, the record's own flag, point and latest possible date."""
    table = reader.table("accidents")
    names = ("id", "inside_known_hazard", "geometry", "occurred_latest")
    query = reader.select("accidents", *(table.c[name] for name in names)).order_by(table.c.id)
    return [dict(zip(names, row, strict=True)) for row in reader.connection.execute(query)]


def kept_inside_known_hazards(reader: RegisterReader) -> dict[int, bool | None] | None:
    """Each live accident's answer as the database keeps it, or None when the kept
    answers cannot serve this reader or are not current (:mod:`..kept_hazard_tests`)."""
    from demine.store.kept_hazard_tests import current_answers

    return current_answers(reader)


def decide_inside_known_hazards(
    reader: RegisterReader, rows: Sequence[dict[str, Any]]
) -> dict[int, bool | None]:
    """The record's flag where given, else the test against the hazard polygons the
    reader sees (:mod:`demine.domain.known_hazards`); ``rows`` as from
    :func:`accident_rows` or :func:`live_accident_points`."""
    from demine.domain.known_hazards import inside_any, inside_by_boxes, pending_accidents

    result: dict[int, bool | None] = {row["id"]: row["inside_known_hazard"] for row in rows}
    pending = pending_accidents(rows)
    if not pending:
        return result
    inside = inside_by_boxes(
        pending, hazard_boxes(reader), lambda ids: hazard_geometries(reader, ids)
    )
    if inside is None:
        inside = inside_any(pending, all_hazard_geometries(reader))
    result.update(inside or {})
    return result


def victim_rows(
    reader: RegisterReader, district_id: int | None
) -> list[tuple[int, str, str, str, int | None, str | None]]:
    """Live victims of live accidents (of one district if given), by row id:
    (accident row id, sex, category, outcome, age, age band)."""
    from sqlalchemy import select

    victims, accidents = reader.table("victims"), reader.table("accidents")
    query = (
        select(
            victims.c.accident_id,
            victims.c.sex,
            victims.c.category,
            victims.c.outcome,
            victims.c.age,
            victims.c.age_band,
        )
        .join(accidents, accidents.c.id == victims.c.accident_id)
        .where(*reader.scope(accidents), *reader.scope(victims))
        .order_by(victims.c.id)
    )
    if district_id is not None:
        query = query.where(accidents.c.district_id == district_id)
    return [
        (accident_id, sex, category, outcome, age, band)
        for accident_id, sex, category, outcome, age, band in reader.connection.execute(query)
    ]


#: A group of live victims as the database keeps them (:mod:`demine.store.aggregates`):
#: (district id, occurred earliest, latest, precision, device category, activity, sex,
#: category, outcome, age, age band, victims); unknown texts and ages as None.
VictimGroup = tuple[
    int, date, date, str, str | None, str | None, str, str, str, int | None, str | None, int
]


def kept_victim_groups(reader: RegisterReader, district_id: int | None) -> list[VictimGroup] | None:
    """Live victims of live accidents counted by what statistics break them down by,
    from the figures the database keeps; None when they cannot serve this reader (a
    reader of a past day reads the history)."""
    if not reader.reads_kept_figures or reader.country is None:
        return None
    from sqlalchemy import select

    from demine.store import schema
    from demine.store.aggregates import VICTIM_KEYS

    kept = schema.metadata.tables["figures_victims"]
    names = [name for name in VICTIM_KEYS if name != "country"]
    query = select(*(kept.c[name] for name in names), kept.c.records).where(
        kept.c.country == reader.country
    )
    if district_id is not None:
        query = query.where(kept.c.district_id == district_id)
    rows = reader.connection.execute(query.order_by(*(kept.c[name] for name in names)))
    return [
        (district, earliest, latest, precision, device or None, activity or None,
         sex, category, outcome, None if age == -1 else age, band or None, int(number))
        for district, earliest, latest, precision, device, activity, sex, category, outcome,
        age, band, number in rows
    ]  # fmt: skip


def hazard_boxes(reader: RegisterReader) -> list[HazardBox]:
    """The stored bounding box of every live hazard area that has a geometry."""
    hazards = reader.table("hazards")
    query = reader.select(
        "hazards", hazards.c.id, hazards.c.min_x, hazards.c.min_y, hazards.c.max_x, hazards.c.max_y
    ).where(hazards.c.geometry.is_not(None), hazards.c.min_x.is_not(None))
    return [
        (hazard_id, min_x, min_y, max_x, max_y)
        for hazard_id, min_x, min_y, max_x, max_y in reader.connection.execute(query)
    ]


def hazard_geometries(
    reader: RegisterReader, ids: Sequence[int]
) -> list[tuple[int, BaseGeometry | None, date]]:
    """(id, geometry, recorded on) of the live hazard areas ``ids``, read in chunks."""
    hazards = reader.table("hazards")
    found: list[tuple[int, BaseGeometry | None, date]] = []
    for start in range(0, len(ids), _CHUNK):
        query = reader.select(
            "hazards", hazards.c.id, hazards.c.geometry, hazards.c.recorded_on
        ).where(hazards.c.id.in_(list(ids[start : start + _CHUNK])))
        found.extend(
            (hazard_id, geometry, recorded_on)
            for hazard_id, geometry, recorded_on in reader.connection.execute(query)
        )
    return found


def all_hazard_geometries(reader: RegisterReader) -> list[tuple[BaseGeometry, date]]:
    """(geometry, recorded on) of every live hazard area that has a geometry."""
    hazards = reader.table("hazards")
    query = reader.select("hazards", hazards.c.geometry, hazards.c.recorded_on).where(
        hazards.c.geometry.is_not(None)
    )
    return [(geometry, recorded_on) for geometry, recorded_on in reader.connection.execute(query)]


def casualty_baselines(reader: RegisterReader, refs: Refs) -> list[CasualtyBaseline]:
    """The reader's country's published casualty baselines, oldest first."""
    kind = KIND_BY_ENTITY[CasualtyBaseline]
    return [entity_from_row(kind, row, refs) for row in run_mappings(reader, _BASELINES)]


def _baselines(reader: RegisterReader, _shape: Any, _values: Parameters) -> Any:
    table = reader.table("casualty-baselines")
    return reader.select("casualty-baselines").order_by(table.c.as_of, table.c.external_id)


_BASELINES = Statement("casualties.baselines", _baselines)
