"""Finding, fast, the evidence that lies near each record.

Finds and accidents are indexed by longitude (two binary searches and a mask give the
points in a box); worked areas and districts sit in shapely STR-trees. Both answer a
national register's worth of queries in well under a second.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

Box = tuple[float, float, float, float]


class PointIndex:
    """Points sorted by longitude; points without a location are left out."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray) -> None:
        located = np.flatnonzero(~np.isnan(lon) & ~np.isnan(lat))
        order = located[np.argsort(lon[located], kind="stable")]
        self._order = order
        self._lon = lon[order]
        self._lat = lat[order]

    def in_box(self, box: Box) -> np.ndarray:
        """Indices (into the arrays given) of the points inside ``box``, in index order."""
        min_x, min_y, max_x, max_y = box
        low = int(np.searchsorted(self._lon, min_x, side="left"))
        high = int(np.searchsorted(self._lon, max_x, side="right"))
        lat = self._lat[low:high]
        chosen = self._order[low:high][(lat >= min_y) & (lat <= max_y)]
        return np.sort(chosen)


def intersecting(
    queries: list[BaseGeometry], geometries: list[BaseGeometry]
) -> dict[int, np.ndarray]:
    """For each query (by position), the positions of ``geometries`` it intersects."""
    found: dict[int, list[int]] = defaultdict(list)
    if queries and geometries:
        tree = shapely.STRtree(geometries)
        query_index, tree_index = tree.query(queries, predicate="intersects")
        for q, g in zip(query_index.tolist(), tree_index.tolist(), strict=True):
            found[q].append(g)
    return {q: np.array(sorted(g), dtype=np.int64) for q, g in found.items()}
