"""The period summary as text people read (translatable, locale-formatted)."""

from __future__ import annotations

from demine.analysis.summary import Counts, FigureSource, PeriodSummary
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.places import shown_names
from demine.i18n import N_, _, format_day, format_number, ngettext

_SOURCE_WORDS = {
    FigureSource.RECORDS: N_("from the register's records"),
    FigureSource.REPORTED_SUMMARIES: N_("from published summaries (no records for this period)"),
    FigureSource.NONE: N_("no records or published summaries for this period"),
}


def hectares(square_metres: float) -> str:
    """Hectares with one decimal, grouped and punctuated like every other number of the
    text (``1,039.5``; ``1 039,5`` in Russian)."""
    # Rounded as a float first: Babel rounds the decimal text half-even, which would turn
    # 62.85 (stored as 62.850000000000001) into 62.8 where the JSON and CSV say 62.9.
    return format_number(round(square_metres / SQUARE_METRES_PER_HECTARE, 1), 1)


def render_summary_text(summary: PeriodSummary) -> str:
    """A headline, the district list in reporting order and a table by district."""
    total = summary.total
    shown = shown_names(summary.district_names)
    country_name = shown.get(summary.country, summary.country)
    where = country_name
    if summary.district_filter:
        where = f"{shown[summary.district_filter]}, {country_name}"
    lines = [
        _("Summary for {where}, {start} to {end} ({source})").format(
            where=where,
            start=format_day(summary.period_start),
            end=format_day(summary.period_end),
            source=_(_SOURCE_WORDS[summary.source]),
        ),
        # Category, then count: no noun after a number, so no plural form to get wrong.
        _("Devices found: AP mines {ap}, AT mines {at}, UXO {uxo}, other devices {other}").format(
            ap=format_number(total.ap_mines),
            at=format_number(total.at_mines),
            uxo=format_number(total.uxo),
            other=format_number(total.other_devices),
        ),
        _(
            "Land released: {cleared} ha cleared, {reduced} ha reduced, "
            "{cancelled} ha cancelled (activities: {activities})"
        ).format(
            cleared=hectares(total.area_cleared_m2),
            reduced=hectares(total.area_reduced_m2),
            cancelled=hectares(total.area_cancelled_m2),
            activities=format_number(total.activities),
        ),
    ]
    if total.accidents or summary.hazards_recorded:
        lines.append(
            _("Accidents: {accidents}; hazard areas recorded: {hazards}").format(
                accidents=format_number(total.accidents),
                hazards=format_number(summary.hazards_recorded),
            )
        )
    names = [shown[code] for code in summary.districts]
    lines.append(
        _("Districts ({count}): {names}").format(
            count=format_number(len(names)), names=", ".join(names) or "–"
        )
    )
    if summary.unattributable_records:
        lines.append(
            ngettext(
                "{count} record dated only to a month or year overlaps this period "
                "but cannot be placed inside it; it is not counted.",
                "{count} records dated only to a month or year overlap this period "
                "but cannot be placed inside it; they are not counted.",
                summary.unattributable_records,
            ).format(count=format_number(summary.unattributable_records))
        )
    for conflict in summary.conflicts:
        lines.append(_("Warning: published figures disagree: {conflict}").format(conflict=conflict))
    if summary.source_references:
        lines.append(
            _("Sources: {references}").format(references="; ".join(summary.source_references))
        )
    lines.append("")
    lines.extend(_table(summary))
    return "\n".join(lines)


def _table(summary: PeriodSummary) -> list[str]:
    headers = [
        _("District"), _("AP"), _("AT"), _("UXO"), _("Other"),
        _("Cleared ha"), _("Reduced ha"), _("Cancelled ha"), _("Activities"),
    ]  # fmt: skip
    shown = shown_names(summary.district_names)
    rows = [[shown[code], *_cells(counts)] for code, counts in summary.by_district.items()]
    rows.append([_("Total"), *_cells(summary.total)])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    return [line(headers), *(line(r) for r in rows)]


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
