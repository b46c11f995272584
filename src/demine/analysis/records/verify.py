"""Verifying every record of a country against its clearance results, and the JSON of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from demine.analysis.records.compare import measure_records
from demine.analysis.records.evidence import TYPES, RecordInputs
from demine.analysis.records.measures import RecordMeasure
from demine.analysis.records.programme import ProgrammeFigures, in_period, programme_figures
from demine.analysis.records.read import read_inputs
from demine.analysis.records.thresholds import DEFAULT_ACCIDENTS_FROM, Thresholds, Verdict
from demine.analysis.records.verdict import judge, reason
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader

#: Accidents since the end of the 2020 war count by default: the bulletins' "recent".


@dataclass(frozen=True)
class RecordResult:
    """One record's measures, verdict and the reason for it."""

    measure: RecordMeasure
    verdict: Verdict
    reason: str

    def to_json(self) -> dict[str, Any]:
        m, record = self.measure, self.measure.record
        found_share = m.found_share
        return {
            "id": record.external_id,
            "verdict": self.verdict.value,
            "coverage_share": round(m.coverage_share, 4),
            "declared": {
                **{t.value: m.declared[t] for t in TYPES},
                "models": m.models_declared,
            },
            "found_inside": {
                **{t.value: m.found_inside[t] for t in TYPES},
                "on_rows": {t.value: n for t, n in m.found_on_rows.items()},
                "models": m.models_found,
            },
            "found_outside_nearby": {
                **{t.value: m.outside[t].count for t in TYPES},
                "accidents": m.accidents_outside.count,
                "distance_m": _distances(m),
            },
            "reason": self.reason,
            "district": record.district,
            "districts": list(m.districts),
            "source": record.source,
            "received_on": record.received_on.isoformat(),
            "record_type": record.record_type.value,
            "status": record.status.value,
            "tolerance_m": m.tolerance_m,
            "declared_area_m2": round(m.declared_area_m2, 1),
            "worked_area_m2": round(m.worked_area_m2, 1),
            "expected": {t.value: round(m.expected[t], 2) for t in TYPES},
            "found_share": None if found_share is None else round(found_share, 4),
            "outside_share": round(m.outside_share, 4),
        }


def _distances(measure: RecordMeasure) -> dict[str, float] | None:
    nearby = [n for n in (*measure.outside.values(), measure.accidents_outside) if n.count]
    if not nearby:
        return None
    return {
        "min": round(min(_metres(n.min_m) for n in nearby), 1),
        "max": round(max(_metres(n.max_m) for n in nearby), 1),
    }


def _metres(value: float | None) -> float:
    assert value is not None
    return value


@dataclass(frozen=True)
class MapLayers:
    """What the map draws: districts, records by verdict, finds and accidents in or out."""

    districts: list[tuple[str, BaseGeometry]]
    finds_inside: np.ndarray
    finds_outside: np.ndarray
    accidents_inside: np.ndarray
    accidents_outside: np.ndarray


@dataclass(frozen=True)
class RecordsVerification:
    """Every record's verdict and the programme figures, as of one day."""

    country: str
    as_of: date
    thresholds: Thresholds
    records: list[RecordResult]
    programme: ProgrammeFigures
    map: MapLayers

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "as_of": self.as_of.isoformat(),
            "thresholds": self.thresholds.to_json(),
            "records": [r.to_json() for r in self.records],
            "programme": self.programme.to_json(),
        }


def verify_inputs(
    inputs: RecordInputs, thresholds: Thresholds, accidents_from: date, accidents_to: date
) -> RecordsVerification:
    """Judge every record of ``inputs`` (no database: the benchmark calls this directly)."""
    if accidents_to < accidents_from:
        raise InvalidRequestError(
            _(
                "the accident period ends ({accidents_to}) before it starts ({accidents_from})"
            ).format(accidents_to=accidents_to, accidents_from=accidents_from)
        )
    measured = measure_records(inputs, thresholds)
    results = []
    for measure in measured.records:
        verdict = judge(measure, thresholds)
        results.append(RecordResult(measure, verdict, reason(measure, thresholds)))
    programme = programme_figures(
        [(r.measure.record, r.verdict) for r in results],
        inputs.accidents,
        measured.accident_inside_any,
        inputs.places,
        (accidents_from, accidents_to),
    )
    finds, accidents = inputs.finds, inputs.accidents
    located = in_period(accidents, accidents_from, accidents_to) & ~np.isnan(accidents.lon)
    layers = MapLayers(
        districts=[
            (inputs.places.areas[code].name, geometry)
            for code, geometry in inputs.district_geometries.items()
        ],
        finds_inside=np.column_stack([finds.lon, finds.lat])[measured.find_inside_any],
        finds_outside=np.column_stack([finds.lon, finds.lat])[measured.find_outside_nearby],
        accidents_inside=np.column_stack([accidents.lon, accidents.lat])[
            located & measured.accident_inside_any
        ],
        accidents_outside=np.column_stack([accidents.lon, accidents.lat])[
            located & ~measured.accident_inside_any
        ],
    )
    return RecordsVerification(inputs.country, inputs.as_of, thresholds, results, programme, layers)


def verify_records(
    reader: RegisterReader,
    as_of: date,
    thresholds: Thresholds | None = None,
    accidents_from: date = DEFAULT_ACCIDENTS_FROM,
    accidents_to: date | None = None,
) -> RecordsVerification:
    """Every minefield record of the reader's country received by ``as_of``, judged on
    the live evidence known by then; accidents from ``accidents_from`` to
    ``accidents_to`` (default ``as_of``) counted against all records' areas."""
    inputs = read_inputs(reader, as_of)
    return verify_inputs(inputs, thresholds or Thresholds(), accidents_from, accidents_to or as_of)
