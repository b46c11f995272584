"""The quality management report as text, HTML, PDF, JSON or XLSX: per operator, inspections
and their results, non-conformities by grade and per 100 hectares cleared, and the land
failed quality controls reopened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from demine.analysis.quality import OperatorQuality, QualityFigures, ReopenedArea
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.quality import NonConformityGrade
from demine.i18n import _, current_locale, format_number
from demine.reports.analysis_format import AnalysisFormat, render_as
from demine.reports.quality.sheets import quality_sheets
from demine.reports.templating import template_environment


def _ha(square_metres: float) -> str:
    return format_number(square_metres / SQUARE_METRES_PER_HECTARE, 2)


def _grade_label(grade: NonConformityGrade) -> str:
    labels = {
        NonConformityGrade.CRITICAL: _("Critical"),
        NonConformityGrade.MAJOR: _("Major"),
        NonConformityGrade.MINOR: _("Minor"),
    }
    return labels[grade]


def title() -> str:
    return _("Quality management: inspections and non-conformities by operator")


def subtitle(figures: QualityFigures) -> str:
    return _("{country}, {start} to {end}").format(
        country=figures.country, start=figures.start.isoformat(), end=figures.end.isoformat()
    )


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    total: list[str]


def _row(label: str, operator: OperatorQuality) -> list[str]:
    rate = operator.per_100_hectares
    return [
        label,
        format_number(operator.inspections),
        format_number(operator.qa),
        format_number(operator.qc),
        format_number(operator.passed),
        format_number(operator.failed),
        *(format_number(operator.by_grade[grade.value]) for grade in NonConformityGrade),
        format_number(operator.open_non_conformities),
        _ha(operator.cleared_m2),
        "–" if rate is None else format_number(rate, 2),
    ]


def operators_table(figures: QualityFigures) -> Table:
    headers = [
        _("Operator"),
        _("Inspections"),
        _("QA"),
        _("QC"),
        _("Passed"),
        _("Failed"),
        *(_grade_label(grade) for grade in NonConformityGrade),
        _("Open"),
        _("Hectares cleared"),
        _("Non-conformities per 100 ha"),
    ]
    rows = [_row(f"{o.name} ({o.code})", o) for o in figures.operators]
    return Table(headers, rows, _row(_("All operators"), figures.total))


def reopened_sentence(area: ReopenedArea) -> str:
    sentence = _(
        "{inspection} ({day}) failed the quality control of {activity} by {operator}: "
        "{hectares} ha of {hazard} reopened."
    ).format(
        inspection=area.inspection,
        day=area.inspected_on.isoformat(),
        activity=area.activity,
        operator=area.operator,
        hectares=_ha(area.released_m2),
        hazard=area.hazard or _("an unrecorded hazard"),
    )
    if not area.released_again:
        return sentence + " " + _("Not yet released again.")
    again = ", ".join(
        _("{activity} ({day}, {hectares} ha)").format(
            activity=key, day=day.isoformat(), hectares=_ha(m2)
        )
        for key, day, m2 in area.released_again
    )
    return sentence + " " + _("Released again by {activities}.").format(activities=again)


def render_text(figures: QualityFigures) -> str:
    table = operators_table(figures)
    lines = [title(), subtitle(figures), ""]
    widths = [
        max(len(row[i]) for row in [table.headers, *table.rows, table.total])
        for i in range(len(table.headers))
    ]
    for row in [table.headers, *table.rows, table.total]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines += ["", _("Areas reopened by failed quality control")]
    if not figures.reopened:
        lines.append(_("None in the period."))
    lines += [f"- {reopened_sentence(area)}" for area in figures.reopened]
    return "\n".join(lines) + "\n"


def render_html(figures: QualityFigures) -> str:
    return (
        template_environment()
        .get_template("quality.html.j2")
        .render(
            locale=current_locale(),
            title=title(),
            subtitle=subtitle(figures),
            table=operators_table(figures),
            reopened=[reopened_sentence(area) for area in figures.reopened],
            generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


def render_quality(figures: QualityFigures, report_format: AnalysisFormat) -> str | bytes:
    """The quality report in ``report_format`` (bytes for PDF, text otherwise)."""
    return render_as(
        report_format,
        figures.to_json,
        lambda: render_text(figures),
        lambda: render_html(figures),
        quality_sheets,
    )
