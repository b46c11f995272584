"""The casualty report's tables as workbook sheets (exact or public, as the report is)."""

from __future__ import annotations

from functools import partial
from typing import Any

from demine.analysis.casualties import ACCIDENT_BREAKDOWNS, VICTIM_BREAKDOWNS
from demine.i18n import N_
from demine.reports.casualties.labels import cell_label
from demine.reports.sheets import Column, breakdown_sheet, fields_sheet, records_sheet
from demine.reports.workbook import SheetTable

_SUMMARY: tuple[Column, ...] = (
    ("since", N_("First day counted")),
    ("as_of", N_("Last day counted")),
    ("since_total", N_("Victims since the first day")),
    ("since_killed", N_("Killed since the first day")),
    ("since_injured", N_("Injured since the first day")),
    ("since_unknown_outcome", N_("Outcome not known since the first day")),
    ("since_civilians", N_("Civilians since the first day")),
    ("since_children", N_("Children since the first day")),
    ("since_women", N_("Women since the first day")),
    ("since_accidents", N_("Accidents since the first day")),
    ("all_time_total", N_("Victims of all time")),
    ("all_time_killed", N_("Killed, all time")),
    ("all_time_children", N_("Children, all time")),
    ("all_time_women", N_("Women, all time")),
)
#: Each breakdown's sheet name and the header of its keys.
_BREAKDOWNS: dict[str, tuple[str, str]] = {
    "by_year": (N_("By year"), N_("Year")),
    "by_month": (N_("By month"), N_("Month")),
    "by_district": (N_("By district"), N_("District")),
    "by_device_category": (N_("By device"), N_("Device category")),
    "by_victim_category": (N_("By victim category"), N_("Victim category")),
    "by_sex": (N_("By sex"), N_("Sex")),
    "by_age_band": (N_("By age"), N_("Age")),
    "by_outcome": (N_("By outcome"), N_("Outcome")),
    "by_activity": (N_("By activity"), N_("Activity")),
    "accidents_by_district": (N_("Accidents by district"), N_("District")),
    "inside_known_hazard": (N_("Inside known hazard areas"), N_("Location")),
}
#: Breakdowns whose keys are codes: a column of labels is written beside them.
_CODED = ("by_device_category", "by_victim_category", "by_sex", "by_age_band", "by_outcome",
          "inside_known_hazard")  # fmt: skip


def summary_sheet(figures: dict[str, Any]) -> SheetTable:
    """The report's headline counts: since the reference date and of all time."""
    return fields_sheet(N_("Casualties"), figures, _SUMMARY)


def casualty_sheets(figures: dict[str, Any]) -> list[SheetTable]:
    """The summary and a sheet per breakdown, victims first, then accidents."""
    sheets = [summary_sheet(figures)]
    for key in (*VICTIM_BREAKDOWNS, *ACCIDENT_BREAKDOWNS):
        if key == "by_activity" and not figures[key]:
            continue
        name, key_header = _BREAKDOWNS[key]
        counted = N_("Accidents") if key in ACCIDENT_BREAKDOWNS else N_("Victims")
        label = partial(cell_label, key) if key in _CODED else None
        sheets.append(breakdown_sheet(name, figures[key], key_header, counted, label))
    return sheets


def assistance_sheets(figures: dict[str, Any]) -> list[SheetTable]:
    """``demine victims assistance``: survivors referred to and reached by each service
    (exact, or public with small counts hidden)."""
    services = [
        {"service": service, "referred": referred, "reached": figures["reached"][service],
         "not_reached": figures["not_reached"][service]}
        for service, referred in figures["referred"].items()
    ]  # fmt: skip
    columns = (("service", N_("Service")), ("referred", N_("Referred")),
               ("reached", N_("Reached")), ("not_reached", N_("Not reached")))  # fmt: skip
    return [records_sheet(N_("Victim assistance"), services, columns)]
