"""The land-release report's tables as workbook sheets."""

from __future__ import annotations

from typing import Any

from demine.i18n import N_
from demine.reports.sheets import Column, fields_sheet, records_sheet
from demine.reports.workbook import SheetTable

_RELEASED: tuple[Column, ...] = (
    ("hectares_cleared", N_("Hectares cleared")),
    ("hectares_reduced", N_("Hectares reduced")),
    ("hectares_cancelled", N_("Hectares cancelled")),
    ("hectares_released", N_("Hectares released")),
    ("activities", N_("Activities")),
)
_SUMMARY: tuple[Column, ...] = (
    ("period_start", N_("First day")),
    ("period_end", N_("Last day")),
    *_RELEASED,
    ("remaining_at_start.remaining_hectares", N_("Hectares remaining at the start")),
    ("remaining_at_end.remaining_hectares", N_("Hectares remaining")),
    ("remaining_at_end.remaining_cha_hectares", N_("CHA ha")),
    ("remaining_at_end.remaining_sha_hectares", N_("SHA ha")),
    ("remaining_at_end.hazards_open", N_("Hazards open")),
    ("remaining_at_end.hazards_worked_on", N_("Hazards worked on")),
    ("remaining_at_end.hazards_closed", N_("Hazards closed")),
    ("efficiency.cleared_m2_per_team_day", N_("m² cleared per team-day")),
    ("efficiency.clearance_team_days", N_("Clearance team-days")),
    ("efficiency.devices_per_hectare_cleared", N_("Devices per hectare cleared")),
    ("efficiency.devices_found_by_clearance", N_("Devices found by clearance")),
    ("efficiency.cleared_share_with_finds", N_("Share of cleared land with finds")),
    ("efficiency.method_shares.cleared", N_("Share cleared")),
    ("efficiency.method_shares.reduced", N_("Share reduced")),
    ("efficiency.method_shares.cancelled", N_("Share cancelled")),
)
_DISTRICT: tuple[Column, ...] = (
    ("district", N_("District")),
    ("code", N_("Code")),
    *_RELEASED,
    ("remaining_hectares_at_start", N_("Hectares remaining at the start")),
    ("remaining_cha_hectares", N_("CHA ha")),
    ("remaining_sha_hectares", N_("SHA ha")),
    ("remaining_hectares", N_("Hectares remaining")),
    ("hazards_open", N_("Hazards open")),
    ("hazards_worked_on", N_("Hazards worked on")),
    ("hazards_closed", N_("Hazards closed")),
)
_STEP: tuple[Column, ...] = (
    ("period", N_("Period")),
    ("period_start", N_("First day")),
    ("period_end", N_("Last day")),
    *_RELEASED,
)


def landrelease_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """Summary figures, land released step by step, and districts."""
    return [
        fields_sheet(N_("Land release"), data, _SUMMARY),
        records_sheet(N_("Released by period"), data["steps"], _STEP),
        records_sheet(N_("By district"), data["by_district"], _DISTRICT),
    ]
