"""The public export: district-level casualty and operations aggregates, nothing else.

No victim record, identifier, accident coordinate or hazard polygon leaves through
here: one row per district (and one national row) of counts, with casualty counts
from 1 to ``threshold - 1`` hidden and complementary cells hidden so that no hidden
count can be worked out from a total (see :mod:`demine.analysis.disclosure`).
Devices found and land released describe no person and are exact.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from demine.analysis.casualties import CasualtyStatistics, casualty_statistics
from demine.analysis.casualties.breakdowns import locations_by_district, outcomes_by_district
from demine.analysis.casualties.public import public_json
from demine.analysis.disclosure import DEFAULT_THRESHOLD, suppress_table
from demine.analysis.summary import Counts, summarise_period
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
    statistics: CasualtyStatistics, operations: dict[str, Counts], threshold: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The national figures (public view) and one row per district."""
    national = public_json(statistics.to_json(), threshold)
    names = statistics.records.district_names
    outcomes = suppress_table(outcomes_by_district(statistics.victims, names), threshold)
    places = suppress_table(locations_by_district(statistics.accidents, names), threshold)
    rows = []
    for code, name in names.items():
        rows.append(
            {
                "district": name,
                "victims": national["by_district"][name],
                "killed": outcomes[name]["killed"],
                "injured": outcomes[name]["injured"],
                "unknown_outcome": outcomes[name]["unknown"],
                "accidents": national["accidents_by_district"][name],
                "accidents_inside_known_hazard": places[name]["inside"],
                "accidents_outside_known_hazard": places[name]["outside"],
                "accidents_location_unknown": places[name]["unknown"],
                **_operations(operations.get(code)),
            }
        )
    return national, rows


def _national_row(national: dict[str, Any], total: Counts) -> dict[str, Any]:
    location = national["inside_known_hazard"]
    return {
        "district": NATIONAL,
        "victims": national["since_total"],
        "killed": national["since_killed"],
        "injured": national["since_injured"],
        "unknown_outcome": national["since_unknown_outcome"],
        "accidents": national["since_accidents"],
        "accidents_inside_known_hazard": location["inside"],
        "accidents_outside_known_hazard": location["outside"],
        "accidents_location_unknown": location["unknown"],
        **_operations(total),
    }


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
    national, rows = public_rows(statistics, summary.by_district, threshold)
    rows.append(_national_row(national, summary.total))
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
