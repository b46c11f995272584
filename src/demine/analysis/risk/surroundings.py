"""How the earlier events outside a cell lie around it: the surroundings features.

A cell inside a cluster of events is surrounded; a cell on its rim, at the same distance
to the nearest event, is not. Three features tell them apart, all measured to every
event (of any kind) outside the cell's own square — the cell's own events count nowhere,
as for every register feature (see :mod:`.features`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

#: The surroundings are measured to events of every kind, named like the ``any_event``
#: group of :mod:`.features`.
EVENTS = "any_event"
#: The surroundings features look at all events within this radius …
SURROUNDING_RADIUS_KM = 3
#: … in this many compass sectors,
SECTORS = 8
#: and at the squares of the cell's size up to this many rings around it (5 × 5 block).
RINGS = 2
#: Cells measured at once for the surroundings (bounds the memory of the pairs).
CHUNK_CELLS = 20_000
SURROUNDING_FEATURES = (
    f"{EVENTS}_sectors_within_{SURROUNDING_RADIUS_KM}km",
    f"{EVENTS}_direction_bias_{SURROUNDING_RADIUS_KM}km",
    f"{EVENTS}_cells_around",
)


def surrounding_columns(
    cells_m: npt.NDArray[np.float64], half_size_m: float, points: npt.NDArray[np.float64]
) -> list[npt.NDArray[np.float64]]:
    """How the events outside each cell lie around it.

    * the number of compass sectors (of :data:`SECTORS`) holding an event within
      :data:`SURROUNDING_RADIUS_KM`;
    * the direction bias: the length of the mean unit vector from the cell's centre to
      those events (0 when they surround it evenly, 1 when all lie in one direction or
      there are none);
    * the number of the squares of the cell's size in the :data:`RINGS` rings around the
      cell (24 for two rings) that hold an event.

    Each is computed from (cell, event) pairs, dropping every pair whose event lies in the
    cell's own square (edges included), so the cell's own events count nowhere. Cells
    are taken :data:`CHUNK_CELLS` at a time, so a large grid's pairs never all sit in
    memory at once.
    """
    if len(points) and len(cells_m) > CHUNK_CELLS:
        parts = [
            surrounding_columns(cells_m[start : start + CHUNK_CELLS], half_size_m, points)
            for start in range(0, len(cells_m), CHUNK_CELLS)
        ]
        return [np.concatenate(column) for column in zip(*parts, strict=True)]
    count = len(cells_m)
    sectors = np.zeros(count)
    bias = np.ones(count)
    around = np.zeros(count)
    if len(points) == 0:
        return [sectors, bias, around]
    tree = cKDTree(points)
    side = 2.0 * half_size_m
    reach = max(SURROUNDING_RADIUS_KM * 1000.0, (RINGS + 0.5) * side * np.sqrt(2.0))
    cell, event = _pairs(tree.query_ball_point(cells_m, reach))
    offsets = points[event] - cells_m[cell]
    outside = np.max(np.abs(offsets), axis=1) > half_size_m
    cell, offsets = cell[outside], offsets[outside]
    distance = np.hypot(offsets[:, 0], offsets[:, 1])

    near = distance <= SURROUNDING_RADIUS_KM * 1000.0
    near_cell, near_offsets = cell[near], offsets[near]
    angle = np.arctan2(near_offsets[:, 1], near_offsets[:, 0])
    sector = np.floor((angle + np.pi) / (2.0 * np.pi) * SECTORS).astype(int) % SECTORS
    occupied = np.unique(near_cell * SECTORS + sector) // SECTORS
    np.add.at(sectors, occupied, 1.0)
    units = near_offsets / distance[near][:, None]
    totals = np.zeros((count, 2))
    np.add.at(totals, near_cell, units)
    numbers = np.bincount(near_cell, minlength=count)
    has = numbers > 0
    bias[has] = np.hypot(totals[has, 0], totals[has, 1]) / numbers[has]

    steps = np.round(offsets / side).astype(int)
    ring = np.max(np.abs(steps), axis=1)
    inside = (ring >= 1) & (ring <= RINGS)
    width = 2 * RINGS + 1
    square = (steps[inside, 0] + RINGS) * width + (steps[inside, 1] + RINGS)
    held = np.unique(cell[inside] * width * width + square) // (width * width)
    np.add.at(around, held, 1.0)
    return [sectors, bias, around]


def _pairs(neighbours: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(cell, point) index pairs from a ball query's lists of points per cell."""
    lengths = np.array([len(found) for found in neighbours], dtype=np.int64)
    cell = np.repeat(np.arange(len(neighbours), dtype=np.int64), lengths)
    point = (
        np.concatenate([np.asarray(found, dtype=np.int64) for found in neighbours])
        if lengths.sum()
        else np.empty(0, dtype=np.int64)
    )
    return cell, point
