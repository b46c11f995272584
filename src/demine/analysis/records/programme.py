"""Programme figures: how far records can be trusted, and how much danger lies outside them.

Two figures decide how much a programme can lean on handed-over records when tasking
teams: the share of verified records that proved accurate, and the share of accidents
that happened outside every record's declared area. Both are given nationally, by
district and by who handed the records over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from demine.analysis.records.evidence import PointSet
from demine.analysis.records.thresholds import Verdict
from demine.domain.places import PlaceIndex
from demine.domain.records import MinefieldRecord


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class RecordTally:
    """Records by verdict, for the programme, a district or a source."""

    verdicts: Counter[Verdict] = field(default_factory=Counter)

    def add(self, verdict: Verdict) -> None:
        self.verdicts[verdict] += 1

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())

    @property
    def verified(self) -> int:
        """Records with a verdict (enough of the area worked to judge)."""
        return self.total - self.verdicts[Verdict.NOT_YET_VERIFIABLE]

    @property
    def accurate(self) -> int:
        return self.verdicts[Verdict.ACCURATE]

    @property
    def accurate_share(self) -> float | None:
        return _share(self.accurate, self.verified)

    def to_json(self) -> dict[str, Any]:
        return {
            "records_total": self.total,
            "records_verified": self.verified,
            "records_accurate": self.accurate,
            "accurate_share": self.accurate_share,
            "by_verdict": {v.value: self.verdicts[v] for v in Verdict},
        }


@dataclass
class AccidentTally:
    """Accidents in the period: how many, how many located, how many outside all records."""

    total: int = 0
    located: int = 0
    outside: int = 0

    @property
    def outside_share(self) -> float | None:
        return _share(self.outside, self.located)

    def to_json(self) -> dict[str, Any]:
        return {
            "accidents_total": self.total,
            "accidents_located": self.located,
            "accidents_outside_records": self.outside,
            "accidents_outside_records_share": self.outside_share,
        }


@dataclass
class ProgrammeFigures:
    """Nationally, by district (the record's main district) and by source."""

    period_start: date
    period_end: date
    records: RecordTally
    accidents: AccidentTally
    by_district: dict[str, tuple[RecordTally, AccidentTally]]
    by_source: dict[str, RecordTally]
    #: Canonical as a mapping (JSON), per language through ``shown_names`` (people).
    district_names: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.records.to_json(),
            **self.accidents.to_json(),
            "accidents_from": self.period_start.isoformat(),
            "accidents_to": self.period_end.isoformat(),
            "by_district": [
                {
                    "district": self.district_names.get(code, code),
                    "code": code,
                    **records.to_json(),
                    **accidents.to_json(),
                }
                for code, (records, accidents) in self.by_district.items()
            ],
            "by_source": [
                {"source": source, **tally.to_json()} for source, tally in self.by_source.items()
            ],
        }


def in_period(points: PointSet, start: date, end: date) -> np.ndarray:
    """Points whose whole date range lies in ``start``–``end`` (a month-dated accident
    counts only in a period holding that whole month: never guessed into one)."""
    return np.asarray(
        (points.earliest >= np.datetime64(start, "D")) & (points.latest <= np.datetime64(end, "D"))
    )


def programme_figures(
    judged: list[tuple[MinefieldRecord, Verdict]],
    accidents: PointSet,
    accident_inside_any: np.ndarray,
    places: PlaceIndex,
    period: tuple[date, date],
) -> ProgrammeFigures:
    """Tally verdicts and the period's accidents against the records' areas."""
    overall = RecordTally()
    districts: dict[str, tuple[RecordTally, AccidentTally]] = {}
    sources: dict[str, RecordTally] = {}
    for record, verdict in judged:
        overall.add(verdict)
        districts.setdefault(record.district, (RecordTally(), AccidentTally()))[0].add(verdict)
        sources.setdefault(record.source, RecordTally()).add(verdict)
    chosen = in_period(accidents, *period)
    located = chosen & ~np.isnan(accidents.lon)
    outside = located & ~accident_inside_any
    totals = AccidentTally(int(chosen.sum()), int(located.sum()), int(outside.sum()))
    for index in np.flatnonzero(chosen).tolist():
        code = str(accidents.district[index])
        tally = districts.setdefault(code, (RecordTally(), AccidentTally()))[1]
        tally.total += 1
        tally.located += int(located[index])
        tally.outside += int(outside[index])
    ordered = places.in_reporting_order(c for c in districts if c in places.areas)
    ordered += sorted(c for c in districts if c not in places.areas)
    return ProgrammeFigures(
        period_start=period[0],
        period_end=period[1],
        records=overall,
        accidents=totals,
        by_district={code: districts[code] for code in ordered},
        by_source=dict(sorted(sources.items())),
        district_names=places.names(),
    )
