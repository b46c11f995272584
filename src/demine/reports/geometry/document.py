"""The geometry check as text, JSON or HTML (with a small map of each finding).

The report names records and their locations: minefield records among them are
security-sensitive, and the HTML says so.
"""

from __future__ import annotations

import json
from typing import Any

from demine.analysis.geometry import GeometryProblem
from demine.analysis.geometry.run import GeometryCheck
from demine.i18n import _, current_locale, format_number, ngettext
from demine.reports.formats import GeometryFormat
from demine.reports.geometry.maps import finding_map
from demine.reports.templating import template_environment

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


def render_geometry_check(check: GeometryCheck, output_format: GeometryFormat) -> str:
    if output_format is GeometryFormat.JSON:
        return json.dumps(check.to_json(), indent=2, ensure_ascii=False) + "\n"
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
