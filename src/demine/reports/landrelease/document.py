"""The land-release report as text, HTML, PDF, JSON or a workbook of its tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from demine.analysis.landrelease.figures import LandReleaseFigures
from demine.analysis.landrelease.ledger import RemainingArea
from demine.analysis.landrelease.released import Efficiency, Released
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.places import shown_names
from demine.i18n import _, current_locale, format_number
from demine.reports.analysis_format import AnalysisFormat, render_as
from demine.reports.landrelease.charts import released_chart, remaining_chart, status_map
from demine.reports.landrelease.sheets import landrelease_sheets
from demine.reports.templating import template_environment


def _ha(square_metres: float) -> str:
    return format_number(square_metres / SQUARE_METRES_PER_HECTARE, 1)


def _percent(share: float | None) -> str:
    return "–" if share is None else format_number(share * 100) + "%"


def title() -> str:
    return _("Land release: progress and remaining contamination")


def subtitle(figures: LandReleaseFigures) -> str:
    shown = shown_names(figures.names)
    where = shown.get(figures.country, figures.country_name)
    if figures.district:
        where = f"{shown.get(figures.district, figures.district)}, {where}"
    return _("{where}, {start} to {end}").format(
        where=where, start=figures.period.start.isoformat(), end=figures.period.end.isoformat()
    )


def released_sentence(figures: LandReleaseFigures) -> str:
    released = figures.released
    if not released.activities:
        return _("No land was reported released in the period.")
    return _(
        "{total} ha were released: {cleared} ha cleared, {reduced} ha reduced by technical "
        "survey and {cancelled} ha cancelled by non-technical survey."
    ).format(
        total=_ha(released.total_m2),
        cleared=_ha(released.cleared_m2),
        reduced=_ha(released.reduced_m2),
        cancelled=_ha(released.cancelled_m2),
    )


def remaining_sentence(figures: LandReleaseFigures) -> str:
    end, start = figures.remaining_end, figures.remaining_start
    change = end.total_m2 - start.total_m2
    return _(
        "On {day}, {total} ha of known hazardous area remained ({cha} ha confirmed, {sha} ha "
        "suspected), {change} ha since {start_day}."
    ).format(
        day=figures.period.end.isoformat(),
        total=_ha(end.total_m2),
        cha=_ha(end.cha_m2),
        sha=_ha(end.sha_m2),
        change=("+" if change > 0 else "−" if change < 0 else "±") + _ha(abs(change)),
        start_day=(figures.period.start - timedelta(days=1)).isoformat(),
    )


def efficiency_sentence(efficiency: Efficiency) -> str:
    rate = efficiency.m2_per_team_day
    if rate is None:
        return _("No clearance activity reported its team-days in the period.")
    return _(
        "Clearance teams cleared {rate} m² per team-day and found {devices} devices per "
        "hectare; {share} of the cleared land held at least one device."
    ).format(
        rate=format_number(rate),
        devices=format_number(efficiency.devices_per_hectare or 0.0, 2),
        share=_percent(efficiency.share_with_finds),
    )


def method_note() -> str:
    return _(
        "The area remaining on a day is each hazard's estimated area minus the land released "
        "by activities linked to it that ended by then, never below zero; hazards closed by "
        "then, or recorded later, count nothing (see docs/forecast.md)."
    )


def paragraph(figures: LandReleaseFigures) -> str:
    return " ".join(
        [
            released_sentence(figures),
            remaining_sentence(figures),
            efficiency_sentence(figures.efficiency),
        ]
    )


def _released_cells(released: Released) -> list[str]:
    return [_ha(released.cleared_m2), _ha(released.reduced_m2), _ha(released.cancelled_m2)]


def _remaining_cells(start: RemainingArea, end: RemainingArea) -> list[str]:
    return [_ha(start.total_m2), _ha(end.cha_m2), _ha(end.sha_m2), _ha(end.total_m2),
            f"{end.open} / {end.worked_on} / {end.closed}"]  # fmt: skip


def district_table(figures: LandReleaseFigures) -> dict[str, Any]:
    shown = shown_names(figures.names)
    rows = [
        [shown.get(code, code), *_released_cells(figures.by_district.get(code, Released())),
         *_remaining_cells(start, end)]
        for code, (start, end) in figures.remaining_by_district.items()
    ]  # fmt: skip
    total = [_("Total"), *_released_cells(figures.released),
             *_remaining_cells(figures.remaining_start, figures.remaining_end)]  # fmt: skip
    headers = [_("District"), _("Cleared ha"), _("Reduced ha"), _("Cancelled ha"),
               _("Remaining ha at start"), _("CHA ha"), _("SHA ha"), _("Remaining ha"),
               _("Hazards open / worked on / closed")]  # fmt: skip
    return {"headers": headers, "rows": rows, "total": total}


def render_text(figures: LandReleaseFigures) -> str:
    table = district_table(figures)
    lines = [title(), subtitle(figures), "", paragraph(figures), ""]
    lines.append("\t".join(table["headers"]))
    lines += ["\t".join(row) for row in [*table["rows"], table["total"]]]
    lines += ["", method_note()]
    return "\n".join(lines) + "\n"


def render_html(figures: LandReleaseFigures) -> str:
    efficiency = figures.efficiency
    shares = efficiency.method_shares
    return (
        template_environment()
        .get_template("landrelease.html.j2")
        .render(
            locale=current_locale(),
            title=title(),
            subtitle=subtitle(figures),
            paragraph=paragraph(figures),
            headline=[
                (_("Hectares released"), _ha(figures.released.total_m2)),
                (_("Hectares cleared"), _ha(figures.released.cleared_m2)),
                (_("Hectares remaining"), _ha(figures.remaining_end.total_m2)),
                (_("m² cleared per team-day"), format_number(efficiency.m2_per_team_day or 0)),
                (
                    _("Devices per hectare cleared"),
                    format_number(efficiency.devices_per_hectare or 0, 2),
                ),
                (_("Cleared land with finds"), _percent(efficiency.share_with_finds)),
            ],
            shares=[
                (_("Cleared"), _percent(shares.get("cleared"))),
                (_("Reduced (technical survey)"), _percent(shares.get("reduced"))),
                (_("Cancelled (non-technical survey)"), _percent(shares.get("cancelled"))),
            ],
            table=district_table(figures),
            released_svg=released_chart(figures, _("Land released, by method")),
            remaining_svg=remaining_chart(figures, _("Known hazardous area remaining")),
            map_svg=status_map(
                figures.hazards,
                figures.districts,
                _("Hazard status on {day}").format(day=figures.period.end.isoformat()),
            ),
            method_note=method_note(),
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_landrelease(figures: LandReleaseFigures, report_format: AnalysisFormat) -> str | bytes:
    """The land-release report in ``report_format`` (bytes for PDF, text otherwise)."""
    return render_as(
        report_format,
        figures.to_json,
        lambda: render_text(figures),
        lambda: render_html(figures),
        landrelease_sheets,
    )
