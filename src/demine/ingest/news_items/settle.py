"""Settling one report: its period, and one value per figure, with the evidence for each.

A report may state a figure more than once (headline and body). The statements decide
together: exact figures win over "more than"/"about" ones, a precise figure over its
rounding ("1,039.5" over a headline's "1,040"); figures that still differ, or one that
could not be read, leave the value out with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demine.i18n import _
from demine.ingest.news_items.dating import Period, kind_of
from demine.ingest.news_items.figures import Figure
from demine.ingest.news_items.model import FIGURE_FIELDS, ReportFigures
from demine.ingest.news_items.reports import Report


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


def settle(report: Report, wording: Wording, warnings: list[str]) -> SettledReport:
    """One value per figure for ``report``, its period and kind, and their evidence."""
    period, period_sentence = period_of(report, warnings)
    evidence: dict[str, str] = {}
    if period_sentence is not None:
        evidence["kind"] = period_sentence
        if period is not None and period.start is not None:
            evidence["period_start"] = period_sentence
        if period is not None and period.end is not None:
            evidence["period_end"] = period_sentence
    values: dict[str, float] = {}
    for name in FIGURE_FIELDS:
        stated = _preferred([(f, s) for f, s in report.figures if f.field == name], name, warnings)
        value = _one_value(stated, name, warnings)
        if value is not None:
            values[name] = value
            evidence[name] = stated[0][1]
    figures = ReportFigures(
        kind_of(period, weekly_words=wording.weekly, monthly_words=wording.monthly),
        period.start if period else None,
        period.end if period else None,
        ap_mines=_whole(values.get("ap_mines")),
        at_mines=_whole(values.get("at_mines")),
        uxo=_whole(values.get("uxo")),
        hectares=values.get("hectares"),
        area_sq_m=_whole(values.get("area_sq_m")),
    )
    return SettledReport(report, figures, evidence)


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


def _one_value(stated: list[tuple[Figure, str]], name: str, warnings: list[str]) -> float | None:
    if not stated:
        return None
    readable = {figure.value for figure, _s in stated}
    if None in readable:
        warnings.append(_("{field}: a figure could not be read; left out").format(field=name))
        return None
    if len(readable) > 1:
        listed = ", ".join(f"{v:g}" for v in sorted(v for v in readable if v is not None))
        warnings.append(
            _("{field}: the item gives {values}; left out").format(field=name, values=listed)
        )
        return None
    if any(figure.approximate for figure, _s in stated):
        warnings.append(
            _("{field}: '{written}' is approximate; kept as written").format(
                field=name, written=stated[0][0].written
            )
        )
    return stated[0][0].value


def _preferred(
    stated: list[tuple[Figure, str]], name: str, warnings: list[str]
) -> list[tuple[Figure, str]]:
    """The statements of one figure that decide it (see the module docstring)."""
    exact = [(f, s) for f, s in stated if not f.approximate and f.value is not None]
    if exact and len(exact) < len(stated) and all(f.value is not None for f, _s in stated):
        warnings.append(
            _("{field}: approximate mentions give way to '{written}'").format(
                field=name, written=exact[0][0].written
            )
        )
        stated = exact
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
            stated = [(f, s) for f, s in stated if f.value == precise]
    return stated


def _whole(value: float | None) -> int | None:
    return int(value) if value is not None else None
