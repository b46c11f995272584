"""Probing the ground around one record: the finds and accidents near it, how far from
its declared area each lies (in metres, in the record's UTM zone), the worked part of the
area and of its rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from demine.analysis.records.evidence import TYPES, PointSet, RecordInputs
from demine.analysis.records.geometry_index import Box, PointIndex
from demine.analysis.records.measures import Nearby
from demine.analysis.records.projection import project, project_xy, search_box, utm_epsg
from demine.analysis.records.thresholds import Thresholds
from demine.domain.records import (
    DeclaredType,
    MinefieldRecord,
    MinefieldRow,
    declared_type_of,
    model_key,
)


@dataclass
class Probe:
    """One record's nearby points, with their distance (m) from its declared area."""

    epsg: int
    coverage: BaseGeometry
    tolerance_m: float
    finds: np.ndarray
    find_distance: np.ndarray
    accidents: np.ndarray
    accident_distance: np.ndarray

    def find_inside(self) -> np.ndarray:
        return np.asarray(self.finds[self.find_distance <= self.tolerance_m])

    def accident_inside(self) -> np.ndarray:
        return np.asarray(self.accidents[self.accident_distance <= self.tolerance_m])

    def finds_nearby(self, nearby_m: float) -> np.ndarray:
        """Mask of the probed finds outside the area but within ``nearby_m`` of it."""
        return (self.find_distance > self.tolerance_m) & (self.find_distance <= nearby_m)

    def accidents_nearby(self, nearby_m: float) -> np.ndarray:
        return (self.accident_distance > self.tolerance_m) & (self.accident_distance <= nearby_m)


def tolerance_for(record: MinefieldRecord, thresholds: Thresholds) -> float:
    """The tolerance, widened to the record's own stated uncertainty when that is larger."""
    return max(thresholds.tolerance_m, record.stated_uncertainty_m or 0.0)


def _distances(
    points: PointSet, index: PointIndex, coverage: BaseGeometry, box: Box, epsg: int
) -> tuple[np.ndarray, np.ndarray]:
    """The points in ``box`` and their distance (m) from the declared area."""
    chosen = index.in_box(box)
    if not len(chosen):
        return chosen, np.empty(0)
    x, y = project_xy(points.lon[chosen], points.lat[chosen], epsg)
    return chosen, np.asarray(shapely.distance(coverage, shapely.points(x, y)), dtype=float)


def probe_record(
    record: MinefieldRecord,
    inputs: RecordInputs,
    indexes: tuple[PointIndex, PointIndex],
    thresholds: Thresholds,
) -> Probe:
    assert record.geometry is not None
    centre = record.geometry.centroid
    epsg = utm_epsg(centre.x, centre.y)
    coverage = project(record.geometry, epsg)
    shapely.prepare(coverage)
    tolerance = tolerance_for(record, thresholds)
    box = search_box(record.geometry.bounds, max(tolerance, thresholds.nearby_m) * 1.05)
    finds, find_distance = _distances(inputs.finds, indexes[0], coverage, box, epsg)
    accidents, accident_distance = _distances(inputs.accidents, indexes[1], coverage, box, epsg)
    return Probe(epsg, coverage, tolerance, finds, find_distance, accidents, accident_distance)


def sum_by_type(points: PointSet, chosen: np.ndarray) -> dict[DeclaredType, int]:
    kinds = points.kind[chosen]
    quantities = points.quantity[chosen]
    return {t: int(quantities[kinds == i].sum()) for i, t in enumerate(TYPES)}


def nearby(distance: np.ndarray, weight: np.ndarray) -> Nearby:
    if not len(distance):
        return Nearby()
    return Nearby(int(weight.sum()), float(distance.min()), float(distance.max()))


def _worked_share(lines: list[BaseGeometry], weights: list[float], worked: BaseGeometry) -> float:
    """The weighted share of the rows' length that lies in worked land."""
    total = sum(weights)
    if total <= 0:
        return 0.0
    share = 0.0
    for line, weight in zip(lines, weights, strict=True):
        if line.length > 0:
            share += weight * line.intersection(worked).length / line.length
    return share / total


def row_measures(
    rows: list[MinefieldRow], probe: Probe, worked: BaseGeometry, finds: PointSet
) -> tuple[dict[DeclaredType, float], dict[DeclaredType, int]]:
    """For each type the record draws rows of: their worked share, the devices on them."""
    fractions: dict[DeclaredType, float] = {}
    on_rows: dict[DeclaredType, int] = {}
    inside = probe.find_inside()
    for index, kind in enumerate(TYPES):
        of_kind = [r for r in rows if declared_type_of(r.category) is kind and r.geometry]
        if not of_kind:
            continue
        lines = [project(r.geometry, probe.epsg) for r in of_kind if r.geometry is not None]
        # Rows weigh by the devices declared in them, or by their length if none says.
        counted = any(r.declared_count for r in of_kind)
        weights = [
            float(r.declared_count or 0) if counted else float(line.length)
            for r, line in zip(of_kind, lines, strict=True)
        ]
        fractions[kind] = _worked_share(lines, weights, worked)
        candidates = inside[finds.kind[inside] == index]
        x, y = project_xy(finds.lon[candidates], finds.lat[candidates], probe.epsg)
        near = shapely.dwithin(shapely.union_all(lines), shapely.points(x, y), probe.tolerance_m)
        on_rows[kind] = int(finds.quantity[candidates][np.asarray(near, dtype=bool)].sum())
    return fractions, on_rows


def models_found(
    record: MinefieldRecord, finds: PointSet, inside: np.ndarray
) -> tuple[dict[str, int], dict[str, int]]:
    declared = {m.model: m.count for m in record.declared_models}
    found: dict[str, int] = {}
    for model in declared:
        same = finds.model[inside] == model_key(model)
        found[model] = int(finds.quantity[inside][same].sum())
    return declared, found


def worked_area(
    probe: Probe, record_worked: np.ndarray | None, worked: list[BaseGeometry]
) -> BaseGeometry:
    """The part of the record's declared area that has been worked (projected)."""
    if record_worked is None or not len(record_worked):
        return shapely.Polygon()
    polygons = [project(worked[i], probe.epsg) for i in record_worked.tolist()]
    return shapely.intersection(shapely.union_all(polygons), probe.coverage)
