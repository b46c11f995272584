"""The public export: district-level casualty and operations aggregates, nothing else.

No victim record, identifier, accident coordinate or hazard polygon leaves through
here: one row per district and the national row of counts (columns:
:mod:`demine.export.public_columns`), with casualty counts hidden by the one disclosure
rule (:mod:`demine.domain.disclosure`), chosen together with the casualty report's and
the public district figures' of the same period, so that no hidden count can be worked
out from these files or from them and another public output. Devices found and land
released describe no person and are exact; people reached by risk education are hidden
by the same rule over their own sums, as in the public district figures
(:mod:`demine.analysis.eore.public`).

A hidden count is an empty cell (JSON ``null``) with its status beside it, never text
in a count column. The national row has its own file (and its own key in the JSON), so
that adding up a column of the district file never counts anything twice.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from demine.analysis.casualties import casualty_statistics
from demine.analysis.casualties.linked import SINCE
from demine.analysis.casualties.public import PublicFigures, public_figures
from demine.analysis.eore import PublicReach, public_reach, reach_by_district
from demine.analysis.eore import public as eore_public
from demine.analysis.summary import Counts, Summariser
from demine.domain.disclosure import DEFAULT_THRESHOLD, Cell
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.export.public_columns import Level, hashtags, header, table_row
from demine.reports.formats import PublicFormat as PublicFormat
from demine.store.engine import Store
from demine.store.reader import RegisterReader

FILE_STEM = "public-aggregates"
#: The file of the national row (CSV; the JSON document holds both tables).
NATIONAL_FILE_STEM = f"{FILE_STEM}-national"
#: National figures of the casualty report that the national row shows too.
NATIONAL_ONLY = ("children", "women", "civilians")


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
    period: dict[str, Any],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per district, and the national row; ``period`` gives the columns every
    row repeats (country, first and last day, threshold)."""
    threshold = figures.threshold
    districts = [
        table_row(
            Level.DISTRICT,
            {
                **period,
                "district_code": code,
                "district": name,
                **figures.district(name),
                **_operations(operations.get(code)),
                **_risk_education(risk_education.cells(code)),
            },
            threshold,
        )
        for code, name in figures.statistics.records.district_names.items()
    ]
    national = table_row(
        Level.NATIONAL,
        {
            **period,
            **figures.national(),
            **{name: figures.cell(SINCE[name]) for name in NATIONAL_ONLY},
            **_operations(total),
            **_risk_education(risk_education.cells(eore_public.NATIONAL)),
        },
        threshold,
    )
    return districts, national


def export_public(
    store: Store,
    destination: Path,
    export_format: PublicFormat,
    country: str,
    as_of: date,
    since: date | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    hxl: bool = False,
) -> list[Path]:
    """Write the public aggregates of ``since..as_of`` into the folder ``destination``:
    the JSON document, or the district and national CSV files (``hxl``: with the HXL
    hashtag row under the header)."""
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
    codes = list(figures.statistics.records.district_names)
    period = {
        "country_code": country,
        "period_start": start.isoformat(),
        "period_end": as_of.isoformat(),
        "suppression_threshold": threshold,
    }
    districts, national = public_rows(
        figures, summary.by_district, summary.total, public_reach(held, codes, threshold), period
    )
    destination.mkdir(parents=True, exist_ok=True)
    if export_format is PublicFormat.JSON:
        path = destination / f"{FILE_STEM}.json"
        casualties = figures.to_json()
        document = {
            "country": country,
            "as_of": as_of.isoformat(),
            "since": casualties["since"],
            "suppression_threshold": threshold,
            "casualties": casualties,
            "districts": districts,
            "national": national,
        }
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
        return [path]
    district_path = destination / f"{FILE_STEM}.csv"
    national_path = destination / f"{NATIONAL_FILE_STEM}.csv"
    _write_csv(district_path, Level.DISTRICT, districts, hxl)
    _write_csv(national_path, Level.NATIONAL, [national], hxl)
    return [district_path, national_path]


def _write_csv(path: Path, level: Level, rows: Sequence[dict[str, Any]], hxl: bool) -> None:
    names = header(level)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        if hxl:
            writer.writerow(hashtags(level))
        for row in rows:
            writer.writerow(["" if row[name] is None else row[name] for name in names])
