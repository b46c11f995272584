"""The records and the clearance evidence verification works on, as arrays ready for
vectorised tests (read from the register by :mod:`demine.analysis.records.read`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from shapely.geometry.base import BaseGeometry

from demine.domain.places import PlaceIndex
from demine.domain.records import (
    LAID_CATEGORIES,
    DeclaredType,
    MinefieldRecord,
    MinefieldRow,
    model_key,
)
from demine.domain.vocab import ActivityKind, EOCategory

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
