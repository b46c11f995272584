"""The national weekly series as JSON, CSV, HTML or PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from demine.analysis.series import WeeklySeries
from demine.i18n import _, current_locale, format_number
from demine.reports.bulletin.charts import series_chart
from demine.reports.formats import SeriesFormat as SeriesFormat
from demine.reports.templating import html_to_pdf, template_environment_for

_SOURCE_WORDS = {"records": "records", "reported_summaries": "published", "none": "no data"}


def render_csv(series: WeeklySeries) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = ["period", "period_start", "period_end", "source", "ap_mines", "at_mines", "uxo",
               "other_devices", "hectares_cleared"]  # fmt: skip
    writer.writerow(columns)
    for point in series.points:
        row = point.to_json()
        writer.writerow([row[c] for c in columns])
    return buffer.getvalue()


def render_html(series: WeeklySeries) -> str:
    where = series.shown_name or series.district or series.country_name or series.country
    title = _("National weekly series") if series.district is None else _("Weekly series")
    counts = series.source_counts()
    coverage = _(
        "{weeks} weeks: {records} from records, {published} from published summaries, "
        "{missing} with no data."
    ).format(
        weeks=len(series.points),
        records=counts.get("records", 0),
        published=counts.get("reported_summaries", 0),
        missing=counts.get("none", 0),
    )
    rows = [
        {
            "source": point.source.value,
            "cells": [
                point.period.label,
                _(_SOURCE_WORDS[point.source.value]),
                format_number(point.ap_mines),
                format_number(point.at_mines),
                format_number(point.uxo),
                format_number(point.other_devices),
                f"{point.hectares_cleared:.1f}",
            ],
        }
        for point in series.points
    ]
    return (
        template_environment_for(__file__)
        .get_template("series.html.j2")
        .render(
            locale=current_locale(),
            title=title,
            subtitle=f"{where}, {series.start.isoformat()} – {series.end.isoformat()}",
            coverage=coverage,
            missing=[p.label for p in series.missing],
            chart=series_chart(series.points, title),
            headers=[
                _("Week"),
                _("Source"),
                _("AP"),
                _("AT"),
                _("UXO"),
                _("Other"),
                _("Cleared ha"),
            ],
            rows=rows,
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_series(series: WeeklySeries, series_format: SeriesFormat) -> str | bytes:
    if series_format is SeriesFormat.JSON:
        return json.dumps(series.to_json(), indent=2, ensure_ascii=False)
    if series_format is SeriesFormat.CSV:
        return render_csv(series)
    page = render_html(series)
    if series_format is SeriesFormat.HTML:
        return page
    return html_to_pdf(page)
