"""Counts of mines and ordnance, and areas cleared, as one sentence states them.

Grammar read (in any order within the sentence):

* a number, optional filler (``pieces of``, ``units of``) and a category:
  ``28 anti-personnel mines``, ``85 anti-tank and 496 anti-personnel mines``,
  ``830 unexploded ordnances (UXOs)``, ``625 unexploded munitions``,
  ``48 противотанковых``, ``66 tank əleyhinə mina``, ``30 000 mines antipersonnel``;
* Azerbaijani also puts the category first: ``piyada əleyhinə 93``, and lists do so with
  a colon or dash: ``anti-tank mines: 35``;
* an area: ``1,362.7 hectares``, ``115.8-hectare-area``, ``1 504 га``,
  ``2,171,083 square meters``, ``2 436 776 m²``.

Counts are taken only from sentences that say the items were found or made safe (a map
"of 92,000 anti-tank mines" is not a find), and one number before two categories
("92,000 anti-tank and anti-personnel mines") is refused rather than split. An area is
taken only from a clause that says it was cleared: "1,389 hectares were checked" is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from demine.i18n import _
from demine.ingest.news_items.lexicon import (
    AP_MINE,
    APPROXIMATE_BEFORE,
    AT_MINE,
    CATEGORY_BEFORE_COUNT,
    CHECKED_ONLY,
    CLEARED,
    COUNT_FILLER,
    FOUND,
    PART_OF,
    REPORT_WORDS,
    UXO,
)
from demine.ingest.news_items.numbers import NumberToken, find_numbers

_CATEGORY_AFTER = re.compile(
    rf"{COUNT_FILLER}(?:(?P<ap_mines>{AP_MINE})|(?P<at_mines>{AT_MINE})|(?P<uxo>{UXO}))",
    re.IGNORECASE,
)
_CATEGORY_BEFORE = re.compile(CATEGORY_BEFORE_COUNT, re.IGNORECASE)
_SHARED_NUMBER = re.compile(
    rf"\s*(?:and|or|&|/|və|и|et|und)\s+(?:{AP_MINE}|{AT_MINE})", re.IGNORECASE
)
_HECTARES = re.compile(
    r"(?:\s*-\s*|\s+)(?:hectares?|ha|hektar\w*|гектар\w*|га|Hektar\w*)(?![\w²])", re.IGNORECASE
)
_SQUARE_METRES = re.compile(
    r"\s*(?:square\s+met(?:er|re)s?|sq\.?\s*m(?:eters|etres)?|m²|m2|кв\.?\s*м|квадратных\s+метр\w*"
    r"|kv\.?\s*m|kvadrat\s+metr\w*|mètres?\s+carrés|Quadratmeter\w*)(?![\w²])",
    re.IGNORECASE,
)
_SQUARE_KILOMETRES = re.compile(
    r"\s*(?:square\s+kilomet(?:er|re)s?|sq\.?\s*km|km²|km2|кв\.?\s*км)(?![\w²])", re.IGNORECASE
)
_LIST_ITEM = re.compile(rf"(?:{AP_MINE}|{AT_MINE}|{UXO})\s*:\s*\d", re.IGNORECASE)
_REPORT = re.compile(REPORT_WORDS, re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r",\s|;|\s(?:while|whereas)\s")
_FOUND = re.compile(FOUND, re.IGNORECASE)
_PART = re.compile(PART_OF, re.IGNORECASE)
_CLEARED = re.compile(CLEARED, re.IGNORECASE)
_CHECKED_ONLY = re.compile(CHECKED_ONLY, re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One figure a sentence states; ``value`` is ``None`` when it could not be read."""

    field: str
    value: float | None
    written: str
    approximate: bool = False
    #: Where ``written`` stands in its sentence.
    start: int = 0
    end: int = 0
    #: Stated as a part of a larger figure ("of which 4.4 hectares in Gazakh").
    part: bool = False
    #: Stated before any period in an item of several periods: whose it is is not said.
    unplaced: bool = False


@dataclass(frozen=True)
class SentenceFigures:
    """The figures of one sentence and what could not be read in it."""

    figures: tuple[Figure, ...]
    warnings: tuple[str, ...]
    #: True when the sentence names categories with numbers, even if none was taken.
    mentions_counts: bool


