"""Comparing every record with the clearance evidence: its measures, in metres.

For every record: how much of its declared area has been worked, which finds lie where
it says (in the area, on the rows), and which finds and accidents lie nearby but outside
it. A find or accident inside *another* record's area is explained by that record and
is not held against this one. Each record is measured in its own UTM zone.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from demine.analysis.records.evidence import TYPES, RecordInputs
from demine.analysis.records.geometry_index import PointIndex, intersecting
from demine.analysis.records.measures import MeasuredRecords, RecordMeasure
from demine.analysis.records.probe import (
    Probe,
    models_found,
    nearby,
    probe_record,
    row_measures,
    sum_by_type,
    worked_area,
)
from demine.analysis.records.thresholds import Thresholds
from demine.domain.records import MinefieldRecord


def measure_records(inputs: RecordInputs, thresholds: Thresholds) -> MeasuredRecords:
    """Measure every record of ``inputs``; see the module docstring for what counts."""
    indexes = (
        PointIndex(inputs.finds.lon, inputs.finds.lat),
        PointIndex(inputs.accidents.lon, inputs.accidents.lat),
    )
    records = inputs.records
    geometries = [shapely.Polygon() if r.geometry is None else r.geometry for r in records]
    worked_by_record = intersecting(geometries, inputs.worked)
    district_codes = list(inputs.district_geometries)
    districts_by_record = intersecting(
        geometries, [inputs.district_geometries[c] for c in district_codes]
    )
    probes = [probe_record(record, inputs, indexes, thresholds) for record in records]
    # A point inside any record is explained by it, and counts against no other record.
    find_explained = np.zeros(len(inputs.finds), dtype=bool)
    accident_explained = np.zeros(len(inputs.accidents), dtype=bool)
    for probe in probes:
        find_explained[probe.find_inside()] = True
        accident_explained[probe.accident_inside()] = True
    find_outside = np.zeros(len(inputs.finds), dtype=bool)
    for probe in probes:
        find_outside[probe.finds[probe.finds_nearby(thresholds.nearby_m)]] = True
    find_outside &= ~find_explained
    measures = []
    for number, (record, probe) in enumerate(zip(records, probes, strict=True)):
        worked = worked_area(probe, worked_by_record.get(number), inputs.worked)
        touched = [district_codes[i] for i in districts_by_record.get(number, np.empty(0))]
        measures.append(
            _measure(
                record,
                probe,
                worked,
                inputs,
                thresholds,
                touched,
                find_explained,
                accident_explained,
            )
        )
    return MeasuredRecords(measures, find_explained, find_outside, accident_explained)


def _measure(
    record: MinefieldRecord,
    probe: Probe,
    worked: BaseGeometry,
    inputs: RecordInputs,
    thresholds: Thresholds,
    touched: list[str],
    find_explained: np.ndarray,
    accident_explained: np.ndarray,
) -> RecordMeasure:
    finds, accidents = inputs.finds, inputs.accidents
    inside = probe.find_inside()
    declared_area = float(probe.coverage.area)
    worked_area = float(worked.area)
    coverage = min(1.0, worked_area / declared_area) if declared_area > 0 else 0.0
    fractions, on_rows = row_measures(inputs.rows.get(record.external_id, []), probe, worked, finds)
    declared = record.declared()
    expected = {t: declared[t] * fractions.get(t, coverage) for t in TYPES}
    out = probe.finds_nearby(thresholds.nearby_m) & ~find_explained[probe.finds]
    outside = {
        t: nearby(
            probe.find_distance[out & (finds.kind[probe.finds] == i)],
            finds.quantity[probe.finds][out & (finds.kind[probe.finds] == i)],
        )
        for i, t in enumerate(TYPES)
    }
    accidents_out = (
        probe.accidents_nearby(thresholds.nearby_m) & ~accident_explained[probe.accidents]
    )
    declared_models, found_models = models_found(record, finds, inside)
    main_first = [record.district, *sorted(c for c in touched if c != record.district)]
    return RecordMeasure(
        record=record,
        districts=tuple(main_first),
        tolerance_m=probe.tolerance_m,
        declared_area_m2=declared_area,
        worked_area_m2=worked_area,
        declared=declared,
        expected=expected,
        found_inside=sum_by_type(finds, inside),
        found_on_rows=on_rows,
        outside=outside,
        accidents_outside=nearby(
            probe.accident_distance[accidents_out],
            accidents.quantity[probe.accidents][accidents_out],
        ),
        models_declared=declared_models,
        models_found=found_models,
    )
