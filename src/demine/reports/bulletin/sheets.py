"""The bulletins' and the weekly series' tables as workbook sheets."""

from __future__ import annotations

from typing import Any

from demine.i18n import N_, _
from demine.reports.casualties.sheets import summary_sheet
from demine.reports.sheets import Column, cell, fields_sheet, records_sheet
from demine.reports.workbook import Cell, SheetTable

#: Devices and land as the bulletins count them: (JSON key, header).
FIGURES: tuple[Column, ...] = (
    ("ap_mines", N_("AP mines")),
    ("at_mines", N_("AT mines")),
    ("uxo", N_("UXO")),
    ("other_devices", N_("Other devices")),
    ("hectares_cleared", N_("Hectares cleared")),
    ("hectares_reduced", N_("Hectares reduced")),
    ("hectares_cancelled", N_("Hectares cancelled")),
    ("activities", N_("Activities")),
    ("accidents", N_("Accidents")),
)
#: A week, month or other period of a trend or series.
PERIOD_COLUMNS: tuple[Column, ...] = (
    ("period", N_("Period")),
    ("period_start", N_("First day")),
    ("period_end", N_("Last day")),
    ("source", N_("Source")),
    ("ap_mines", N_("AP mines")),
    ("at_mines", N_("AT mines")),
    ("uxo", N_("UXO")),
    ("other_devices", N_("Other devices")),
    ("hectares_cleared", N_("Hectares cleared")),
)
_RISK_EDUCATION: tuple[Column, ...] = (
    ("sessions", N_("Sessions held")),
    ("beneficiaries", N_("People reached by risk education")),
    ("girls", N_("Girls (under 18)")),
    ("boys", N_("Boys (under 18)")),
    ("women", N_("Women (18 and over)")),
    ("men", N_("Men (18 and over)")),
    ("persons_with_disabilities", N_("Persons with disabilities among them")),
)


def _headline(data: dict[str, Any]) -> SheetTable:
    """This period's figures beside the previous period's, as the bulletin compares them."""
    before = data.get("previous_period") or {}
    rows: list[list[Cell]] = [
        [_("First day"), cell(data["period_start"]), cell(before.get("period_start"))],
        [_("Last day"), cell(data["period_end"]), cell(before.get("period_end"))],
        [_("Source"), data["source"], before.get("source")],
    ]
    rows += [[_(label), data[key], before.get(key)] for key, label in FIGURES]
    now_reached = (data.get("risk_education") or {}).get("beneficiaries")
    before_reached = (before.get("risk_education") or {}).get("beneficiaries")
    rows.append([_("People reached by risk education"), now_reached, before_reached])
    headers = [_("Figure"), data["period_label"], _("Previous period")]
    return SheetTable(_("Headline figures"), headers, rows)


def bulletin_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """A bulletin's tables from its JSON data: headline figures, districts, trend,
    cumulative months, risk education, casualties and the imports it was computed from."""
    district = (("district", N_("District")), ("code", N_("Code")), *FIGURES)
    sheets = [
        _headline(data),
        records_sheet(N_("By district"), data["by_district"], district),
        records_sheet(N_("Last 12 periods"), data["trend"], PERIOD_COLUMNS),
        records_sheet(N_("Cumulative by month"), data["cumulative"], PERIOD_COLUMNS),
    ]
    if data.get("risk_education"):
        sheets.append(fields_sheet(N_("Risk education"), data["risk_education"], _RISK_EDUCATION))
    if data.get("casualties"):
        sheets.append(summary_sheet(data["casualties"]))
    imports = (
        ("file", N_("File")), ("kind", N_("Kind")), ("sha256", N_("SHA-256")),
        ("imported_at", N_("Imported at")),
    )  # fmt: skip
    sheets.append(records_sheet(N_("Imports"), data["provenance"]["imports"], imports))
    return sheets


def summary_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """``demine summary``: the period's figures and its districts in reporting order."""
    period = (("period_start", N_("First day")), ("period_end", N_("Last day")),
              ("source", N_("Source")))  # fmt: skip
    district = (("district", N_("District")), ("code", N_("Code")), *FIGURES)
    return [
        fields_sheet(N_("Summary"), data, (*period, *FIGURES)),
        records_sheet(N_("By district"), data["by_district"], district),
    ]


def series_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """The weekly series: a row per ISO week, its source saying where figures come from."""
    columns = (*PERIOD_COLUMNS, ("read_and_reviewed", N_("Read and reviewed")))
    return [records_sheet(N_("Weekly series"), data["weeks"], columns)]
