"""The quality report's tables as workbook sheets."""

from __future__ import annotations

from typing import Any

from demine.i18n import N_
from demine.reports.sheets import Column, records_sheet
from demine.reports.workbook import SheetTable

_FIGURES: tuple[Column, ...] = (
    ("inspections", N_("Inspections")),
    ("qa", N_("QA")),
    ("qc", N_("QC")),
    ("passed", N_("Passed")),
    ("failed", N_("Failed")),
    ("failed_qc", N_("Failed QC")),
    ("hectares_sampled", N_("Hectares sampled")),
    ("non_conformities", N_("Non-conformities")),
    ("non_conformities_by_grade.critical", N_("Critical")),
    ("non_conformities_by_grade.major", N_("Major")),
    ("non_conformities_by_grade.minor", N_("Minor")),
    ("non_conformities_open", N_("Open non-conformities")),
    ("hectares_cleared", N_("Hectares cleared")),
    ("non_conformities_per_100_hectares", N_("Non-conformities per 100 ha cleared")),
)
_REOPENED: tuple[Column, ...] = (
    ("inspection", N_("Inspection")),
    ("inspected_on", N_("Inspected on")),
    ("operator", N_("Operator")),
    ("activity", N_("Activity")),
    ("activity_ended", N_("Activity ended")),
    ("hazard", N_("Hazard")),
    ("hectares_reopened", N_("Hectares reopened")),
    ("released_again_by", N_("Released again by")),
)


def quality_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """Operators, the programme's total, and the land failed QC reopened."""
    operators = (("operator", N_("Operator")), ("name", N_("Name")), *_FIGURES)
    return [
        records_sheet(N_("By operator"), data["operators"], operators),
        records_sheet(N_("All operators"), [data["total"]], _FIGURES),
        records_sheet(N_("Land reopened"), data["reopened"], _REOPENED),
    ]
