"""Minefield records verification at national scale, against geopandas and shapely.

Demine's side is what ``demine analyse records --as-of 2025-12-31`` runs: ``seconds``
times ``verify_inputs`` on inputs already read (the analysis only: every record's
measures, verdict and the programme's accidents outside all records);
``seconds_with_load`` times ``verify_records``, reading the register as well.

The references do the spatial joins the verdicts rest on, on the same geometries (the
GeoPackage's layers, read before timing): each record measured in its own UTM zone;
laid-device finds within the record's tolerance (inside) or outside it but within
500 m (nearby, unless inside another record), by declared type; accidents near each
record; and accidents of 2020-11-10..2025-12-31 outside every record. ``geopandas``
projects the points and calls ``geopandas.sjoin(predicate="dwithin")``; ``STRtree``
queries a ``shapely.STRtree`` of the projected records. Both agree with Demine once,
record by record, before timing (the references compute only these joins: coverage by
worked land, rows and verdicts are Demine's alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import pandas
import pyogrio
import shapely
from harness import Comparison, Context, Side, timed
from pyproj import Transformer

from demine.analysis.records.projection import utm_epsg
from demine.analysis.records.read import read_inputs
from demine.analysis.records.thresholds import DEFAULT_ACCIDENTS_FROM, Thresholds
from demine.analysis.records.verify import verify_inputs, verify_records
from demine.domain.records import LAID_CATEGORIES
from demine.store.engine import open_store
from demine.store.reader import RegisterReader

TITLE = "Minefield records verification (500 records, 1M finds, 5k accidents)"
BACKENDS = ("sqlite", "postgis")
COMPARISONS = [
    Comparison("seconds", "geopandas.sjoin", 1.0, "lower"),
    Comparison("seconds_strtree", "shapely STRtree", 1.0, "lower"),
]

AS_OF = date(2025, 12, 31)
THRESHOLDS = Thresholds()
TYPES = ("ap_mines", "at_mines", "other_devices")
_TYPE_OF = {category.value: TYPES.index(kind.value) for category, kind in LAID_CATEGORIES.items()}
#: Per record: found inside by type, nearby outside by type, accidents nearby outside.
Joined = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Layers:
    """What the references read from the GeoPackage, before timing."""

    records: geopandas.GeoDataFrame
    finds: geopandas.GeoDataFrame
    accidents: geopandas.GeoDataFrame


def read_layers(geopackage: Path) -> Layers:
    """Records received, laid-device finds made and accidents happened by ``AS_OF``."""
    records = pyogrio.read_dataframe(geopackage, layer="minefield_records")
    records = records[pandas.to_datetime(records["received_on"]).dt.date <= AS_OF]
    uncertainty = records["stated_uncertainty_m"].fillna(0.0).astype(float)
    records = records.assign(tolerance=np.maximum(THRESHOLDS.tolerance_m, uncertainty))
    finds = pyogrio.read_dataframe(
        geopackage, layer="finds", columns=["category", "quantity", "found_on"]
    )
    finds = finds[
        finds["category"].isin(list(_TYPE_OF))
        & (pandas.to_datetime(finds["found_on"]).dt.date <= AS_OF)
    ]
    finds = finds.assign(kind=finds["category"].map(_TYPE_OF).astype(np.int8))
    accidents = pyogrio.read_dataframe(geopackage, layer="accidents", columns=["occurred_on"])
    day = pandas.to_datetime(accidents["occurred_on"]).dt.date
    accidents = accidents[day <= AS_OF].assign(
        in_period=(day[day <= AS_OF] >= DEFAULT_ACCIDENTS_FROM).to_numpy()
    )
    return Layers(
        records.reset_index(drop=True),
        finds.reset_index(drop=True),
        accidents.reset_index(drop=True),
    )


def _zones(records: geopandas.GeoDataFrame) -> np.ndarray:
    centres = shapely.centroid(records.geometry.to_numpy())
    return np.array(
        [
            utm_epsg(x, y)
            for x, y in zip(shapely.get_x(centres), shapely.get_y(centres), strict=True)
        ]
    )


def _pairs_sjoin(
    points: geopandas.GeoDataFrame, records: geopandas.GeoDataFrame, epsg: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(point, record, distance m) of every point within 500 m of a record (zone ``epsg``)."""
    crs = f"EPSG:{epsg}"
    projected = points[["geometry"]].to_crs(crs)
    joined = geopandas.sjoin(
        projected, records, how="inner", predicate="dwithin", distance=THRESHOLDS.nearby_m
    )
    point = joined.index.to_numpy()
    record = joined["index_right"].to_numpy()
    distance = shapely.distance(
        projected.geometry.to_numpy()[point], records.geometry.loc[record].to_numpy()
    )
    return point, record, distance


def _pairs_strtree(
    lon: np.ndarray, lat: np.ndarray, polygons: np.ndarray, epsg: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True).transform(lon, lat)
    points = shapely.points(x, y)
    tree = shapely.STRtree(polygons)
    point, record = tree.query(points, predicate="dwithin", distance=THRESHOLDS.nearby_m)
    return point, record, shapely.distance(points[point], polygons[record])


