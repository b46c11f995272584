"""Casualty reports as text, HTML, PDF, JSON and XLSX, exact or public.

Every format is written from the same figures: ``CasualtyStatistics.to_json()``, or its
public view with small counts hidden (``public=True``). A public document therefore
holds exactly what the public JSON holds: aggregates, no record, identifier or point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from demine.analysis.casualties import ACCIDENT_BREAKDOWNS, VICTIM_BREAKDOWNS, CasualtyStatistics
from demine.analysis.casualties.public import public_json
from demine.domain.disclosure import DEFAULT_THRESHOLD, Cell
from demine.domain.places import shown_names
from demine.i18n import _, current_locale
from demine.reports.casualties.charts import bar_chart, column_chart, district_map
from demine.reports.casualties.labels import breakdown_title, cell_label
from demine.reports.casualties.paragraph import (
    casualty_text,
    cell_text,
    named_for_reader,
    since_words,
)
from demine.reports.casualties.sheets import casualty_sheets
from demine.reports.formats import CasualtyFormat as CasualtyFormat
from demine.reports.templating import html_to_pdf, template_environment
from demine.reports.workbook import workbook_bytes

#: Breakdowns drawn over time (columns) rather than as categories (bars).
_OVER_TIME = ("by_year", "by_month")


@dataclass(frozen=True)
class Section:
    """One breakdown: its title, rows of (label, count as read, share) and a chart.

    Months are shown as a grid instead (a row per year, a column per month), which
    ``grid_header`` and ``grid`` hold.
    """

    key: str
    title: str
    rows: list[tuple[str, str, str]]
    total: str
    chart: str
    grid_header: list[str] = field(default_factory=list)
    grid: list[list[str]] = field(default_factory=list)


def report_figures(
    statistics: CasualtyStatistics, public: bool, threshold: int = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """The figures a report shows: exact, or the public view."""
    return public_json(statistics, threshold) if public else statistics.to_json()


def _share(cell: Cell, total: int) -> str:
    if isinstance(cell, str) or not total:
        return ""
    return f"{cell / total * 100:.0f}%"


def _section(key: str, cells: dict[str, Cell], total: int) -> Section:
    labelled = [(cell_label(key, name), cell) for name, cell in cells.items()]
    rows = [(label, cell_text(cell), _share(cell, total)) for label, cell in labelled]
    title = breakdown_title(key)
    chart = column_chart(labelled, title) if key in _OVER_TIME else bar_chart(labelled, title)
    if key != "by_month":
        return Section(key, title, rows, cell_text(total), chart)
    header, grid = _month_grid(cells)
    return Section(key, title, [], cell_text(total), chart, header, grid)


def _month_grid(cells: dict[str, Cell]) -> tuple[list[str], list[list[str]]]:
    """Months as a year-by-month grid: a row per year, "month not known" last."""
    years = sorted({name[:4] for name in cells if name != "unknown"})
    header = [_("Year"), *(f"{m:02d}" for m in range(1, 13)), cell_label("by_month", "unknown")]
    grid = []
    for year in years:
        row = [year]
        row += [
            cell_text(cells[key]) if (key := f"{year}-{m:02d}") in cells else ""
            for m in range(1, 13)
        ]
        grid.append([*row, ""])
    if cells.get("unknown"):
        grid.append(["", *([""] * 12), cell_text(cells["unknown"])])
    return header, grid


def sections(figures: dict[str, Any]) -> list[Section]:
    """Every breakdown with its table rows and chart, victims first, then accidents."""
    result = []
    for key in VICTIM_BREAKDOWNS:
        if key == "by_activity" and not figures[key]:
            continue
        result.append(_section(key, figures[key], figures["since_total"]))
    for key in ACCIDENT_BREAKDOWNS:
        result.append(_section(key, figures[key], figures["since_accidents"]))
    return result


def title_of(figures: dict[str, Any]) -> str:
    return _("Mine and ERW casualties")


def subtitle_of(figures: dict[str, Any]) -> str:
    where = figures["country_name"]
    if figures["district"]:
        where = f"{figures['district']}, {where}"
    since = since_words(figures)
    if since is None:
        return _("{where}, all records to {as_of}").format(where=where, as_of=figures["as_of"])
    return _("{where}, since {since} ({start}) to {as_of}").format(
        where=where, since=since, start=figures["since"], as_of=figures["as_of"]
    )


def headline(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of the figures shown large at the top."""
    items = [
        (_("Victims since the start date"), figures["since_total"]),
        (_("Killed"), figures["since_killed"]),
        (_("Injured"), figures["since_injured"]),
        (_("Outcome not known"), figures["since_unknown_outcome"]),
        (_("Accidents"), figures["since_accidents"]),
    ]
    if figures["all_time_total"] is not None:
        items += [
            (_("Victims of all time"), figures["all_time_total"]),
            (_("Killed, all time"), figures["all_time_killed"]),
            (_("Children, all time"), figures["all_time_children"]),
            (_("Women, all time"), figures["all_time_women"]),
        ]
    return [(label, cell_text(value)) for label, value in items]


def all_time_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, published baseline, recorded after it, all time): the split shown."""
    baseline, after = figures["baseline"], figures["after_baseline"]
    if after is None:
        return []
    published = baseline["figures"] if baseline else {}
    rows = []
    for name, label in (
        ("total", _("Victims")),
        ("killed", _("Killed")),
        ("injured", _("Injured")),
        ("children", _("Children")),
        ("women", _("Women")),
    ):
        all_time = figures["all_time_total"] if name == "total" else figures[f"all_time_{name}"]
        rows.append(
            (label, cell_text(published.get(name)), cell_text(after[name]), cell_text(all_time))
        )
    return rows


def render_html(statistics: CasualtyStatistics, figures: dict[str, Any]) -> str:
    """A self-contained HTML page: charts and map are inline SVG, no external asset."""
    threshold = figures["suppression_threshold"] or 1
    names = shown_names(statistics.records.district_names)
    chosen = statistics.records.district_filter
    shapes = {
        code: shape
        for code, shape in statistics.district_shapes.items()
        if chosen is None or code == chosen
    }
    return (
        template_environment()
        .get_template("casualties.html.j2")
        .render(
            locale=current_locale(),
            title=title_of(figures),
            subtitle=subtitle_of(figures),
            text_blocks=casualty_text(figures).split("\n\n"),
            headline=headline(figures),
            all_time_rows=all_time_rows(figures),
            baseline=figures["baseline"],
            sections=sections(figures),
            map_svg=district_map(
                shapes,
                names,
                figures["accidents_by_district"],
                _("Accidents by district"),
                threshold,
                statistics.records.approximate_districts,
            ),
            public=figures["public"],
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_casualties(
    statistics: CasualtyStatistics,
    report_format: CasualtyFormat,
    public: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
) -> str | bytes:
    """The casualty report in ``report_format`` (bytes for PDF and XLSX, text otherwise)."""
    figures = report_figures(statistics, public, threshold)
    if report_format is CasualtyFormat.JSON:
        return json.dumps(figures, indent=2, ensure_ascii=False)
    if report_format is CasualtyFormat.XLSX:
        return workbook_bytes(casualty_sheets(figures))
    # Texts people read name places in their language; the JSON keeps canonical names.
    figures = named_for_reader(figures, statistics.records.area_names)
    if report_format is CasualtyFormat.TEXT:
        return casualty_text(figures)
    html = render_html(statistics, figures)
    return html if report_format is CasualtyFormat.HTML else html_to_pdf(html)
