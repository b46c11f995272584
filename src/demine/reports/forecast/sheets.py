"""The forecast's tables as workbook sheets."""

from __future__ import annotations

from typing import Any

from demine.i18n import N_
from demine.reports.sheets import Column, fields_sheet, records_sheet
from demine.reports.workbook import SheetTable

_FORECAST: tuple[Column, ...] = (
    ("remaining_hectares", N_("Hectares remaining")),
    ("remaining_cha_hectares", N_("CHA ha")),
    ("remaining_sha_hectares", N_("SHA ha")),
    ("known_area_change_hectares", N_("Known area change (ha)")),
    ("released_hectares_in_window", N_("Hectares released in the window")),
    ("teams", N_("Teams")),
    ("status", N_("Status")),
    ("rate_hectares_per_week", N_("Hectares per week")),
    ("rate_p10_hectares_per_week", N_("Hectares per week (10th percentile)")),
    ("rate_p90_hectares_per_week", N_("Hectares per week (90th percentile)")),
    ("weeks_needed", N_("Weeks needed")),
    ("completion_date", N_("Completion date")),
    ("completion_earliest", N_("Completion, earliest")),
    ("completion_latest", N_("Completion, latest")),
    ("scenario.status", N_("Scenario: status")),
    ("scenario.rate_hectares_per_week", N_("Scenario: hectares per week")),
    ("scenario.weeks_needed", N_("Scenario: weeks needed")),
    ("scenario.completion_date", N_("Scenario: completion date")),
    ("scenario.completion_earliest", N_("Scenario: completion, earliest")),
    ("scenario.completion_latest", N_("Scenario: completion, latest")),
)
_PLACE: tuple[Column, ...] = (("district", N_("District")), ("code", N_("Code")))
_WEEK: tuple[Column, ...] = (
    ("week", N_("Week")),
    ("period_start", N_("First day")),
    ("period_end", N_("Last day")),
    ("released_hectares", N_("Hectares released")),
    ("team_days", N_("Team-days")),
)
_REMAINING: tuple[Column, ...] = (
    ("day", N_("Day")),
    ("remaining_hectares", N_("Hectares remaining")),
)
_UNKNOWN: tuple[Column, ...] = (
    ("accidents_located", N_("Accidents located")),
    ("accidents_outside_hazards", N_("Accidents outside hazards")),
    ("accidents_outside_hazards_and_records", N_("Accidents outside hazards and records")),
    ("find_records_located", N_("Find records located")),
    ("find_records_outside_hazards", N_("Find records outside hazards")),
    ("devices_outside_hazards", N_("Devices outside hazards")),
)
_SETTINGS: tuple[Column, ...] = (
    ("as_of", N_("Measured on")),
    ("window_start", N_("Rate measured from")),
    ("window_end", N_("Rate measured to")),
    ("weeks", N_("Weeks")),
    ("band", N_("Band")),
    ("team_days_per_team_week", N_("Team-days per team-week")),
    ("teams_change", N_("Teams added or removed")),
    ("scenario_factor", N_("Scenario factor")),
    ("excludes_unknown_contamination", N_("Unknown contamination left out")),
)


def forecast_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """Districts and the national total, the weekly release the rate is measured on,
    the known area remaining week by week, unknown contamination and the settings."""
    unknown = data["unknown_contamination"]
    return [
        records_sheet(N_("By district"), data["districts"], (*_PLACE, *_FORECAST)),
        records_sheet(N_("Total"), [data["total"]], _FORECAST),
        records_sheet(N_("Weekly release"), data["weekly"], _WEEK),
        records_sheet(N_("Area remaining"), data["remaining_history"], _REMAINING),
        records_sheet(N_("Unknown contamination"), unknown["by_district"], (*_PLACE, *_UNKNOWN)),
        fields_sheet(N_("Settings"), data, _SETTINGS),
    ]
