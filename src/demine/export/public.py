"""The public export: district-level casualty and operations aggregates, nothing else.

No victim record, identifier, accident coordinate or hazard polygon leaves through
here: one row per district (and one national row) of counts, with casualty counts hidden
by the one disclosure rule (:mod:`demine.domain.disclosure`), chosen together with
the casualty report's and the public district figures' of the same period, so that no
hidden count can be worked out from this file or from it and another public output.
Devices found and land released describe no person and are exact.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from demine.analysis.casualties import casualty_statistics
from demine.analysis.casualties.public import PublicFigures, public_figures
from demine.analysis.summary import Counts, summarise_period
from demine.domain.disclosure import DEFAULT_THRESHOLD
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.reports.formats import PublicFormat as PublicFormat
from demine.store.engine import Store
from demine.store.reader import RegisterReader

FILE_STEM = "public-aggregates"
NATIONAL = "(national)"
COLUMNS = (
    "district", "victims", "killed", "injured", "unknown_outcome", "accidents",
    "accidents_inside_known_hazard", "accidents_outside_known_hazard",
    "accidents_location_unknown", "ap_mines", "at_mines", "uxo", "other_devices",
    "hectares_cleared", "hectares_reduced", "hectares_cancelled",
)  # fmt: skip


def _operations(counts: Counts | None) -> dict[str, Any]:
    counts = counts or Counts()
    return {
        "ap_mines": counts.ap_mines,
        "at_mines": counts.at_mines,
        "uxo": counts.uxo,
        "other_devices": counts.other_devices,
        "hectares_cleared": round(counts.area_cleared_m2 / SQUARE_METRES_PER_HECTARE, 4),
        "hectares_reduced": round(counts.area_reduced_m2 / SQUARE_METRES_PER_HECTARE, 4),
        "hectares_cancelled": round(counts.area_cancelled_m2 / SQUARE_METRES_PER_HECTARE, 4),
    }


def public_rows(
    figures: PublicFigures, operations: dict[str, Counts], total: Counts
) -> list[dict[str, Any]]:
    """One row per district, then the national row."""
    rows = [
        {"district": name, **figures.district(name), **_operations(operations.get(code))}
        for code, name in figures.statistics.records.district_names.items()
    ]
    rows.append({"district": NATIONAL, **figures.national(), **_operations(total)})
    return rows


def export_public(
    store: Store,
    destination: Path,
    export_format: PublicFormat,
    country: str,
    as_of: date,
    since: date | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Path]:
    """Write the public aggregates of ``since..as_of`` into the folder ``destination``."""
    with store.read() as connection:
        statistics = casualty_statistics(RegisterReader(connection, country), as_of, since)
        start = statistics.since or min(
            (a.occurred.earliest for a in statistics.accidents), default=as_of
        )
        summary = summarise_period(RegisterReader(connection, country), start, as_of)
    figures = public_figures(statistics, threshold)
    national = figures.to_json()
    rows = public_rows(figures, summary.by_district, summary.total)
    destination.mkdir(parents=True, exist_ok=True)
    path = destination / f"{FILE_STEM}.{export_format.value}"
    if export_format is PublicFormat.JSON:
        document = {
            "country": country,
            "as_of": as_of.isoformat(),
            "since": national["since"],
            "suppression_threshold": threshold,
            "casualties": national,
            "districts": rows,
        }
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    return [path]
