"""The records verification's tables as workbook sheets."""

from __future__ import annotations

from typing import Any

from demine.i18n import N_
from demine.reports.sheets import Column, fields_sheet, records_sheet
from demine.reports.workbook import SheetTable

_RECORD: tuple[Column, ...] = (
    ("id", N_("Record")),
    ("verdict", N_("Verdict")),
    ("reason", N_("Reason")),
    ("district", N_("District")),
    ("source", N_("Source")),
    ("received_on", N_("Received on")),
    ("record_type", N_("Record type")),
    ("status", N_("Status")),
    ("coverage_share", N_("Share worked")),
    ("declared_area_m2", N_("Declared area (m²)")),
    ("worked_area_m2", N_("Worked area (m²)")),
    ("tolerance_m", N_("Tolerance (m)")),
    ("declared.ap_mines", N_("AP mines declared")),
    ("declared.at_mines", N_("AT mines declared")),
    ("declared.other_devices", N_("Other devices declared")),
    ("expected.ap_mines", N_("AP mines expected")),
    ("expected.at_mines", N_("AT mines expected")),
    ("found_inside.ap_mines", N_("AP mines found inside")),
    ("found_inside.at_mines", N_("AT mines found inside")),
    ("found_inside.other_devices", N_("Other devices found inside")),
    ("found_outside_nearby.ap_mines", N_("AP mines found nearby outside")),
    ("found_outside_nearby.at_mines", N_("AT mines found nearby outside")),
    ("found_outside_nearby.other_devices", N_("Other devices found nearby outside")),
    ("found_outside_nearby.accidents", N_("Accidents nearby outside")),
    ("found_share", N_("Share found")),
    ("outside_share", N_("Share outside")),
)
_FIGURES: tuple[Column, ...] = (
    ("records_total", N_("Records")),
    ("records_verified", N_("Records verified")),
    ("records_accurate", N_("Records accurate")),
    ("accurate_share", N_("Share accurate")),
    ("by_verdict.accurate", N_("Accurate")),
    ("by_verdict.partly_accurate", N_("Partly accurate")),
    ("by_verdict.inaccurate", N_("Inaccurate")),
    ("by_verdict.not_yet_verifiable", N_("Not yet verifiable")),
)
_ACCIDENTS: tuple[Column, ...] = (
    ("accidents_total", N_("Accidents")),
    ("accidents_located", N_("Accidents located")),
    ("accidents_outside_records", N_("Accidents outside records")),
    ("accidents_outside_records_share", N_("Share of accidents outside records")),
)
_THRESHOLDS: tuple[Column, ...] = (
    ("tolerance_m", N_("Tolerance (m)")),
    ("nearby_m", N_("Nearby (m)")),
    ("min_coverage", N_("Minimum share worked")),
    ("accurate_found_share", N_("Accurate: share found at least")),
    ("accurate_max_outside_share", N_("Accurate: share outside at most")),
    ("inaccurate_found_share", N_("Inaccurate: share found below")),
    ("inaccurate_outside_share", N_("Inaccurate: share outside above")),
)


def records_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """Each record's verdict, the programme's figures by district and by source, and
    the thresholds the verdicts were reached with."""
    programme = data["programme"]
    place = (("district", N_("District")), ("code", N_("Code")))
    return [
        records_sheet(N_("Records"), data["records"], _RECORD),
        fields_sheet(N_("Programme"), programme, (*_FIGURES, *_ACCIDENTS)),
        records_sheet(N_("By district"), programme["by_district"],
                      (*place, *_FIGURES, *_ACCIDENTS)),
        records_sheet(N_("By source"), programme["by_source"],
                      (("source", N_("Source")), *_FIGURES)),
        fields_sheet(N_("Thresholds"), data["thresholds"], _THRESHOLDS),
    ]  # fmt: skip
