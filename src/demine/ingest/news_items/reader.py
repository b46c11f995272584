"""Reading one news item into a :class:`ParsedNewsItem`.

The steps: take the header off (:mod:`text`), read the victim statistics
(:mod:`victims`), cut the rest into reports (:mod:`reports`), settle each report's
period and figures (:mod:`settle`), then choose the main report and the item's kind:

* the main report is the first dated, non-cumulative report with figures; failing that
  the first report with figures; the others become ``extra_periods`` in text order.
  An item with no figures at all keeps a dated report's period only when it has no
  victim statistics either (then it is a report whose figures could not be read);
* the kind is ``mixed`` when demining figures and victim statistics share the item, or
  when a second weekly/monthly report follows the main one; ``victims`` when only victim
  statistics are given; otherwise the main report's kind (a cumulative total alone is
  ``other-period``);
* districts come from the sentences about field work of the reports with figures (or,
  in an item without figures, also from sentences about incidents).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from demine.i18n import _
from demine.ingest.news_items.item_districts import read_districts
from demine.ingest.news_items.lexicon import MONTHLY_WORDS, WEEKLY_WORDS
from demine.ingest.news_items.model import (
    FieldReading,
    ParsedNewsItem,
    ReportFigures,
    ReportKind,
)
from demine.ingest.news_items.reports import Report, segment
from demine.ingest.news_items.settle import SettledReport, Wording, settle
from demine.ingest.news_items.text import sentences, split_header
from demine.ingest.news_items.victims import read_victims

_WEEKLY = re.compile(WEEKLY_WORDS, re.IGNORECASE)
_MONTHLY = re.compile(MONTHLY_WORDS, re.IGNORECASE)
_PERIODIC = (ReportKind.WEEKLY, ReportKind.MONTHLY, ReportKind.OTHER_PERIOD)


def parse_news_item_file(path: Path, *, today: date | None = None) -> ParsedNewsItem:
    """Read a stored item: ``url:`` and ``published:`` lines, a blank line, the text."""
    return parse_news_item(path.read_text(encoding="utf-8"), source=path.name, today=today)


def parse_news_item(
    text: str,
    *,
    source: str | None = None,
    published: date | None = None,
    today: date | None = None,
) -> ParsedNewsItem:
    """Read one news item into figures, periods, districts and victim statistics.

    ``text`` may start with the stored header (``url:``, ``published:``, `` date …``);
    an explicit ``published`` wins over it. Years missing from the text are taken from
    the publication date, so without one such periods stay undated, except a week: its
    year is the one year since the war in which it starts on a Monday, up to the
    publication date or, without one, ``today`` (the real today when not given).
    """
    item = split_header(text)
    all_sentences = sentences(item.body, item.body_offset)
    victims = read_victims(all_sentences, published or item.published)
    segmentation = segment(all_sentences, victims.statements, published or item.published)
    warnings = list(segmentation.warnings)
    body = [s for i, s in enumerate(all_sentences) if i not in victims.statements]
    wording = Wording(
        weekly=any(_WEEKLY.search(s) for s in body),
        monthly=any(_MONTHLY.search(s) for s in body),
    )
    reference = published or item.published or today or date.today()
    settled = [settle(report, wording, warnings, reference) for report in segmentation.reports]
    has_victims = victims.figures is not None
    main, extras = _choose_reports(settled, has_victims)

    evidence: dict[str, str] = dict(main.evidence) if main else {}
    main_figures = main.figures if main else ReportFigures(ReportKind.OTHER_PERIOD)
    extra_figures = _extra_figures(extras, main_figures, evidence)
    with_figures = [s.report for s in settled if s.report.has_figures]
    districts, district_sentences, district_reading = read_districts(
        with_figures or segmentation.reports
    )
    if districts:
        evidence["districts"] = " … ".join(district_sentences)
    readings = _readings(main, extras, extra_figures, victims.readings)
    if district_reading is not None:
        readings["districts"] = district_reading
        if district_reading.value is None:
            warnings.append(
                _("districts: {reason}; left out").format(reason=district_reading.reason)
            )
    evidence.update(victims.evidence)
    warnings.extend(victims.warnings)
    kind = _item_kind(main_figures if main else None, extra_figures, has_victims, with_figures)
    if kind is ReportKind.VICTIMS:
        evidence.pop("kind", None)
        if victims.evidence:
            evidence["kind"] = next(iter(victims.evidence.values()))
    if "kind" not in evidence and evidence:
        evidence["kind"] = next(iter(evidence.values()))
    if main is None and not has_victims:
        warnings.append(_("no demining figures or victim statistics found"))
    return ParsedNewsItem(
        file=Path(source).name if source else None,
        kind=kind,
        main=main_figures,
        districts=tuple(districts),
        victims=victims.figures,
        extra_periods=tuple(extra_figures),
        evidence=MappingProxyType(evidence),
        warnings=tuple(dict.fromkeys(warnings)),
        readings=MappingProxyType(readings),
    )


def _choose_reports(
    settled: list[SettledReport], has_victims: bool
) -> tuple[SettledReport | None, list[SettledReport]]:
    """The main report and the extra ones, in text order."""
    with_figures = [s for s in settled if s.report.has_figures]
    preferences: tuple[Callable[[SettledReport], bool], ...] = (
        lambda s: s.report.anchor is not None and s.figures.kind is not ReportKind.CUMULATIVE,
        lambda s: s.figures.kind is not ReportKind.CUMULATIVE,
        lambda s: True,
    )
    for preferred in preferences:
        main = next((s for s in with_figures if preferred(s)), None)
        if main is not None:
            return main, [s for s in with_figures if s is not main]
    if has_victims:
        return None, []
    dated = (s for s in settled if s.report.anchor is not None)
    return next((s for s in dated if s.figures.kind is not ReportKind.CUMULATIVE), None), []


def _extra_figures(
    extras: list[SettledReport], main: ReportFigures, evidence: dict[str, str]
) -> list[ReportFigures]:
    result: list[ReportFigures] = []
    for position, extra in enumerate(extras):
        figures = extra.figures
        if figures.kind is ReportKind.CUMULATIVE and figures.period_start and main.period_end:
            # A total "since 10 November 2020" runs to the end of the item's main period.
            figures = replace(figures, period_end=main.period_end)
            if "period_end" in evidence:
                evidence[f"extra_periods[{position}].period_end"] = evidence["period_end"]
        for name, sentence in extra.evidence.items():
            evidence[f"extra_periods[{position}].{name}"] = sentence
        result.append(figures)
    return result


def _readings(
    main: SettledReport | None,
    extras: list[SettledReport],
    extra_figures: list[ReportFigures],
    victims: dict[str, FieldReading],
) -> dict[str, FieldReading]:
    """Every field read or abstained on, by the labels' names."""
    readings: dict[str, FieldReading] = dict(main.readings) if main else {}
    main_end = readings.get("period_end")
    for position, (extra, figures) in enumerate(zip(extras, extra_figures, strict=True)):
        prefix = f"extra_periods[{position}]."
        for name, reading in extra.readings.items():
            readings[prefix + name] = reading
        if figures.period_end is not None and extra.figures.period_end is None and main_end:
            readings[prefix + "period_end"] = replace(
                main_end,
                reason=_("a total up to the end of the item's main period ({reason})").format(
                    reason=main_end.reason
                ),
            )
    for name, reading in victims.items():
        readings[f"victims.{name}"] = reading
    return readings


def _item_kind(
    main: ReportFigures | None,
    extras: list[ReportFigures],
    has_victims: bool,
    with_figures: list[Report],
) -> ReportKind:
    if has_victims:
        return ReportKind.MIXED if with_figures else ReportKind.VICTIMS
    if any(extra.kind in _PERIODIC for extra in extras):
        return ReportKind.MIXED
    if main is None or main.kind is ReportKind.CUMULATIVE:
        return ReportKind.OTHER_PERIOD
    return main.kind
