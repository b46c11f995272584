"""Cutting an item into its reports: each period written, with the figures that follow it.

An item may hold several reports: a week's results, then "To recall from November 1 to
November 30, …" with the month's, then a total "up to now". A sentence that names a
period starts (or returns to) that period's report; the sentences after it belong to it
until another period is named. Periods count as a report's start only where they can be:

* a range of days, in a sentence with figures or about a report or operations
  ("A weekly report (01.07.2024 - 07.07.2024) on operations … has been released.");
* a month, likewise, unless it is a starting point ("began operations in November 2020");
* a year ("In 2023, …", "last year"), "since …" and "up to now", only in a sentence
  that itself gives figures (and a year only when it does not date the war or the
  liberation: "territories liberated in 2020");
* "last week" and "last month" never start a report: they date the report they are in
  when it has no written period, and are checked against it when it has one.

Sentences before the first period (often the headline) join the first dated report that
is not a cumulative total.
Sentences that state victim figures are left to :mod:`victims`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from demine.i18n import _
from demine.ingest.news_items.dating import Period, resolve
from demine.ingest.news_items.districts import district_mentions, unknown_names
from demine.ingest.news_items.figures import Figure, read_figures
from demine.ingest.news_items.lexicon import (
    CALL_WORDS,
    CLEARED,
    FIELD_WORDS,
    FOUND,
    INCIDENT_WORDS,
    ONGOING_WORDS,
    REPORT_WORDS,
    any_of,
)
from demine.ingest.news_items.periods import PeriodShape, find_periods, has_broken_period

_FIELD = re.compile(FIELD_WORDS, re.IGNORECASE)
_INCIDENT = re.compile(INCIDENT_WORDS)
_ONGOING = re.compile(ONGOING_WORDS, re.IGNORECASE)
_FOUND_OR_CLEARED = re.compile(any_of(FOUND, CLEARED), re.IGNORECASE)
_CALLS = re.compile(CALL_WORDS, re.IGNORECASE)
_ABOUT_WORK = re.compile(any_of(REPORT_WORDS, FOUND, CLEARED), re.IGNORECASE)
_STARTS_REPORT = (PeriodShape.RANGE, PeriodShape.MONTH)
#: Periods that start a report only in a sentence that gives figures itself.
_WITH_FIGURES_ONLY = (PeriodShape.YEAR, PeriodShape.SINCE, PeriodShape.TO_DATE)
_CUMULATIVE = (PeriodShape.SINCE, PeriodShape.TO_DATE)
_ANCHOR_ORDER = (*_STARTS_REPORT, *_CUMULATIVE, PeriodShape.YEAR)


class DistrictRole(StrEnum):
    """What a sentence naming districts says happened there."""

    #: Finds or clearance of the report ("… in Tartar and Aghdam, 22 mines were found").
    WORK = "work"
    #: Work still going on, not a result ("work is still conducted in Kalbajar").
    ONGOING = "ongoing"
    #: Finds reported by residents to a hotline ("calls from Baku and Goranboy").
    CALLS = "calls"
    #: An explosion or its victims.
    INCIDENT = "incident"
    #: Work reported together with ongoing work or calls: which names are which is unclear.
    UNCLEAR = "unclear"
    #: Any other sentence (history, maps, datelines): its districts are not the report's.
    OTHER = "other"


@dataclass(frozen=True)
class DistrictMention:
    """A district named in a sentence, where it is written and what the sentence says."""

    sentence_index: int
    district: str
    sentence: str
    role: DistrictRole
    #: Where the name is written in its sentence.
    start: int = 0
    end: int = 0

    @property
    def in_field_sentence(self) -> bool:
        """True when the sentence reports the finds or clearance of the report."""
        return self.role is DistrictRole.WORK


@dataclass(frozen=True)
class UnknownName:
    """A name in a list of districts that the gazetteer does not know."""

    sentence_index: int
    name: str
    sentence: str
    start: int
    end: int


@dataclass
class Report:
    """The sentences read for one period, and what they state."""

    anchor: Period | None = None
    anchor_sentence: str | None = None
    hints: list[tuple[Period, str]] = field(default_factory=list)
    figures: list[tuple[Figure, str]] = field(default_factory=list)
    districts: list[DistrictMention] = field(default_factory=list)
    unknown_names: list[UnknownName] = field(default_factory=list)
    broken_period: bool = False

    @property
    def has_figures(self) -> bool:
        """True when the report states at least one count or area (even an unreadable one)."""
        return bool(self.figures)


@dataclass
class Segmentation:
    """The reports of an item in text order (a report may be returned to later)."""

    reports: list[Report]
    warnings: list[str]


def segment(sentences: Sequence[str], skip: frozenset[int], published: date | None) -> Segmentation:
    """Group the sentences of an item (except those in ``skip``) into reports."""
    preamble = Report()
    reports: list[Report] = [preamble]
    current = preamble
    warnings: list[str] = []
    for index, sentence in enumerate(sentences):
        if index in skip:
            continue
        read = read_figures(sentence)
        warnings.extend(read.warnings)
        anchor = _anchor(sentence, bool(read.figures) or read.mentions_counts, published, warnings)
        if anchor is not None:
            current = _report_for(anchor, sentence, reports)
        for mention in find_periods(sentence):
            if mention.shape in (PeriodShape.LAST_WEEK, PeriodShape.LAST_MONTH):
                hint = resolve(mention, published)
                if hint is not None:
                    current.hints.append((hint, sentence))
        if has_broken_period(sentence):
            current.broken_period = True
            warnings.append(_("the period is missing from the source: '{s}'").format(s=sentence))
        current.figures.extend((figure, sentence) for figure in read.figures)
        role = district_role(sentence, bool(read.figures))
        current.districts.extend(
            DistrictMention(index, mention.district, sentence, role, mention.start, mention.end)
            for mention in district_mentions(sentence)
        )
        if role is DistrictRole.WORK:
            current.unknown_names.extend(
                UnknownName(index, name, sentence, start, end)
                for name, start, end in unknown_names(sentence)
            )
    return Segmentation(_merge_preamble(reports), warnings)


def district_role(sentence: str, has_figures: bool) -> DistrictRole:
    """What ``sentence`` says of the districts it names (see :class:`DistrictRole`)."""
    work = has_figures or bool(_FOUND_OR_CLEARED.search(sentence))
    aside = _CALLS.search(sentence) or _ONGOING.search(sentence)
    if aside and work:
        return DistrictRole.UNCLEAR
    if _CALLS.search(sentence):
        return DistrictRole.CALLS
    if _INCIDENT.search(sentence):
        return DistrictRole.INCIDENT
    if _ONGOING.search(sentence):
        return DistrictRole.ONGOING
    if work or _FIELD.search(sentence):
        return DistrictRole.WORK
    return DistrictRole.OTHER


def _anchor(
    sentence: str, has_figures: bool, published: date | None, warnings: list[str]
) -> Period | None:
    """The period that starts a report in ``sentence``, if any (first non-cumulative wins)."""
    about_work = has_figures or bool(_ABOUT_WORK.search(sentence))
    candidates = [
        mention
        for mention in find_periods(sentence)
        if (mention.shape in _STARTS_REPORT and about_work)
        or (mention.shape in _WITH_FIGURES_ONLY and has_figures)
    ]
    # Days and months first, then totals "since …", then years: "Since 2020, 35,000 mines
    # were found, 5,000 of them in 2024" is a total, not a year's figure.
    candidates.sort(key=lambda mention: _ANCHOR_ORDER.index(mention.shape))
    for mention in candidates:
        period = resolve(mention, published)
        if period is None:
            warnings.append(_("'{text}' is not a valid period").format(text=mention.text))
            continue
        warnings.extend(period.warnings)
        others = {m.text for m in candidates if m is not mention and m.shape not in _CUMULATIVE}
        if others and mention.shape not in _CUMULATIVE:
            warnings.append(
                _("several periods in one sentence; read '{text}': '{s}'").format(
                    text=mention.text, s=sentence
                )
            )
        return period
    return None


def _report_for(anchor: Period, sentence: str, reports: list[Report]) -> Report:
    for report in reports:
        if report.anchor is not None and report.anchor.key == anchor.key:
            return report
    report = Report(anchor=anchor, anchor_sentence=sentence)
    reports.append(report)
    return report


def _merge_preamble(reports: list[Report]) -> list[Report]:
    """Put the sentences before the first period into the first dated report.

    A headline figure never borrows a period: in an item of several periods, a figure
    before the first one that the first report does not state itself is listed for the
    reviewer (``unplaced``), not chosen.
    """
    preamble, rest = reports[0], reports[1:]
    dated = [r for r in rest if r.anchor is not None and not r.anchor.is_cumulative]
    if not dated:
        return reports
    target = dated[0]
    own_fields = {figure.field for figure, _sentence in target.figures}
    several_periods = len(dated) > 1
    target.hints[:0] = preamble.hints
    target.figures[:0] = [
        (replace(figure, unplaced=True), sentence)
        if several_periods and figure.field not in own_fields
        else (figure, sentence)
        for figure, sentence in preamble.figures
    ]
    target.districts[:0] = preamble.districts
    target.unknown_names[:0] = preamble.unknown_names
    target.broken_period = target.broken_period or preamble.broken_period
    return rest
