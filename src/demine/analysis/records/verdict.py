"""A record's verdict, by the rules of ``docs/records-verification.md``, and its reason.

The reason says in words what the verdict rests on, e.g. "38 of 40 declared AT mines
found within 25 m of the declared rows; 2 AP mines found 140 m outside the declared
area", so that a reader can check it against the map without knowing the rules.
"""

from __future__ import annotations

import math

from demine.analysis.records.evidence import TYPES
from demine.analysis.records.measures import Nearby, RecordMeasure
from demine.analysis.records.thresholds import Thresholds, Verdict
from demine.domain.records import DeclaredType
from demine.i18n import _, format_number, ngettext


def judge(measure: RecordMeasure, thresholds: Thresholds) -> Verdict:
    """The verdict on one record (see the docs page for the rules, in this order)."""
    if measure.coverage_share < thresholds.min_coverage:
        return Verdict.NOT_YET_VERIFIABLE
    found = measure.found_share
    if found is None:
        return Verdict.NOT_YET_VERIFIABLE
    outside = measure.outside_share
    if (
        found >= thresholds.accurate_found_share
        and outside <= thresholds.accurate_max_outside_share
    ):
        return Verdict.ACCURATE
    if found < thresholds.inaccurate_found_share or outside > thresholds.inaccurate_outside_share:
        return Verdict.INACCURATE
    return Verdict.PARTLY_ACCURATE


def _devices(kind: DeclaredType, count: int) -> str:
    if kind is DeclaredType.AP:
        return ngettext("AP mine", "AP mines", count)
    if kind is DeclaredType.AT:
        return ngettext("AT mine", "AT mines", count)
    return ngettext("other device", "other devices", count)


def _percent(share: float) -> str:
    if 0 < share < 0.005:
        return _("under 1%")
    return format_number(share * 100) + "%"


def _distance(nearby: Nearby) -> str:
    """ "140 m" or "60–140 m" (whole metres)."""
    assert nearby.min_m is not None and nearby.max_m is not None
    low, high = round(nearby.min_m), round(nearby.max_m)
    if low == high:
        return _("{metres} m").format(metres=format_number(low))
    return _("{low}–{high} m").format(low=format_number(low), high=format_number(high))


def _found_clause(measure: RecordMeasure, kind: DeclaredType) -> str:
    declared = measure.declared[kind]
    values = {
        "found": format_number(measure.matched(kind)),
        "declared": format_number(declared),
        "devices": _devices(kind, declared),
        "metres": format_number(measure.tolerance_m),
    }
    if kind in measure.found_on_rows:
        clause = _(
            "{found} of {declared} declared {devices} found within {metres} m of the declared rows"
        ).format(**values)
    else:
        clause = _("{found} of {declared} declared {devices} found in the declared area").format(
            **values
        )
    expected = measure.expected[kind]
    if expected < declared:
        clause += " " + _("({expected} expected in the part worked so far)").format(
            expected=format_number(math.floor(expected + 0.5))
        )
    return clause


def _outside_clauses(measure: RecordMeasure, thresholds: Thresholds) -> list[str]:
    clauses = []
    for kind in TYPES:
        nearby = measure.outside[kind]
        if nearby.count:
            clauses.append(
                _("{count} {devices} found {distance} outside the declared area").format(
                    count=format_number(nearby.count),
                    devices=_devices(kind, nearby.count),
                    distance=_distance(nearby),
                )
            )
    accidents = measure.accidents_outside
    if accidents.count:
        clauses.append(
            ngettext(
                "{count} accident {distance} outside it",
                "{count} accidents {distance} outside it",
                accidents.count,
            ).format(count=format_number(accidents.count), distance=_distance(accidents))
        )
    if not clauses:
        clauses.append(
            _("nothing found within {metres} m outside it").format(
                metres=format_number(thresholds.nearby_m)
            )
        )
    return clauses


def reason(measure: RecordMeasure, thresholds: Thresholds) -> str:
    """The verdict's grounds as one sentence a person can check."""
    if measure.coverage_share <= 0:
        return _(
            "None of the declared area has been worked yet ({needed} needed to judge the record)."
        ).format(needed=_percent(thresholds.min_coverage))
    if measure.coverage_share < thresholds.min_coverage:
        return _(
            "Only {worked} of the declared area has been worked so far ({needed} needed to "
            "judge the record)."
        ).format(worked=_percent(measure.coverage_share), needed=_percent(thresholds.min_coverage))
    if measure.found_share is None:
        if not any(measure.declared.values()):
            return _("The record declares no mines to look for.")
        return _("None of the declared rows lies in worked land yet.")
    clauses = [_found_clause(measure, kind) for kind in TYPES if measure.declared[kind]]
    clauses += _outside_clauses(measure, thresholds)
    sentence = "; ".join(clauses)
    return sentence[:1].upper() + sentence[1:] + "."