def _tally(
    layers: Layers, pairs: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]
) -> tuple[Joined, int]:
    """Per-record figures and accidents outside all records, from (layer, point, record,
    distance) pairs (records numbered as in ``layers.records``)."""
    tolerance = layers.records["tolerance"].to_numpy()
    count = len(layers.records)
    found_inside = np.zeros((count, 3), np.int64)
    found_near = np.zeros((count, 3), np.int64)
    accidents_near = np.zeros(count, np.int64)
    find_pairs = [p for p in pairs if p[0] == "finds"]
    accident_pairs = [p for p in pairs if p[0] == "accidents"]
    point, record, distance = (np.concatenate([p[i] for p in find_pairs]) for i in (1, 2, 3))
    kind = layers.finds["kind"].to_numpy()[point]
    quantity = layers.finds["quantity"].to_numpy()[point]
    inside = distance <= tolerance[record]
    explained = np.zeros(len(layers.finds), bool)
    explained[point[inside]] = True
    np.add.at(found_inside, (record[inside], kind[inside]), quantity[inside])
    near = ~inside & ~explained[point]
    np.add.at(found_near, (record[near], kind[near]), quantity[near])
    point, record, distance = (np.concatenate([p[i] for p in accident_pairs]) for i in (1, 2, 3))
    inside = distance <= tolerance[record]
    accident_explained = np.zeros(len(layers.accidents), bool)
    accident_explained[point[inside]] = True
    near = ~inside & ~accident_explained[point]
    np.add.at(accidents_near, record[near], 1)
    outside = int((layers.accidents["in_period"].to_numpy() & ~accident_explained).sum())
    keys = layers.records["external_id"].tolist()
    joined = {
        key: (*found_inside[i].tolist(), *found_near[i].tolist(), int(accidents_near[i]))
        for i, key in enumerate(keys)
    }
    return joined, outside


def with_sjoin(layers: Layers) -> tuple[Joined, int]:
    """The joins with geopandas.sjoin, one UTM zone at a time."""
    zones = _zones(layers.records)
    pairs = []
    for epsg in np.unique(zones).tolist():
        chosen = np.flatnonzero(zones == epsg)
        records = layers.records.iloc[chosen][["geometry"]].to_crs(f"EPSG:{epsg}")
        records.index = chosen
        for name, points in (("finds", layers.finds), ("accidents", layers.accidents)):
            pairs.append((name, *_pairs_sjoin(points, records, epsg)))
    return _tally(layers, pairs)


def with_strtree(layers: Layers) -> tuple[Joined, int]:
    """The same joins with a shapely STRtree of each zone's projected records."""
    zones = _zones(layers.records)
    pairs = []
    for epsg in np.unique(zones).tolist():
        chosen = np.flatnonzero(zones == epsg)
        polygons = layers.records.iloc[chosen].to_crs(f"EPSG:{epsg}").geometry.to_numpy()
        for name, points in (("finds", layers.finds), ("accidents", layers.accidents)):
            geometry = points.geometry.to_numpy()
            point, record, distance = _pairs_strtree(
                shapely.get_x(geometry), shapely.get_y(geometry), polygons, epsg
            )
            pairs.append((name, point, chosen[record], distance))
    return _tally(layers, pairs)


def demine_joined(verification: Any) -> tuple[Joined, int]:
    """The same figures from Demine's verification."""
    joined = {}
    for result in verification.records:
        m = result.measure
        inside = tuple(m.found_inside[t] for t in m.found_inside)
        near = tuple(m.outside[t].count for t in m.outside)
        joined[m.record.external_id] = (*inside, *near, m.accidents_outside.count)
    return joined, verification.programme.accidents.outside


def check_agreement(demine: tuple[Joined, int], reference: tuple[Joined, int]) -> None:
    assert demine[1] == reference[1], ("accidents outside records", demine[1], reference[1])
    assert set(demine[0]) == set(reference[0]), "records differ"
    wrong = [key for key, figures in demine[0].items() if figures != reference[0][key]]
    assert not wrong, [(key, demine[0][key], reference[0][key]) for key in wrong[:3]]


def measure(side: Side, context: Context) -> dict[str, float]:
    (country, geopackage), *_rest = context.files
    store = open_store(context.database_url)
    try:
        with store.read() as connection:
            inputs = read_inputs(RegisterReader(connection, country), AS_OF)
        if side == "demine":
            verification = verify_inputs(inputs, THRESHOLDS, DEFAULT_ACCIDENTS_FROM, AS_OF)
            check_agreement(demine_joined(verification), with_strtree(read_layers(geopackage)))
            analysis = timed(
                lambda: verify_inputs(inputs, THRESHOLDS, DEFAULT_ACCIDENTS_FROM, AS_OF),
                context.repeats,
            )

            def with_load() -> object:
                with store.read() as connection:
                    return verify_records(RegisterReader(connection, country), AS_OF, THRESHOLDS)

            loaded = timed(with_load, context.repeats)
            return {
                "seconds": analysis.median,
                "seconds_strtree": analysis.median,
                "seconds_with_load": loaded.median,
                "records": float(len(verification.records)),
                "finds": float(len(inputs.finds)),
                "runs": len(analysis.runs),
            }
        layers = read_layers(geopackage)
        expected = demine_joined(verify_inputs(inputs, THRESHOLDS, DEFAULT_ACCIDENTS_FROM, AS_OF))
        check_agreement(expected, with_sjoin(layers))
        check_agreement(expected, with_strtree(layers))
        sjoin = timed(lambda: with_sjoin(layers), context.repeats)
        tree = timed(lambda: with_strtree(layers), context.repeats)
        return {
            "seconds": sjoin.median,
            "seconds_strtree": tree.median,
            "finds": float(len(layers.finds)),
            "runs": len(sjoin.runs),
        }
    finally:
        store.dispose()
