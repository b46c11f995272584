"""Features of each cell measured to the register's earlier events, leakage-free.

For each kind of event (accidents, finds, hazards, minefield records, and all of them
together) a cell gets the distance to the nearest event and the number of events within
2, 5, 10 and 20 km. Then three features of how all events lie around the cell: how many
of the eight compass sectors hold an event within 3 km, how lopsided the directions to
those events are, and how many of the 24 cell-sized squares around the cell (its 5 × 5
block) hold an event — a cell inside a cluster of events is surrounded, a cell on its
rim is not, at the same distance. Two rules keep the labels (built from events) out of the features:

* only events that surely happened before the cut-off count (:mod:`.events`);
* events inside the cell itself never count — not in the distance, not in any count.

The second rule must hold exactly: a count of "the nearest N events" that skipped
own-cell events would still tell how many were skipped. Every count here is the events
within the radius minus the cell's own within it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from demine.analysis.risk.cells import LocalProjection, cell_half_size_m
from demine.analysis.risk.events import EventGroup, RegisterEvent
from demine.analysis.risk.surroundings import SURROUNDING_FEATURES, surrounding_columns

RADII_KM = (2, 5, 10, 20)
#: A cell with no event within this distance gets this distance.
DISTANCE_CAP_KM = 100.0
ANY = "any_event"
#: The distance-only baseline scores a cell by this feature (nearer is riskier).
BASELINE_FEATURE = f"{ANY}_distance_km"


def register_feature_names() -> list[str]:
    """The register features, in the order of the matrix columns."""
    names = []
    for group in [*(g.value for g in EventGroup), ANY]:
        names.append(f"{group}_distance_km")
        names += [f"{group}_within_{radius}km" for radius in RADII_KM]
    return [*names, *SURROUNDING_FEATURES]


@dataclass(frozen=True)
class RegisterFeatures:
    """The register features of every cell, and how many events each group used."""

    names: list[str]
    values: npt.NDArray[np.float64]
    events_used: dict[str, int]


def register_features(
    cells_m: npt.NDArray[np.float64],
    half_size_m: float,
    events: Sequence[RegisterEvent],
    events_m: npt.NDArray[np.float64],
    cutoff: date,
) -> RegisterFeatures:
    """Features of cells (plane metres) to the events before ``cutoff`` outside each cell.

    ``events_m`` holds each event's plane coordinates, in the order of ``events``.
    """
    known = np.array([event.known_before(cutoff) for event in events], dtype=bool)
    kinds = np.array([event.group.value for event in events], dtype=object)
    columns: list[npt.NDArray[np.float64]] = []
    used: dict[str, int] = {}
    for group in [*(g.value for g in EventGroup), ANY]:
        chosen = known if group == ANY else known & (kinds == group)
        points = events_m[chosen] if len(events) else np.empty((0, 2))
        used[group] = int(np.sum(chosen))
        columns += _group_columns(cells_m, half_size_m, points)
    columns += surrounding_columns(
        cells_m, half_size_m, events_m[known] if len(events) else events_m
    )
    return RegisterFeatures(register_feature_names(), np.column_stack(columns), used)


def _group_columns(
    cells_m: npt.NDArray[np.float64], half_size_m: float, points: npt.NDArray[np.float64]
) -> list[npt.NDArray[np.float64]]:
    """Distance to the nearest point outside each cell, and counts within the radii."""
    count = len(cells_m)
    if len(points) == 0:
        return [np.full(count, DISTANCE_CAP_KM), *(np.zeros(count) for _ in RADII_KM)]
    tree = cKDTree(points)
    own = _own_points(cells_m, half_size_m, points, tree)
    columns = [_nearest_outside(cells_m, points, tree, own)]
    for radius in RADII_KM:
        within = tree.query_ball_point(cells_m, radius * 1000.0, return_length=True)
        own_within = np.array(
            [
                int(np.sum(np.hypot(*(points[mine] - cells_m[cell]).T) <= radius * 1000.0))
                if mine
                else 0
                for cell, mine in enumerate(own)
            ]
        )
        columns.append((np.asarray(within) - own_within).astype(float))
    return columns


def _own_points(
    cells_m: npt.NDArray[np.float64],
    half_size_m: float,
    points: npt.NDArray[np.float64],
    tree: cKDTree,
) -> list[list[int]]:
    """For each cell, the points inside its square (edges included)."""
    candidates = tree.query_ball_point(cells_m, half_size_m * np.sqrt(2.0))
    own = []
    for cell, near in enumerate(candidates):
        offsets = np.abs(points[near] - cells_m[cell]) if near else np.empty((0, 2))
        own.append(
            [j for j, (dx, dy) in zip(near, offsets, strict=True) if max(dx, dy) <= half_size_m]
        )
    return own


def _nearest_outside(
    cells_m: npt.NDArray[np.float64],
    points: npt.NDArray[np.float64],
    tree: cKDTree,
    own: list[list[int]],
) -> npt.NDArray[np.float64]:
    """Kilometres to the nearest point not inside the cell, capped at the cap.

    Most cells hold no event: one query answers them all. A cell holding some asks for
    as many more neighbours as it holds, and skips its own.
    """
    cap_m = DISTANCE_CAP_KM * 1000.0
    distances, _indices = tree.query(cells_m, k=1, distance_upper_bound=cap_m)
    nearest = np.where(np.isfinite(distances), distances / 1000.0, DISTANCE_CAP_KM)
    for cell, mine in enumerate(own):
        if not mine:
            continue
        nearest[cell] = DISTANCE_CAP_KM
        k = min(len(points), len(mine) + 1)
        found, indices = tree.query(cells_m[cell], k=k, distance_upper_bound=cap_m)
        mine_set = set(mine)
        for distance, index in zip(np.atleast_1d(found), np.atleast_1d(indices), strict=True):
            if not np.isfinite(distance):
                break
            if index not in mine_set:
                nearest[cell] = distance / 1000.0
                break
    return np.asarray(nearest, dtype=float)


@dataclass(frozen=True)
class MeasuredCells:
    """A cells file's register features and the cell extent they were measured with."""

    features: RegisterFeatures
    half_size_m: float


def measure_cells(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    events: Sequence[RegisterEvent],
    cutoff: date,
    half_size_m: float | None = None,
) -> MeasuredCells:
    """Register features of cells given by their centres (degrees); a cell's half side
    is ``half_size_m`` if given, else derived from the cells' spacing."""
    projection = LocalProjection.around(lon, lat)
    cells_m = projection.metres(lon, lat)
    half_size = cell_half_size_m(cells_m) if half_size_m is None else half_size_m
    events_m = (
        projection.metres(
            np.array([event.lon for event in events]), np.array([event.lat for event in events])
        )
        if events
        else np.empty((0, 2))
    )
    return MeasuredCells(register_features(cells_m, half_size, events, events_m, cutoff), half_size)
