"""The projects analysis's tables as workbook sheets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from demine.i18n import N_
from demine.reports.sheets import Column, fields_sheet, records_sheet
from demine.reports.workbook import SheetTable

_PROJECT: tuple[Column, ...] = (
    ("rank", N_("Rank")),
    ("score", N_("Score")),
    ("id", N_("Project")),
    ("name", N_("Name")),
    ("kind", N_("Kind")),
    ("district", N_("District")),
    ("district_code", N_("Code")),
    ("owner", N_("Owner")),
    ("priority", N_("Priority")),
    ("people_benefiting", N_("People benefiting")),
    ("planned_start", N_("Planned start")),
    ("buffer_m", N_("Buffer (m)")),
    ("footprint_m2", N_("Footprint (m²)")),
    ("hazardous_m2", N_("Hazardous area (m²)")),
    ("hazardous_cha_m2", N_("Confirmed (m²)")),
    ("hazardous_sha_m2", N_("Suspected (m²)")),
    ("devices_nearby", N_("Devices nearby")),
    ("device_finds_nearby", N_("Device finds nearby")),
    ("accidents_nearby", N_("Accidents nearby")),
    ("minefield_records", N_("Minefield records")),
    ("effort_team_days", N_("Team-days to clear")),
    ("clear_status", N_("Clear date status")),
    ("earliest_clear_date", N_("Earliest clear date")),
    ("starts_before_clear", N_("Starts before clear")),
    ("scores.priority", N_("Score: priority")),
    ("scores.people", N_("Score: people")),
    ("scores.contamination", N_("Score: contamination")),
    ("scores.effort", N_("Score: effort")),
    ("explanation", N_("Explanation")),
)
_HAZARD: tuple[Column, ...] = (
    ("project", N_("Project")),
    ("id", N_("Hazard")),
    ("classification", N_("Classification")),
    ("status", N_("Status")),
    ("overlap_m2", N_("Overlap (m²)")),
    ("remaining_share", N_("Share remaining")),
    ("hazardous_m2", N_("Hazardous area (m²)")),
)
_EFFORT: tuple[Column, ...] = (
    ("project", N_("Project")),
    ("district", N_("District")),
    ("code", N_("Code")),
    ("hazardous_m2", N_("Hazardous area (m²)")),
    ("cleared_m2_per_team_day", N_("m² cleared per team-day")),
    ("productivity_source", N_("Productivity measured on")),
    ("team_days_per_week", N_("Team-days per week")),
    ("effort_team_days", N_("Team-days to clear")),
    ("days", N_("Days")),
)
_PRODUCTIVITY: tuple[Column, ...] = (
    ("district", N_("District")),
    ("code", N_("Code")),
    ("cleared_m2", N_("Cleared (m²)")),
    ("team_days", N_("Team-days")),
    ("cleared_m2_per_team_day", N_("m² cleared per team-day")),
    ("team_days_per_week", N_("Team-days per week")),
)
_SETTINGS: tuple[Column, ...] = (
    ("as_of", N_("Measured on")),
    ("distance_m", N_("Distance counted (m)")),
    ("weights.priority", N_("Weight: priority")),
    ("weights.people", N_("Weight: people")),
    ("weights.contamination", N_("Weight: contamination")),
    ("weights.effort", N_("Weight: effort")),
    ("productivity.window_start", N_("Productivity measured from")),
    ("productivity.window_end", N_("Productivity measured to")),
    ("productivity.national.cleared_m2_per_team_day", N_("m² cleared per team-day")),
    ("productivity.national.team_days_per_week", N_("Team-days per week")),
)


def _each(projects: list[dict[str, Any]], key: str) -> Iterator[dict[str, Any]]:
    """The items of each project's ``key`` list, each naming its project."""
    for project in projects:
        for item in project[key]:
            yield {"project": project["id"], **item}


def projects_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """Projects in rank order, the hazards in their footprints, the effort by district,
    productivity by district and the settings the ranking used."""
    projects = data["projects"]
    return [
        records_sheet(N_("Projects"), projects, _PROJECT),
        records_sheet(N_("Hazards in footprints"), _each(projects, "hazards"), _HAZARD),
        records_sheet(N_("Effort by district"), _each(projects, "effort_by_district"), _EFFORT),
        records_sheet(N_("Productivity"), data["productivity"]["by_district"], _PRODUCTIVITY),
        fields_sheet(N_("Settings"), data, _SETTINGS),
    ]
