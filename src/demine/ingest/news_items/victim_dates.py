"""The date victim statistics are stated as of ("as of 1 July 2024", "so far").

Casualty totals run up to a date: the end of a written span ("between November 10,
2020, and September 19, 2023"), a written day ("as of 1 July 2024", "по состоянию на
1 июля 2024 года", "2024-cü il iyulun 1-nə"), or the day of the item when it says "so
far" or "to date" (then the publication date gives it, and the reason says so). With
none of these the date is left empty: the item does not say it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from demine.i18n import _
from demine.ingest.news_items.dating import resolve
from demine.ingest.news_items.lexicon import MONTH, MONTH_AZ_GENITIVE, month_number
from demine.ingest.news_items.model import Candidate, FieldReading
from demine.ingest.news_items.periods import PeriodShape, find_periods
from demine.ingest.news_items.text import span_of

_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_AS_OF = re.compile(
    rf"\b(?:as\s+of|as\s+at|by|until|till|up\s+to)\s+(?:(?P<m1>{MONTH})\s+{_DAY},?\s+(\d{{4}})"
    rf"|{_DAY}\s+(?P<m2>{MONTH}),?\s+(\d{{4}}))"
    rf"|по\s+состоянию\s+на\s+{_DAY}\s+(?P<m3>{MONTH})\s+(\d{{4}})"
    rf"|(?<!\d)(\d{{4}})-c[iıuü]\s+il(?:in)?\s+(?P<m4>{MONTH_AZ_GENITIVE})\s+(\d{{1,2}})-?"
    rf"(?:[nyd]?[əa]|[nyd]?[əa]\s+(?:qədər|olan|kimi))",
    re.IGNORECASE,
)
_SO_FAR = re.compile(
    r"\b(?:so\s+far|to\s+date|up\s+to\s+now|until\s+now|till\s+now|to\s+this\s+day)\b"
    r"|до\s+сих\s+пор|на\s+сегодняшний\s+день|на\s+данный\s+момент|\bindiyədək|\bbu\s+günədək"
    r"|\bhazırda",
    re.IGNORECASE,
)


def reference_date(
    sentences: Sequence[str], published: date | None
) -> tuple[FieldReading, str | None]:
    """The date the victim figures of ``sentences`` are stated as of (or empty), and the
    sentence it was read from."""
    found: list[tuple[date, tuple[int, int], str, str]] = []
    for sentence in sentences:
        found.extend((*written, sentence) for written in _written_dates(sentence, published))
    dates = {day for day, _span, _text, _s in found}
    if len(dates) == 1:
        day, span, text, sentence = found[0]
        reason = _("written '{text}'").format(text=text)
        return FieldReading(day, span, 1.0, reason=reason), sentence
    if len(dates) > 1:
        listed = ", ".join(sorted(day.isoformat() for day in dates))
        candidates = tuple(dict.fromkeys(Candidate(day, span) for day, span, _t, _s in found))
        reason = _("the victim figures are stated as of {dates}").format(dates=listed)
        return FieldReading(None, candidates=candidates, reason=reason), None
    for sentence in sentences:
        so_far = _SO_FAR.search(sentence)
        if so_far is None:
            continue
        if published is None:
            reason = _("'{text}': the publication date is unknown").format(text=so_far.group(0))
            return FieldReading(None, reason=reason), None
        span = span_of(sentence, so_far.start(), so_far.end())
        reason = _("'{text}': the publication date").format(text=so_far.group(0))
        return FieldReading(published, span, 0.9, reason=reason), sentence
    return FieldReading(None, reason=_("the item does not say as of when")), None


def _written_dates(
    sentence: str, published: date | None
) -> list[tuple[date, tuple[int, int], str]]:
    result: list[tuple[date, tuple[int, int], str]] = []
    for match in _AS_OF.finditer(sentence):
        day = _as_of_day(match)
        if day is not None:
            result.append((day, span_of(sentence, match.start(), match.end()), match.group(0)))
    for mention in find_periods(sentence):
        if mention.shape is not PeriodShape.RANGE:
            continue
        period = resolve(mention, published)
        if period is not None and period.end is not None and not period.from_publication:
            span = span_of(sentence, mention.start, mention.end)
            result.append((period.end, span, mention.text))
    return result


def _as_of_day(match: re.Match[str]) -> date | None:
    groups = match.groups()
    # (m1, d, y) | (d, m2, y) | (d, m3, y) | (y, m4, d): the groups in pattern order.
    if match.group("m1"):
        month, day, year = match.group("m1"), groups[1], groups[2]
    elif match.group("m2"):
        day, month, year = groups[3], match.group("m2"), groups[5]
    elif match.group("m3"):
        day, month, year = groups[6], match.group("m3"), groups[8]
    else:
        year, month, day = groups[9], match.group("m4"), groups[11]
    try:
        return date(int(year), month_number(month), int(day))
    except (ValueError, KeyError):
        return None
