"""The geometry check as text, JSON, HTML (with a small map of each finding) or XLSX.

The report names records and their locations: minefield records among them are
security-sensitive, and the HTML says so.
"""

from __future__ import annotations

import json
from typing import Any

from demine.analysis.geometry import GeometryProblem
from demine.analysis.geometry.run import GeometryCheck
from demine.i18n import N_, _, current_locale, format_number, ngettext
from demine.reports.formats import GeometryFormat
from demine.reports.geometry.maps import finding_map
from demine.reports.sheets import breakdown_sheet, records_sheet
from demine.reports.templating import template_environment
from demine.reports.workbook import SheetTable, workbook_bytes

#: Maps drawn at most (each a small SVG); further findings are listed without one.
MAX_MAPS = 200


def problem_label(problem: GeometryProblem) -> str:
    return {
        GeometryProblem.INVALID: _("invalid or self-intersecting"),
        GeometryProblem.TOO_FEW_VERTICES: _("fewer than three distinct vertices"),
        GeometryProblem.DUPLICATE: _("duplicate"),
        GeometryProblem.OVERLAP: _("overlapping hazards"),
        GeometryProblem.VERTEX_GAP: _("vertex gap"),
        GeometryProblem.OUTSIDE_COUNTRY: _("outside the country"),
        GeometryProblem.OUTSIDE_DISTRICT: _("outside its district"),
        GeometryProblem.PLACEHOLDER_POINT: _("placeholder point (district centre)"),
    }[problem]


def summary(check: GeometryCheck) -> str:
    checked = sum(check.records.values())
    if not check.findings:
        return ngettext(
            "{records} geometry checked: no problem found.",
            "{records} geometries checked: no problem found.",
            checked,
        ).format(records=format_number(checked))
    # Each count carries its own plural form; the frame joins the two phrases.
    return _("{checked}: {found}.").format(
        checked=ngettext("{n} geometry checked", "{n} geometries checked", checked).format(
            n=format_number(checked)
        ),
        found=ngettext("{n} problem found", "{n} problems found", len(check.findings)).format(
            n=format_number(len(check.findings))
        ),
    )


def render_geometry_check(check: GeometryCheck, output_format: GeometryFormat) -> str | bytes:
    """The check in ``output_format`` (bytes for XLSX, text otherwise)."""
    if output_format is GeometryFormat.JSON:
        return json.dumps(check.to_json(), indent=2, ensure_ascii=False) + "\n"
    if output_format is GeometryFormat.XLSX:
        return workbook_bytes(geometry_sheets(check.to_json()))
    if output_format is GeometryFormat.HTML:
        return _html(check)
    return _text(check)


def _text(check: GeometryCheck) -> str:
    lines = [summary(check)]
    for finding in check.findings:
        lines.append(
            f"{finding.kind} {finding.key}: {problem_label(finding.problem)}: {finding.detail}"
        )
        lines.append("  " + _("repair: {repair}").format(repair=finding.repair))
    return "\n".join(lines) + "\n"


def _html(check: GeometryCheck) -> str:
    rows: list[dict[str, Any]] = []
    for number, finding in enumerate(check.findings):
        rows.append(
            {
                "kind": finding.kind,
                "key": finding.key,
                "problem": problem_label(finding.problem),
                "detail": finding.detail,
                "repair": finding.repair,
                "map": finding_map(finding, check.places) if number < MAX_MAPS else None,
            }
        )
    template = template_environment().get_template("geometry.html.j2")
    return template.render(
        locale=current_locale(),
        title=_("Geometry check"),
        summary=summary(check),
        counts=[(problem_label(p), check.counts()[p.value]) for p in GeometryProblem],
        records=sorted(check.records.items()),
        rows=rows,
        max_maps=MAX_MAPS,
    )


def geometry_sheets(data: dict[str, Any]) -> list[SheetTable]:
    """Each finding (its location as longitude and latitude), the problems counted and
    the records checked, by kind."""
    findings = [
        {**f, "longitude": (f["location"] or [None, None])[0],
         "latitude": (f["location"] or [None, None])[1]}
        for f in data["findings"]
    ]  # fmt: skip
    columns = (
        ("kind", N_("Kind")), ("key", N_("Record")), ("problem", N_("Problem")),
        ("detail", N_("Detail")), ("repair", N_("Suggested repair")),
        ("other", N_("Other record")), ("longitude", N_("Longitude")),
        ("latitude", N_("Latitude")),
    )  # fmt: skip
    return [
        records_sheet(N_("Findings"), findings, columns),
        breakdown_sheet(
            N_("Problems"),
            data["counts"],
            N_("Problem"),
            N_("Findings"),
            lambda key: problem_label(GeometryProblem(key)),
        ),
        breakdown_sheet(N_("Records checked"), data["records"], N_("Kind"), N_("Records")),
    ]
