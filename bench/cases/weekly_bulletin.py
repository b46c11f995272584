"""One week's bulletin figures: Demine's summary against hand-written SQL aggregates.

Demine's side is the call ``demine summary --from … --to …`` makes (``summarise_period``:
devices by category and land released by district, activities, accidents, hazards
recorded, records not attributable to the week), timed from an open store to the
finished summary. The reference runs five hand-written GROUP BY/COUNT queries giving the
same figures on the same database; both agree once before timing. Demine also reports,
untargeted, ``bulletin_seconds``: everything ``demine report weekly`` computes (the
week, the week before, a 12-week trend, the monthly cumulative series, the map's
features, provenance and casualty statistics).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any

from harness import Comparison, Context, Side, timed
from sqlalchemy import Connection, text

from cases.figures import counts_figures
from demine.analysis.bulletin import bulletin_figures
from demine.analysis.summary import summarise_period
from demine.domain.periods import Period, PeriodKind
from demine.store.engine import Store, open_store
from demine.store.reader import RegisterReader

TITLE = "Weekly bulletin figures (one week, national)"
BACKENDS = ("sqlite", "postgis")
COMPARISONS = [Comparison("seconds", "hand-written SQL", 1.5, "lower")]

WEEK = Period(date(2025, 6, 2), date(2025, 6, 8), PeriodKind.WEEK)
_FIELDS = {"AP_MINE": "ap_mines", "AT_MINE": "at_mines", "UXO": "uxo"}
_COUNTED = "{t}.review_status = 'approved' AND {t}.deleted_at IS NULL"

_FINDS = f"""
SELECT d.code, f.category, SUM(f.quantity) FROM device_finds f
JOIN admin_areas d ON d.id = f.district_id
WHERE f.country = :country AND {_COUNTED.format(t="f")}
  AND f.found_earliest BETWEEN :start AND :end AND f.found_latest <= :end
GROUP BY d.code, f.category"""
_ACTIVITIES = f"""
SELECT d.code, SUM(a.area_cleared_m2), SUM(a.area_reduced_m2), SUM(a.area_cancelled_m2),
       COUNT(*)
FROM activities a JOIN admin_areas d ON d.id = a.district_id
WHERE a.country = :country AND {_COUNTED.format(t="a")}
  AND a.end_date BETWEEN :start AND :end
GROUP BY d.code"""
_ACCIDENTS = f"""
SELECT d.code, COUNT(*) FROM accidents x JOIN admin_areas d ON d.id = x.district_id
WHERE x.country = :country AND {_COUNTED.format(t="x")}
  AND x.occurred_earliest BETWEEN :start AND :end AND x.occurred_latest <= :end
GROUP BY d.code"""
_HAZARDS = f"""
SELECT COUNT(*) FROM hazard_areas h
WHERE h.country = :country AND {_COUNTED.format(t="h")}
  AND h.recorded_on BETWEEN :start AND :end"""
_UNATTRIBUTABLE = f"""
SELECT (SELECT COUNT(*) FROM device_finds f
        WHERE f.country = :country AND {_COUNTED.format(t="f")} AND f.date_precision != 'day'
          AND f.found_earliest <= :end AND f.found_latest >= :start
          AND NOT (f.found_earliest >= :start AND f.found_latest <= :end))
     + (SELECT COUNT(*) FROM accidents x
        WHERE x.country = :country AND {_COUNTED.format(t="x")} AND x.date_precision != 'day'
          AND x.occurred_earliest <= :end AND x.occurred_latest >= :start
          AND NOT (x.occurred_earliest >= :start AND x.occurred_latest <= :end))"""


# The same index-friendly conditions as Demine's queries (a bounded date range; only
# roughly dated rows can be unattributable), so the ratio measures Demine's overhead.


def hand_written(connection: Connection, country: str, period: Period) -> dict[str, Any]:
    """The week's figures by district, from plain SQL (the reference)."""
    params = {"country": country, "start": period.start, "end": period.end}
    by_district: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for code, category, quantity in connection.execute(text(_FINDS), params):
        by_district[code][_FIELDS.get(category, "other_devices")] += int(quantity)
    for code, cleared, reduced, cancelled, number in connection.execute(text(_ACTIVITIES), params):
        row = by_district[code]
        row["area_cleared_m2"] += float(cleared or 0)
        row["area_reduced_m2"] += float(reduced or 0)
        row["area_cancelled_m2"] += float(cancelled or 0)
        row["activities"] += int(number)
    for code, number in connection.execute(text(_ACCIDENTS), params):
        by_district[code]["accidents"] += int(number)
    return {
        "by_district": {code: dict(row) for code, row in by_district.items()},
        "hazards_recorded": int(connection.execute(text(_HAZARDS), params).scalar_one()),
        "unattributable_records": int(
            connection.execute(text(_UNATTRIBUTABLE), params).scalar_one()
        ),
    }


def _demine(connection: Connection, country: str, period: Period) -> dict[str, Any]:
    summary = summarise_period(RegisterReader(connection, country), period.start, period.end)
    return {
        "by_district": {code: counts_figures(c) for code, c in summary.by_district.items()},
        "hazards_recorded": summary.hazards_recorded,
        "unattributable_records": summary.unattributable_records,
    }


def check_agreement(demine: dict[str, Any], reference: dict[str, Any]) -> None:
    """Raise unless both sides give the same figures (areas to a square centimetre)."""
    for key in ("hazards_recorded", "unattributable_records"):
        assert demine[key] == reference[key], (key, demine[key], reference[key])
    assert set(demine["by_district"]) == set(reference["by_district"]), "districts differ"
    for code, figures in demine["by_district"].items():
        other = reference["by_district"][code]
        for name, value in figures.items():
            assert math.isclose(value, other.get(name, 0), abs_tol=1e-2), (code, name)


def _country(context: Context) -> str:
    return context.files[0][0]


def measure(side: Side, context: Context) -> dict[str, float]:
    store = open_store(context.database_url)
    country = _country(context)
    try:
        with store.read() as connection:
            check_agreement(
                _demine(connection, country, WEEK), hand_written(connection, country, WEEK)
            )
        if side == "demine":
            return _measure_demine(store, country, context.repeats)
        timing = timed(lambda: _run(store, hand_written, country), context.repeats)
        return {"seconds": timing.median, "runs": len(timing.runs)}
    finally:
        store.dispose()


def _bulletin(connection: Connection, country: str, period: Period) -> Any:
    return bulletin_figures(RegisterReader(connection, country), period)


def _run(store: Store, compute: Any, country: str) -> Any:
    with store.read() as connection:
        return compute(connection, country, WEEK)


def _measure_demine(store: Store, country: str, repeats: int) -> dict[str, float]:
    summary = timed(lambda: _run(store, _demine, country), repeats)
    bulletin = timed(lambda: _run(store, _bulletin, country), repeats)
    with store.read() as connection:
        reader = RegisterReader(connection, country)
        devices = summarise_period(reader, WEEK.start, WEEK.end).total.devices
    return {
        "seconds": summary.median,
        "bulletin_seconds": bulletin.median,
        "devices": float(devices),
        "runs": len(summary.runs),
    }
