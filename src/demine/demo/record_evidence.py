"""Clearance evidence for the demo's designed minefield records, from existing activities.

The demo's weekly totals are exact, so no device may be added. Instead, some clearance
activities of the right district and years (never of a published week) are moved onto a
record: each gets a strip of the record as its worked area and its mines are placed on
the declared rows of their type; others get a patch of worked land nearby outside the
record, holding their devices. Counts, dates and districts stay as they were; only
positions, worked polygons and hazard links change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from shapely.geometry import Point

from demine.demo.record_frames import ROW_MARGIN, Frame
from demine.domain.entities import Activity, DeviceFind
from demine.domain.vocab import ActivityKind, EOCategory

#: Worked strips reach this far (metres) beyond the record's sides: teams clear a margin.
STRIP_MARGIN = 5.0
#: How far (metres) a find may lie from its row's line; well inside any tolerance.
ROW_SCATTER = 6.0
MINES = (EOCategory.AP_MINE, EOCategory.AT_MINE)


@dataclass
class Pool:
    """Clearance activities that may be moved onto records, and their finds."""

    activities: list[Activity]
    finds: dict[str, list[DeviceFind]]
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._mines = {
            a.external_id: sum(
                f.quantity for f in self.finds.get(a.external_id, []) if f.category in MINES
            )
            for a in self.activities
        }

    def mines(self, activity: Activity) -> int:
        return self._mines[activity.external_id]

    def candidates(
        self, rng: np.random.Generator, district: str, window: tuple[date, date]
    ) -> Iterator[Activity]:
        """Unused clearance activities with mines in ``district`` during ``window``."""
        chosen = [
            a
            for a in self.activities
            if a.district == district
            and window[0] <= a.start_date
            and a.end_date <= window[1]
            and a.external_id not in self.used
            and self.mines(a) > 0
        ]
        for index in rng.permutation(len(chosen)).tolist():
            if chosen[index].external_id not in self.used:
                yield chosen[index]


@dataclass
class Evidence:
    """What was moved onto one record, and the mines now lying on its rows."""

    activities: list[Activity] = field(default_factory=list)
    finds: list[DeviceFind] = field(default_factory=list)
    on_rows: Counter[EOCategory] = field(default_factory=Counter)
    outside: int = 0
    models: Counter[tuple[EOCategory, str]] = field(default_factory=Counter)


def _on_row(
    rng: np.random.Generator, frame: Frame, rows: list[float], strip: tuple[float, float]
) -> tuple[float, float]:
    low = max(strip[0], ROW_MARGIN)
    high = min(strip[1], frame.length - ROW_MARGIN)
    v = rows[int(rng.integers(len(rows)))] + float(
        np.clip(rng.normal(0.0, ROW_SCATTER / 2), -ROW_SCATTER, ROW_SCATTER)
    )
    return float(rng.uniform(low, high)), v


def _place(find: DeviceFind, frame: Frame, u: float, v: float) -> DeviceFind:
    point: Point = frame.point(u, v)
    return replace(find, geometry=point)


def work_inside(
    rng: np.random.Generator,
    frame: Frame,
    rows: dict[EOCategory, list[float]],
    activities: list[Activity],
    pool: Pool,
    worked_to: float,
    evidence: Evidence,
) -> None:
    """Give ``activities`` strips from u = 0 to ``worked_to`` and put their mines on rows."""
    edges = np.linspace(-STRIP_MARGIN, worked_to, len(activities) + 1)
    half = frame.width / 2
    for activity, u0, u1 in zip(activities, edges[:-1], edges[1:], strict=True):
        strip = (float(u0), float(u1))
        evidence.activities.append(
            replace(
                activity,
                hazard=None,
                geometry=frame.box(strip[0], strip[1], -half - STRIP_MARGIN, half + STRIP_MARGIN),
            )
        )
        for find in pool.finds[activity.external_id]:
            if find.category in rows:
                u, v = _on_row(rng, frame, rows[find.category], strip)
                evidence.on_rows[find.category] += find.quantity
                evidence.models[(find.category, find.model or "")] += find.quantity
            else:
                u = float(rng.uniform(max(strip[0], 0.0), min(strip[1], frame.length)))
                v = float(rng.uniform(-half, half))
            evidence.finds.append(_place(find, frame, u, v))
        pool.used.add(activity.external_id)


def work_outside(
    rng: np.random.Generator,
    frame: Frame,
    activities: list[Activity],
    pool: Pool,
    distance: float,
    evidence: Evidence,
) -> None:
    """Give ``activities`` patches ``distance`` metres beside the record, finds in them."""
    half = frame.width / 2
    for activity in activities:
        start = float(rng.uniform(0.0, max(1.0, frame.length - 120.0)))
        patch = (start, start + 120.0, half + distance, half + distance + 60.0)
        evidence.activities.append(replace(activity, hazard=None, geometry=frame.box(*patch)))
        for find in pool.finds[activity.external_id]:
            u = float(rng.uniform(patch[0] + 2, patch[1] - 2))
            v = float(rng.uniform(patch[2] + 2, patch[3] - 2))
            evidence.finds.append(_place(find, frame, u, v))
            if find.category in MINES:
                evidence.outside += find.quantity
        pool.used.add(activity.external_id)


def is_clearance(activity: Activity, published: set[date]) -> bool:
    """A clearance activity outside the published weeks (whose maps stay as they were)."""
    return activity.kind is ActivityKind.CLEARANCE and activity.start_date not in published
