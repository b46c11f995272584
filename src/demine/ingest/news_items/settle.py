"""Settling one report: its period, and one value per figure, with the evidence for each.

A report may state a figure more than once (headline and body). The statements decide
together: exact figures win over "more than"/"about" ones, a precise figure over its
rounding ("1,039.5" over a headline's "1,040"); figures that still differ, or one that
could not be read, leave the value out with a warning and every figure seen listed as a
candidate. A figure stated only as a part of another ("of which 4.4 hectares in
Gazakh"), or a headline figure in an item of several periods, is never the report's
own: it is listed, not chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from demine.i18n import _
from demine.ingest.news_items.dating import (
    DEDUCED,
    Period,
    WeekYear,
    candidate_dates,
    deduce_week_year,
    kind_of,
)
from demine.ingest.news_items.figures import Figure
from demine.ingest.news_items.model import (
    FIGURE_FIELDS,
    Candidate,
    FieldReading,
    ReportFigures,
    ReportKind,
)
from demine.ingest.news_items.reports import Report
from demine.ingest.news_items.text import span_of

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
#: How sure a value is, by how it was settled.
SURE, ROUNDED, APPROXIMATE = 1.0, 0.9, 0.6


@dataclass(frozen=True)
class Wording:
    """What the item says about its own rhythm, for reports whose period is not written."""

    weekly: bool = False
    monthly: bool = False


@dataclass(frozen=True)
class SettledReport:
    """A report's figures and, for each value set, the sentence it was read from."""

    report: Report
    figures: ReportFigures
    evidence: dict[str, str] = field(default_factory=dict)
    #: Every field set or abstained on, by its name in the report (``hectares`` …).
    readings: dict[str, FieldReading] = field(default_factory=dict)


def settle(report: Report, wording: Wording, warnings: list[str], reference: date) -> SettledReport:
    """One value per figure for ``report``, its period and kind, and their evidence.

    ``reference`` is the day the item is read as of (its publication date, or today): a
    year is never deduced past it.
    """
    period, period_sentence = period_of(report, warnings)
    kind = kind_of(period, weekly_words=wording.weekly, monthly_words=wording.monthly)
    evidence: dict[str, str] = {}
    readings = period_readings(
        period, period_sentence, report, reference=reference, weekly=kind is ReportKind.WEEKLY
    )
    if period is not None and readings["period_start"].confidence == DEDUCED:
        warnings.append(readings["period_start"].reason)
    if period_sentence is not None:
        evidence["kind"] = period_sentence
        for name in ("period_start", "period_end"):
            if readings[name].value is not None:
                evidence[name] = period_sentence
    values: dict[str, float] = {}
    for name in FIGURE_FIELDS:
        stated = [(f, s) for f, s in report.figures if f.field == name]
        if not stated:
            continue
        reading = _figure_reading(stated, name, warnings)
        readings[name] = reading
        if isinstance(reading.value, int | float):
            values[name] = reading.value
            evidence[name] = next(
                s for f, s in stated if f.value == reading.value and not (f.part or f.unplaced)
            )
    start, end = readings["period_start"].value, readings["period_end"].value
    figures = ReportFigures(
        kind,
        start if isinstance(start, date) else None,
        end if isinstance(end, date) else None,
        ap_mines=_whole(values.get("ap_mines")),
        at_mines=_whole(values.get("at_mines")),
        uxo=_whole(values.get("uxo")),
        hectares=values.get("hectares"),
        area_sq_m=_whole(values.get("area_sq_m")),
    )
    return SettledReport(report, figures, evidence, readings)


def period_of(report: Report, warnings: list[str]) -> tuple[Period | None, str | None]:
    """The report's written period, or its "last week"-style hint when it has none.

    A hint is not used when the source visibly dropped the period ("(dekabrın )").
    """
    anchor = report.anchor
    if anchor is not None:
        for hint, _sentence in report.hints:
            if hint.start is not None and anchor.start is not None and hint.key != anchor.key:
                warnings.append(
                    _("'{hint}' does not match the period '{period}'").format(
                        hint=hint.text, period=anchor.text
                    )
                )
        return anchor, report.anchor_sentence
    if report.broken_period or not report.hints:
        return None, None
    hint, sentence = report.hints[0]
    warnings.extend(hint.warnings)
    return hint, sentence


