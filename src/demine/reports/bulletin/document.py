"""Operations bulletins as HTML, PDF, Markdown, text and JSON documents, and their
tables as an XLSX workbook."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from demine.analysis.bulletin import BulletinFigures
from demine.analysis.summary import Counts, FigureSource
from demine.domain.periods import PeriodKind
from demine.domain.places import shown_names
from demine.i18n import N_, _, current_locale, format_day, format_number
from demine.reports.bulletin.paragraph import bulletin_paragraph
from demine.reports.bulletin.risk_education import risk_education_sentence
from demine.reports.bulletin.summary_text import hectares
from demine.reports.casualties.paragraph import casualty_paragraph, named_for_reader
from demine.reports.formats import ReportFormat as ReportFormat

_TITLES = {
    PeriodKind.WEEK: N_("Weekly operations report"),
    PeriodKind.MONTH: N_("Monthly operations report"),
    PeriodKind.YEAR: N_("Annual operations report"),
    PeriodKind.CUSTOM: N_("Operations report"),
}
#: Where the figures come from, as the provenance note names it.
_SOURCES = {
    FigureSource.RECORDS: N_("the register's records"),
    FigureSource.REPORTED_SUMMARIES: N_("published summaries"),
    FigureSource.NONE: N_("no data"),
}


@dataclass(frozen=True)
class HeadlineFigure:
    label: str
    value: str
    change: str
    direction: str


def title_of(figures: BulletinFigures) -> str:
    return _(_TITLES[figures.period.kind])


def subtitle_of(figures: BulletinFigures) -> str:
    summary = figures.summary
    where = figures.country_name
    if summary.district_filter:
        where = f"{shown_names(summary.district_names)[summary.district_filter]}, {where}"
    return _("{where}, {label}: {start} to {end}").format(
        where=where,
        label=figures.period.label,
        start=format_day(figures.period.start),
        end=format_day(figures.period.end),
    )


def _change(current: float, previous: float, decimals: int) -> tuple[str, str]:
    delta = current - previous
    if delta == 0:
        return _("no change"), "same"
    sign = "+" if delta > 0 else "−"
    amount = format_number(round(abs(delta), decimals), decimals)
    direction = "up" if delta > 0 else "down"
    if previous:
        percent = format_number(abs(delta) / previous * 100, 0)
        # The percent sign is the language's: "16%" in English, "16 %" in Russian.
        return _("{amount} ({percent}%)").format(
            amount=sign + amount, percent=sign + percent
        ), direction
    return sign + amount, direction


def headline(figures: BulletinFigures) -> list[HeadlineFigure]:
    now, before = figures.summary.total, figures.previous.total
    items: list[HeadlineFigure] = []
    for label, attribute in (
        (N_("AP mines"), "ap_mines"),
        (N_("AT mines"), "at_mines"),
        (N_("UXO"), "uxo"),
        (N_("Other devices"), "other_devices"),
    ):
        current, previous = getattr(now, attribute), getattr(before, attribute)
        change, direction = _change(current, previous, 0)
        items.append(HeadlineFigure(_(label), format_number(current), change, direction))
    for label, attribute in (
        (N_("Hectares cleared"), "area_cleared_m2"),
        (N_("Hectares reduced"), "area_reduced_m2"),
        (N_("Hectares cancelled"), "area_cancelled_m2"),
    ):
        current, previous = getattr(now, attribute) / 10_000, getattr(before, attribute) / 10_000
        change, direction = _change(current, previous, 1)
        items.append(HeadlineFigure(_(label), hectares(getattr(now, attribute)), change, direction))
    reached = figures.risk_education.beneficiaries
    change, direction = _change(reached, figures.previous_risk_education.beneficiaries, 0)
    label = _("People reached by risk education")
    items.append(HeadlineFigure(label, format_number(reached), change, direction))
    return items


def _cells(counts: Counts) -> list[str]:
    return [
        format_number(counts.ap_mines),
        format_number(counts.at_mines),
        format_number(counts.uxo),
        format_number(counts.other_devices),
        hectares(counts.area_cleared_m2),
        hectares(counts.area_reduced_m2),
        hectares(counts.area_cancelled_m2),
        format_number(counts.activities),
    ]


def district_table(figures: BulletinFigures) -> dict[str, Any]:
    summary = figures.summary
    shown = shown_names(summary.district_names)
    return {
        "headers": [
            _("District"),
            _("AP"),
            _("AT"),
            _("UXO"),
            _("Other"),
            _("Cleared ha"),
            _("Reduced ha"),
            _("Cancelled ha"),
            _("Activities"),
        ],
        "rows": [[shown[code], *_cells(counts)] for code, counts in summary.by_district.items()],
        "total": [_("Total"), *_cells(summary.total)],
    }


def provenance_text(figures: BulletinFigures) -> str:
    provenance = figures.provenance
    # Counts after their labels: no noun follows a number, so no plural form is needed.
    text = _(
        "Figures computed from the register (device-find records: {finds}; activity "
        "records: {activities}; source: {source})."
    ).format(
        finds=format_number(provenance.find_records),
        activities=format_number(provenance.activity_records),
        source=_(_SOURCES[figures.summary.source]),
    )
    if figures.as_known_on is None:
        return text
    known = _(
        "The register as it was known on {day}, rebuilt from the records' history: later "
        "corrections are not included."
    ).format(day=format_day(figures.as_known_on))
    return f"{text} {known}"


def render_text(figures: BulletinFigures) -> str:
    casualties = (
        casualty_paragraph(named_for_reader(figures.casualties, figures.summary.district_names))
        if figures.casualties
        else None
    )
    text = bulletin_paragraph(figures.summary, casualties)
    risk_education = risk_education_sentence(figures.risk_education)
    return f"{text}\n\n{risk_education}" if risk_education else text


def render_markdown(figures: BulletinFigures) -> str:
    table = district_table(figures)
    lines = [f"# {title_of(figures)}", "", f"*{subtitle_of(figures)}*", ""]
    lines += [render_text(figures), "", f"## {_('Headline figures')}", ""]
    lines += [f"- **{item.label}**: {item.value} ({item.change})" for item in headline(figures)]
    lines += ["", f"## {_('By district')}", ""]
    lines.append("| " + " | ".join(table["headers"]) + " |")
    lines.append("|" + "---|" * len(table["headers"]))
    for row in [*table["rows"], table["total"]]:
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", f"_{provenance_text(figures)}_", ""]
    return "\n".join(lines)


def render_html(figures: BulletinFigures) -> str:
    """A self-contained HTML page: charts and map are inline SVG, no external asset."""
    # Charts and Jinja: only pages and PDFs pay for them, not text and JSON.
    from demine.reports.bulletin.drawing import cumulative_chart, period_map, trend_chart
    from demine.reports.templating import template_environment_for

    template = template_environment_for(__file__).get_template("bulletin.html.j2")
    title = title_of(figures)
    provenance = figures.provenance
    previous = figures.previous
    generated = provenance.generated_at.astimezone(UTC)
    return template.render(
        locale=current_locale(),
        title=title,
        subtitle=subtitle_of(figures),
        paragraphs=render_text(figures).split("\n\n"),
        headline=headline(figures),
        previous_label=_("{start} to {end}").format(
            start=format_day(previous.period_start), end=format_day(previous.period_end)
        ),
        table=district_table(figures),
        trend_svg=trend_chart(figures.trend, _("Last 12 periods")),
        cumulative_svg=cumulative_chart(figures.cumulative, _("Cumulative by month")),
        map_svg=period_map(figures.map, subtitle_of(figures)),
        provenance_text=provenance_text(figures),
        imports=[
            {**item, "imported_on": format_day(datetime.fromisoformat(item["imported_at"]))}
            for item in provenance.imports
        ],
        published=provenance.published,
        generated=_("Generated by Demine on {day} at {time} UTC.").format(
            day=format_day(generated.date()), time=generated.strftime("%H:%M")
        ),
    )


def render_pdf(figures: BulletinFigures) -> bytes:
    from demine.reports.templating import html_to_pdf

    return html_to_pdf(render_html(figures))


def render(figures: BulletinFigures, report_format: ReportFormat) -> str | bytes:
    """The bulletin in ``report_format`` (bytes for PDF and XLSX, text otherwise)."""
    if report_format is ReportFormat.JSON:
        return json.dumps(figures.to_json(), indent=2, ensure_ascii=False)
    if report_format is ReportFormat.XLSX:
        from demine.reports.bulletin.sheets import bulletin_sheets
        from demine.reports.workbook import workbook_bytes

        return workbook_bytes(bulletin_sheets(figures.to_json()))
    if report_format is ReportFormat.TEXT:
        return render_text(figures)
    if report_format is ReportFormat.MARKDOWN:
        return render_markdown(figures)
    if report_format is ReportFormat.HTML:
        return render_html(figures)
    return render_pdf(figures)