def read_figures(sentence: str) -> SentenceFigures:
    """Counts by category and areas cleared, from one sentence."""
    numbers = find_numbers(sentence)
    figures: list[Figure] = []
    warnings: list[str] = []
    counts = _counts(sentence, numbers, warnings)
    # A list ("anti-tank mines: 35") in a report's own words needs no verb.
    found = bool(_FOUND.search(sentence)) or (
        bool(_LIST_ITEM.search(sentence)) and bool(_REPORT.search(sentence))
    )
    if counts and not found:
        listed = ", ".join(figure.written for figure in counts)
        warnings.append(
            _("'{listed}': not said to be found or cleared; not counted").format(listed=listed)
        )
    elif found:
        figures.extend(counts)
    figures.extend(_areas(sentence, numbers, warnings))
    figures = [_as_part(figure, sentence, figures) for figure in figures]
    return SentenceFigures(tuple(figures), tuple(warnings), bool(counts))


def _counts(sentence: str, numbers: list[NumberToken], warnings: list[str]) -> list[Figure]:
    counts: list[Figure] = []
    for token in numbers:
        match = _CATEGORY_AFTER.match(sentence, token.end)
        before = _CATEGORY_BEFORE.search(sentence, max(0, token.start - 40), token.start)
        if match is None and before is None:
            continue
        category = match or before
        assert category is not None
        field = next(name for name, text in category.groupdict().items() if text)
        start, end = (token.start, match.end()) if match else (category.start(), token.end)
        written = sentence[start:end]
        if match is not None and _SHARED_NUMBER.match(sentence, match.end()):
            warnings.append(
                _("'{written}…': one number for two categories; not counted").format(
                    written=written
                )
            )
            continue
        if token.value is None or not token.is_whole:
            warnings.append(_("could not read the count '{written}'").format(written=written))
            counts.append(Figure(field, None, written, start=start, end=end))
            continue
        approximate = bool(APPROXIMATE_BEFORE.search(sentence, 0, token.start))
        counts.append(
            Figure(
                field,
                token.value,
                written,
                approximate,
                start,
                end,
            )
        )
    return counts


def _areas(sentence: str, numbers: list[NumberToken], warnings: list[str]) -> list[Figure]:
    areas: list[Figure] = []
    for token in numbers:
        hectares = _HECTARES.match(sentence, token.end)
        square_metres = _SQUARE_METRES.match(sentence, token.end)
        unit = hectares or square_metres
        if unit is None:
            if _SQUARE_KILOMETRES.match(sentence, token.end):
                written = sentence[token.start : token.end + 6].strip()
                warnings.append(
                    _("'{written}': areas in km² are not recorded").format(written=written)
                )
            continue
        start, end = token.start, unit.end()
        written = sentence[start:end]
        if not _said_cleared(sentence, token.start, unit.end()):
            warnings.append(
                _("'{written}': not said to be cleared; not recorded").format(written=written)
            )
            continue
        field = "hectares" if hectares else "area_sq_m"
        if token.value is None or (field == "area_sq_m" and not token.is_whole):
            warnings.append(_("could not read the area '{written}'").format(written=written))
            areas.append(Figure(field, None, written, start=start, end=end))
            continue
        approximate = bool(APPROXIMATE_BEFORE.search(sentence, 0, token.start))
        areas.append(Figure(field, token.value, written, approximate, start, end))
    return areas


def _as_part(figure: Figure, sentence: str, figures: list[Figure]) -> Figure:
    """``figure``, marked as a part when its clause says so ("of which", "из них").

    A part of the same figure stated earlier in the sentence, or an area after "of
    these" (an area's part is an area): "5,098.7 hectares, of which 4.4 in Gazakh".
    A count after "including" that follows a total of all kinds is the count itself.
    """
    breaks = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, figure.start))]
    marker = _PART.search(sentence, breaks[-1], figure.start)
    if marker is None and len(breaks) > 1 and breaks[-1] - breaks[-2] < 30:
        marker = _PART.search(sentence, breaks[-2], breaks[-1])  # "Of these, 4.4 hectares"
    if marker is None:
        return figure
    earlier = any(f.field == figure.field and f.start < marker.start() for f in figures)
    if earlier or figure.field in ("hectares", "area_sq_m"):
        return replace(figure, part=True)
    return figure


def _said_cleared(sentence: str, start: int, end: int) -> bool:
    """True when the clause around an area says it was cleared (not just checked)."""
    clause_start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, start):
        clause_start = match.end()
    following = _CLAUSE_BREAK.search(sentence, end)
    clause = sentence[clause_start : following.start() if following else len(sentence)]
    if _CLEARED.search(clause):
        return True
    return bool(_CLEARED.search(sentence)) and not _CHECKED_ONLY.search(sentence)