def period_readings(
    period: Period | None,
    sentence: str | None,
    report: Report,
    *,
    reference: date,
    weekly: bool = False,
) -> dict[str, FieldReading]:
    """``period_start`` and ``period_end`` as read, or empty with the reason.

    A week written without its year is dated by the Monday rule
    (:func:`~demine.ingest.news_items.dating.deduce_week_year`) when ``weekly``.
    """
    if period is None or sentence is None:
        reason = (
            _("the period is missing from the source")
            if report.broken_period
            else _("no period is written")
        )
        empty = FieldReading(None, reason=reason)
        return {"period_start": empty, "period_end": empty}
    span = span_of(sentence, *period.at)
    readings: dict[str, FieldReading] = {}
    other_year = _other_year_written(period, sentence)
    if other_year is not None:
        # The year came from the publication date, yet the sentence writes another: which
        # year the period is in is not clear. Listed, not chosen.
        reason = _("'{text}': the year is not written with it, and the sentence names {year}")
        for name, day in (("period_start", period.start), ("period_end", period.end)):
            candidates: tuple[Candidate, ...] = (Candidate(day, span),) if day else ()
            readings[name] = FieldReading(
                None,
                candidates=candidates,
                reason=reason.format(text=period.text, year=other_year),
            )
        return readings
    week_year = deduce_week_year(period, reference, weekly=weekly)
    if week_year is not None:
        return _deduced_readings(week_year, period, span, reference)
    years = candidate_dates(period, reference)
    for position, (name, day) in enumerate(
        (("period_start", period.start), ("period_end", period.end))
    ):
        reading = _date_reading(period, day, span)
        if reading.value is None and years:
            candidates = tuple(Candidate(pair[position], span) for pair in years)
            reading = replace(reading, candidates=candidates)
        readings[name] = reading
    return readings


def _deduced_readings(
    week_year: WeekYear, period: Period, span: tuple[int, int], reference: date
) -> dict[str, FieldReading]:
    """The dates the Monday rule gives, or every year offered when it gives none or several."""
    chosen = week_year.chosen
    offered = week_year.weeks or tuple(candidate_dates(period, reference))
    readings: dict[str, FieldReading] = {}
    for position, name in enumerate(("period_start", "period_end")):
        if chosen is not None:
            readings[name] = FieldReading(chosen[position], span, DEDUCED, reason=week_year.reason)
        else:
            candidates = tuple(Candidate(pair[position], span) for pair in offered)
            readings[name] = FieldReading(None, candidates=candidates, reason=week_year.reason)
    return readings


def _other_year_written(period: Period, sentence: str) -> str | None:
    """A year written in ``sentence`` that is not the one the publication date gave."""
    if not period.from_publication or period.is_relative:
        return None
    completed = {day.year for day in (period.start, period.end) if day is not None}
    for written in _YEAR.finditer(sentence):
        if int(written.group(0)) not in completed:
            return written.group(0)
    return None


def _date_reading(period: Period, day: date | None, span: tuple[int, int]) -> FieldReading:
    if day is None:
        if period.is_cumulative and period.start is not None:
            reason = _("'{text}' is a total up to the item's date").format(text=period.text)
        else:
            reason = "; ".join(period.warnings) or _("'{text}' gives no such date").format(
                text=period.text
            )
        return FieldReading(None, reason=reason)
    if period.from_publication:
        reason = _("'{text}'; the year is not written: taken from the publication date").format(
            text=period.text
        )
        if period.is_relative:
            reason = _("'{text}': counted back from the publication date").format(text=period.text)
        return FieldReading(day, span, ROUNDED, reason=reason)
    return FieldReading(day, span, SURE, reason=_("written '{text}'").format(text=period.text))


