"""What verifying records reads from the register, as arrays ready for vectorised tests.

Finds and accidents are points; their stored bounding box *is* the point, so they are
read as plain numbers (no geometry decoding), which keeps a national register of a
million finds to a second or two of reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, select

from demine.domain.entities import AdminArea
from demine.domain.places import PlaceIndex
from demine.domain.records import (
    LAID_CATEGORIES,
    DeclaredType,
    MinefieldRecord,
    MinefieldRow,
    model_key,
)
from demine.domain.vocab import ActivityKind, AdminLevel, EOCategory
from demine.store import schema
from demine.store.live import counted
from demine.store.refs import load_area_refs
from demine.store.register import load_all

#: Order of declared types in the ``kind`` arrays (−1: a device no record declares).
TYPES: tuple[DeclaredType, ...] = (DeclaredType.AP, DeclaredType.AT, DeclaredType.OTHER)
NOT_LAID = -1
_TYPE_INDEX = {category: TYPES.index(kind) for category, kind in LAID_CATEGORIES.items()}

#: Activities whose teams work the ground itself, so that its polygon is verified land.
#: Non-technical survey only looks and asks; a spot task removes one item.
VERIFYING_KINDS = (
    ActivityKind.CLEARANCE,
    ActivityKind.BATTLE_AREA_CLEARANCE,
    ActivityKind.TECHNICAL_SURVEY,
)


@dataclass(frozen=True)
class PointSet:
    """Finds or accidents, one array entry each (longitude NaN: no location)."""

    lon: np.ndarray
    lat: np.ndarray
    #: Index into ``TYPES``, or ``NOT_LAID``.
    kind: np.ndarray
    quantity: np.ndarray
    #: Model keys (see :func:`model_key`), "" when unknown.
    model: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    district: np.ndarray

    def __len__(self) -> int:
        return len(self.lon)

    @classmethod
    def build(
        cls,
        lon: Sequence[float | None],
        lat: Sequence[float | None],
        category: Sequence[str | None],
        quantity: Sequence[int],
        model: Sequence[str | None] | None = None,
        earliest: Sequence[date] | None = None,
        latest: Sequence[date] | None = None,
        district: Sequence[str] | None = None,
    ) -> PointSet:
        """A point set from plain sequences (``None`` coordinates become NaN); models,
        dates and districts left out are unknown."""
        count = len(lon)
        # A register holds few distinct categories and models: convert each once.
        kinds = {c: _TYPE_INDEX.get(EOCategory(c), NOT_LAID) for c in set(category) if c}
        models = {m: model_key(m) for m in set(model or ()) if m}
        return cls(
            lon=np.array(lon, dtype=float),
            lat=np.array(lat, dtype=float),
            kind=np.array([kinds.get(c, NOT_LAID) if c else NOT_LAID for c in category], np.int8),
            quantity=np.asarray(quantity, dtype=np.int64),
            model=np.array(
                [models[m] if m else "" for m in model] if model else [""] * count, dtype=object
            ),
            earliest=_days(earliest, count),
            latest=_days(latest, count),
            district=np.array(district if district else [""] * count, dtype=object),
        )


def _days(days: Sequence[date] | None, count: int) -> np.ndarray:
    if days is None:
        return np.full(count, np.datetime64("NaT"), dtype="datetime64[D]")
    return np.array([d.isoformat() for d in days], dtype="datetime64[D]")


@dataclass(frozen=True)
class RecordInputs:
    """Records received by ``as_of`` and the clearance evidence known by then."""

    country: str
    as_of: date
    records: list[MinefieldRecord]
    rows: dict[str, list[MinefieldRow]]
    #: Worked-area polygons (lon/lat) of activities ended by ``as_of``.
    worked: list[BaseGeometry]
    finds: PointSet
    accidents: PointSet
    places: PlaceIndex
    district_geometries: dict[str, BaseGeometry] = field(default_factory=dict)


def load_inputs(connection: Connection, country: str, as_of: date) -> RecordInputs:
    """Everything record verification needs for ``country`` as known on ``as_of``."""
    refs = load_area_refs(connection)
    areas = load_all(connection, AdminArea, refs)
    places = PlaceIndex(country, areas)
    records = [
        r
        for r in load_all(connection, MinefieldRecord, refs, country)
        if r.received_on <= as_of and r.geometry is not None
    ]
    wanted = {r.external_id for r in records}
    rows: dict[str, list[MinefieldRow]] = defaultdict(list)
    for row in load_all(connection, MinefieldRow, refs):
        if row.record in wanted and row.geometry is not None:
            rows[row.record].append(row)
    district_code = refs.areas.key_by_id
    return RecordInputs(
        country=country,
        as_of=as_of,
        records=records,
        rows=dict(rows),
        worked=_worked(connection, country, as_of),
        finds=_finds(connection, country, as_of),
        accidents=_accidents(connection, country, as_of, district_code),
        places=places,
        district_geometries={
            code: area.geometry
            for code, area in places.areas.items()
            if area.geometry is not None and area.level is AdminLevel.DISTRICT
        },
    )


def _worked(connection: Connection, country: str, as_of: date) -> list[BaseGeometry]:
    table = schema.activities
    statement = select(table.c.geometry).where(
        table.c.country == country,
        counted(table),
        table.c.end_date <= as_of,
        table.c.geometry.is_not(None),
        table.c.kind.in_([k.value for k in VERIFYING_KINDS]),
    )
    return [geometry for (geometry,) in connection.execute(statement)]


def _finds(connection: Connection, country: str, as_of: date) -> PointSet:
    """Finds by then of devices that records declare, with what comparing them needs.

    UXO is left out: it cannot confirm or refute a minefield. Dates and districts are
    not needed (the date filter is applied here), which keeps a million finds quick.
    """
    table = schema.device_finds
    statement = select(
        table.c.min_x, table.c.min_y, table.c.category, table.c.quantity, table.c.model
    ).where(
        table.c.country == country,
        counted(table),
        table.c.min_x.is_not(None),
        table.c.found_earliest <= as_of,
        table.c.category.in_([c.value for c in LAID_CATEGORIES]),
    )
    rows = connection.execute(statement).all()
    if not rows:
        return PointSet.build([], [], [], [])
    lon, lat, category, quantity, model = zip(*rows, strict=True)
    return PointSet.build(lon, lat, category, quantity, model)


def _accidents(
    connection: Connection, country: str, as_of: date, district_code: dict[int, str]
) -> PointSet:
    table = schema.accidents
    statement = select(
        table.c.min_x,
        table.c.min_y,
        table.c.device_category,
        table.c.occurred_earliest,
        table.c.occurred_latest,
        table.c.district_id,
    ).where(table.c.country == country, counted(table), table.c.occurred_earliest <= as_of)
    rows = connection.execute(statement).all()
    if not rows:
        return PointSet.build([], [], [], [])
    lon, lat, category, earliest, latest, district = zip(*rows, strict=True)
    return PointSet.build(
        lon,
        lat,
        category,
        [1] * len(rows),
        earliest=earliest,
        latest=latest,
        district=[district_code[d] for d in district],
    )
