"""The public export: district-level casualty and operations aggregates, nothing else.

No victim record, identifier, accident coordinate or hazard polygon leaves through
here: one row per district (and one national row) of counts, with casualty counts hidden
by the one disclosure rule (:mod:`demine.domain.disclosure`), chosen together with
the casualty report's and the public district figures' of the same period, so that no
hidden count can be worked out from this file or from it and another public output.
Devices found and land released describe no person and are exact; people reached by
risk education are hidden by the same rule over their own sums, as in the public
district figures (:mod:`demine.analysis.eore.public`).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from demine.analysis.casualties import casualty_statistics
from demine.analysis.casualties.public import PublicFigures, public_figures
from demine.analysis.eore import PublicReach, public_reach, reach_by_district
from demine.analysis.eore import public as eore_public
from demine.analysis.summary import Counts, Summariser
from demine.domain.disclosure import DEFAULT_THRESHOLD, Cell
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
    "hectares_cleared", "hectares_reduced", "hectares_cancelled", "eore_sessions",
    "eore_girls", "eore_boys", "eore_women", "eore_men", "eore_beneficiaries",
    "eore_persons_with_disabilities",
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


def _risk_education(cells: dict[str, Cell]) -> dict[str, Cell]:
    return {f"eore_{name}": cell for name, cell in cells.items()}


def public_rows(
    figures: PublicFigures,
    operations: dict[str, Counts],
    total: Counts,
    risk_education: PublicReach,
) -> list[dict[str, Any]]:
    """One row per district, then the national row."""
    rows = [
        {
            "district": name,
            **figures.district(name),
            **_operations(operations.get(code)),
            **_risk_education(risk_education.cells(code)),
        }
        for code, name in figures.statistics.records.district_names.items()
    ]
    rows.append(
        {
            "district": NATIONAL,
            **figures.national(),
            **_operations(total),
            **_risk_education(risk_education.cells(eore_public.NATIONAL)),
        }
    )
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
        reader = RegisterReader(connection, country)
        summariser = Summariser(reader)
        summary = summariser.summarise(start, as_of)
        held = reach_by_district(reader, start, as_of, summariser.refs.areas.key_by_id)
    figures = public_figures(statistics, threshold)
    districts = list(figures.statistics.records.district_names)
    national = figures.to_json()
    rows = public_rows(
        figures, summary.by_district, summary.total, public_reach(held, districts, threshold)
    )
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