def _figure_reading(
    stated: list[tuple[Figure, str]], name: str, warnings: list[str]
) -> FieldReading:
    """One figure's reading from all its statements in a report."""
    candidates = _candidates(stated)
    whole = [(f, s) for f, s in stated if not f.part and not f.unplaced]
    if not whole:
        written = ", ".join(f"'{f.written}'" for f, _s in stated)
        if any(f.unplaced for f, _s in stated):
            reason = _("stated without its period in an item of several periods: {written}")
        else:
            reason = _("only a part of the figure is stated: {written}")
        reason = reason.format(written=written)
        warnings.append(_("{field}: {reason}; left out").format(field=name, reason=reason))
        return FieldReading(None, candidates=candidates, reason=reason)
    deciding, settled_by = _preferred(whole, name, warnings)
    value, reason = _one_value(deciding, name, warnings)
    if value is None:
        return FieldReading(None, candidates=candidates, reason=reason)
    figure, sentence = deciding[0]
    confidence = APPROXIMATE if figure.approximate else settled_by
    others = tuple(c for c in candidates if c.value != _typed(name, value))
    return FieldReading(
        _typed(name, value),
        span_of(sentence, figure.start, figure.end),
        confidence,
        others,
        reason or _("written '{written}'").format(written=figure.written),
    )


def _candidates(stated: list[tuple[Figure, str]]) -> tuple[Candidate, ...]:
    seen: dict[tuple[float, tuple[int, int]], Candidate] = {}
    for figure, sentence in stated:
        if figure.value is None:
            continue
        span = span_of(sentence, figure.start, figure.end)
        seen.setdefault((figure.value, span), Candidate(_typed(figure.field, figure.value), span))
    return tuple(seen.values())


def _typed(name: str, value: float) -> int | float:
    return value if name == "hectares" else int(value)


def _one_value(
    stated: list[tuple[Figure, str]], name: str, warnings: list[str]
) -> tuple[float | None, str]:
    readable = {figure.value for figure, _s in stated}
    if None in readable:
        unread = next(f.written for f, _s in stated if f.value is None)
        warnings.append(_("{field}: a figure could not be read; left out").format(field=name))
        return None, _("'{written}' could not be read").format(written=unread)
    if len(readable) > 1:
        listed = ", ".join(f"{v:g}" for v in sorted(v for v in readable if v is not None))
        warnings.append(
            _("{field}: the item gives {values}; left out").format(field=name, values=listed)
        )
        return None, _("the item gives {values} for one period").format(values=listed)
    if any(figure.approximate for figure, _s in stated):
        reason = _("{field}: '{written}' is approximate; kept as written").format(
            field=name, written=stated[0][0].written
        )
        warnings.append(reason)
        return stated[0][0].value, reason
    return stated[0][0].value, ""


def _preferred(
    stated: list[tuple[Figure, str]], name: str, warnings: list[str]
) -> tuple[list[tuple[Figure, str]], float]:
    """The statements of one figure that decide it (see the module docstring)."""
    confidence = SURE
    exact = [(f, s) for f, s in stated if not f.approximate and f.value is not None]
    if exact and len(exact) < len(stated) and all(f.value is not None for f, _s in stated):
        warnings.append(
            _("{field}: approximate mentions give way to '{written}'").format(
                field=name, written=exact[0][0].written
            )
        )
        stated, confidence = exact, ROUNDED
    values = {f.value for f, _s in stated}
    if len(values) == 2 and None not in values:
        low, high = sorted(v for v in values if v is not None)
        if high - low < 1 and (low.is_integer() or high.is_integer()):
            precise = high if low.is_integer() else low
            rounded = low if precise == high else high
            warnings.append(
                _("{field}: {rounded} read as a rounding of {precise}").format(
                    field=name, rounded=f"{rounded:g}", precise=f"{precise:g}"
                )
            )
            stated, confidence = [(f, s) for f, s in stated if f.value == precise], ROUNDED
    return stated, confidence


def _whole(value: float | None) -> int | None:
    return int(value) if value is not None else None
