"""Minefield records verification as text, HTML, PDF, JSON or XLSX.

The report is for the programme's own staff: it names records, places and sources,
which are security-sensitive, and says so on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from demine.analysis.records.evidence import TYPES
from demine.analysis.records.programme import AccidentTally, RecordTally
from demine.analysis.records.verify import RecordResult, RecordsVerification
from demine.domain.places import shown_names
from demine.i18n import _, current_locale, format_number, ngettext
from demine.reports.analysis_format import render_as
from demine.reports.formats import RecordsFormat as RecordsFormat
from demine.reports.records.charts import records_map, verdict_chart, verdict_label
from demine.reports.records.sheets import records_sheets
from demine.reports.templating import template_environment


def _percent(share: float | None) -> str:
    return "–" if share is None else format_number(share * 100) + "%"


def title() -> str:
    return _("Minefield records: verification against clearance results")


def subtitle(verification: RecordsVerification) -> str:
    programme = verification.programme
    return _("{country}, as of {as_of}; accidents from {start} to {end}").format(
        country=shown_names(programme.district_names).get(
            verification.country, verification.country
        ),
        as_of=verification.as_of.isoformat(),
        start=programme.period_start.isoformat(),
        end=programme.period_end.isoformat(),
    )


def records_sentence(tally: RecordTally) -> str:
    if not tally.total:
        return _("No minefield record has been received.")
    if not tally.verified:
        return ngettext(
            "The {total} record received cannot be judged yet.",
            "None of the {total} records received can be judged yet.",
            tally.total,
        ).format(total=format_number(tally.total))
    return ngettext(
        "Of {total} record received, {verified} could be judged against clearance results; "
        "{accurate} of them proved accurate ({share}).",
        "Of {total} records received, {verified} could be judged against clearance results; "
        "{accurate} of them proved accurate ({share}).",
        tally.total,
    ).format(
        total=format_number(tally.total),
        verified=format_number(tally.verified),
        accurate=format_number(tally.accurate),
        share=_percent(tally.accurate_share),
    )


def accidents_sentence(tally: AccidentTally) -> str:
    if not tally.located:
        return _("No accident with a location was recorded in the period.")
    return ngettext(
        "{outside} of {located} accident with a location happened outside the area of every "
        "record ({share}).",
        "{outside} of {located} accidents with a location happened outside the area of every "
        "record ({share}).",
        tally.located,
    ).format(
        outside=format_number(tally.outside),
        located=format_number(tally.located),
        share=_percent(tally.outside_share),
    )


def paragraph(verification: RecordsVerification) -> str:
    programme = verification.programme
    return records_sentence(programme.records) + " " + accidents_sentence(programme.accidents)


def _district_names(result: RecordResult, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in result.measure.districts)


def record_rows(verification: RecordsVerification) -> list[dict[str, Any]]:
    names = shown_names(verification.programme.district_names)
    rows = []
    for result in verification.records:
        m = result.measure
        rows.append(
            {
                "verdict": result.verdict.value,
                "cells": [
                    m.record.external_id,
                    _district_names(result, names),
                    m.record.source,
                    m.record.received_on.isoformat(),
                    _percent(m.coverage_share),
                    " / ".join(format_number(m.declared[t]) for t in TYPES),
                    " / ".join(format_number(m.matched(t)) for t in TYPES),
                    format_number(m.evidence_outside),
                    verdict_label(result.verdict),
                ],
                "reason": result.reason,
            }
        )
    return rows


def render_text(verification: RecordsVerification) -> str:
    names = shown_names(verification.programme.district_names)
    lines = [title(), subtitle(verification), "", paragraph(verification), ""]
    for result in verification.records:
        record = result.measure.record
        lines.append(
            f"{record.external_id} ({_district_names(result, names)}; {record.source}; "
            f"{record.received_on.isoformat()}): {verdict_label(result.verdict)}. {result.reason}"
        )
    lines += ["", _("Security-sensitive: not for publication.")]
    return "\n".join(lines) + "\n"


def render_html(verification: RecordsVerification) -> str:
    programme = verification.programme
    names = shown_names(programme.district_names)
    by_district = [(names.get(c, c), t[0]) for c, t in programme.by_district.items() if t[0].total]
    return (
        template_environment()
        .get_template("records.html.j2")
        .render(
            locale=current_locale(),
            title=title(),
            subtitle=subtitle(verification),
            paragraph=paragraph(verification),
            headline=[
                (_("Verified records accurate"), _percent(programme.records.accurate_share)),
                (
                    _("Records judged / received"),
                    f"{format_number(programme.records.verified)} / "
                    f"{format_number(programme.records.total)}",
                ),
                (
                    _("Accidents outside all records"),
                    _percent(programme.accidents.outside_share),
                ),
            ],
            headers=[
                _("Record"),
                _("Districts"),
                _("Source"),
                _("Received"),
                _("Worked"),
                _("Declared AP / AT / other"),
                _("Found where declared"),
                _("Nearby outside"),
                _("Verdict"),
            ],
            rows=record_rows(verification),
            map_svg=records_map(verification, subtitle(verification)),
            district_chart=verdict_chart(by_district, _("Records by district")),
            source_chart=verdict_chart(
                list(programme.by_source.items()), _("Records by who handed them over")
            ),
            districts=[
                [
                    names.get(code, code),
                    format_number(r.total),
                    format_number(r.verified),
                    _percent(r.accurate_share),
                    format_number(a.located),
                    _percent(a.outside_share),
                ]
                for code, (r, a) in programme.by_district.items()
            ],
            thresholds=verification.thresholds,
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_records(verification: RecordsVerification, report_format: RecordsFormat) -> str | bytes:
    """The verification in ``report_format`` (bytes for PDF and XLSX, text otherwise)."""
    return render_as(
        report_format,
        verification.to_json,
        lambda: render_text(verification),
        lambda: render_html(verification),
        records_sheets,
    )
