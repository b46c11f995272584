"""Who was counted, and what happened to them, in one victims sentence.

A sentence is read as a sequence of counts of people (``341 citizens``, ``29 civilians
and seven military servicemen``, ``65 of them``, ``70 fatalities``) and role words; each
group of counts takes the next role word: total (``became victims``, ``killed or
injured``), killed (``died``, ``lost their lives``) or injured. Disjoint groups
(civilians and soldiers) are added; a group after a general one (``87 citizens, 16
civilians``) is read as part of it; one group alone ("250 civilians") is not all victims
and is not recorded. Dates and bracketed breakdowns are blanked out first.

``the number of mine victims … has reached 350`` is read as a total; ``the number of
people injured … has reached 379, 70 of whom have died`` also, because the dead are
counted inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from demine.i18n import _
from demine.ingest.news_items.lexicon import APPROXIMATE_BEFORE, MONTH
from demine.ingest.news_items.numbers import NumberToken, find_numbers
from demine.ingest.news_items.periods import find_periods
from demine.ingest.news_items.victim_words import (
    ANAPHORA,
    BARE_COUNT_AFTER,
    CIVILIAN_BREAKDOWN,
    PERCENT_AFTER,
    PERSON_AFTER,
    ROLE,
    ROLE_NOUN_AFTER,
    SUBSET_BEFORE,
    TOTAL_SENTENCE,
)

_SINGLE_DATE = re.compile(
    rf"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\b\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?",
    re.IGNORECASE,
)
_COUNT_BEFORE_BRACKET = re.compile(r"[\d\s,.]+(?:[^\W\d_]+\s*)?")
_YEAR = re.compile(
    r"(?:\b(?:in|to|of|and|on|since|from|until)\s+|,\s*)((?:19|20)\d\d)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class RoleCount:
    """A number of people and what happened to them, with where it is written."""

    role: str
    value: int
    start: int
    end: int
    #: For a sum ("29 civilians and seven military"): where each added count is written.
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class _Count:
    start: int
    end: int
    value: float
    group: str  # general, civilian, military, children, women, or a role for "70 fatalities"
    approximate: bool
    subset: bool


def counts_people(sentence: str) -> bool:
    """True when ``sentence`` counts people ("341 citizens", "the number of victims … 350")."""
    text = _mask(sentence)
    return bool(TOTAL_SENTENCE.search(text)) or bool(_counts(text))


def _mask(sentence: str) -> str:
    """``sentence`` with dates blanked out, so that "December 6, 2023, 50" reads as 50."""
    chars = list(re.sub(r"\([^)]*\)", lambda m: " " * len(m.group(0)), sentence))
    spans = [(m.start, m.end) for m in find_periods(sentence)]
    spans += [(m.start(), m.end()) for m in _SINGLE_DATE.finditer(sentence)]
    spans += [(m.start(1), m.end(1)) for m in _YEAR.finditer(sentence)]
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _counts(text: str) -> list[_Count]:
    counts: list[_Count] = []
    for token in find_numbers(text):
        count = _count(text, token)
        if count is not None:
            counts.append(count)
    return counts


def _count(text: str, token: NumberToken) -> _Count | None:
    if token.value is None or PERCENT_AFTER.match(text, token.end):
        return None
    approximate = bool(APPROXIMATE_BEFORE.search(text, 0, token.start))
    subset = bool(SUBSET_BEFORE.search(text, 0, token.start))
    for pattern in (PERSON_AFTER, ROLE_NOUN_AFTER):
        match = pattern.match(text, token.end)
        if match is not None:
            group = next(name for name, value in match.groupdict().items() if value)
            return _Count(token.start, match.end(), token.value, group, approximate, subset)
    if BARE_COUNT_AFTER.match(text, token.end):
        return _Count(token.start, token.end, token.value, "general", approximate, subset)
    return None


def roles(sentence: str, warnings: list[str]) -> list[RoleCount]:
    """Counts by role (total, killed, injured, children or women), with where each is."""
    text = _mask(sentence)
    found: list[RoleCount] = []
    special = TOTAL_SENTENCE.search(text)
    if special is not None:
        numbers = find_numbers(text[special.end() :])
        if numbers and numbers[0].start <= 1 and numbers[0].is_whole:
            role = _special_role(special, text)
            assert numbers[0].value is not None
            start = special.end() + numbers[0].start
            end = special.end() + numbers[0].end
            found.append(RoleCount(role, int(numbers[0].value), start, end))
            text = " " * end + text[end:]
    events: list[tuple[int, str, _Count | None]] = [(c.start, "count", c) for c in _counts(text)]
    events += [(m.start(), m.lastgroup or "", None) for m in ROLE.finditer(text)]
    group: list[_Count] = []
    # A role word just before a count with nothing waiting for it names that count, as
    # Russian and Azerbaijani put it: "пострадали 385 человек".
    leading: str | None = None
    role_ends = {m.start(): m.end() for m in ROLE.finditer(text)}
    for position, kind, count in sorted(events, key=lambda event: event[0]):
        if count is None:
            if group:
                value = _group_value(group, sentence, warnings)
                if value is not None:
                    parts = tuple((c.start, c.end) for c in group) if len(group) > 1 else ()
                    if value != int(group[0].value) or len(group) == 1:
                        found.append(RoleCount(kind, value, group[0].start, group[-1].end, parts))
                    else:  # read as the first count, the others part of it
                        found.append(RoleCount(kind, value, group[0].start, group[0].end))
                found.extend(_civilians(group, kind))
            elif _count_follows(text, role_ends[position]):
                leading = kind
            group = []
            continue
        if leading is not None and count.group in ("general", "civilian"):
            role = leading if count.group == "general" else f"civilian_{leading}"
            found.append(RoleCount(role, int(count.value), count.start, count.end))
            leading = None
            continue
        leading = None
        if count.approximate:
            warnings.append(
                _("approximate victim figure {v}: '{s}'").format(v=int(count.value), s=sentence)
            )
        if count.group in ("children", "women"):
            found.append(RoleCount(count.group, int(count.value), count.start, count.end))
        elif count.group == "combined":
            warnings.append(
                _("women and children counted together; not recorded: '{s}'").format(s=sentence)
            )
        elif count.group == "subgroup":
            warnings.append(
                _("counts of one group of people only; not recorded: '{s}'").format(s=sentence)
            )
            return []
        elif count.group in ("total", "killed", "injured"):
            found.append(RoleCount(count.group, int(count.value), count.start, count.end))
        elif not count.subset:
            group.append(count)
    found = _injured_holding_the_dead(found, text)
    return found + _bracketed_civilians(sentence, found)


def _civilians(group: list[_Count], role: str) -> list[RoleCount]:
    """The civilians of a group ("29 civilians and seven servicemen were killed")."""
    civilians = [count for count in group if count.group == "civilian"]
    if len(civilians) != 1:
        return []
    count = civilians[0]
    return [RoleCount(f"civilian_{role}", int(count.value), count.start, count.end)]


def _bracketed_civilians(sentence: str, found: list[RoleCount]) -> list[RoleCount]:
    """ "62 people (civilian: 49; military: 13) were killed": 49 civilians killed."""
    result: list[RoleCount] = []
    for bracket in CIVILIAN_BREAKDOWN.finditer(sentence):
        before = [c for c in found if c.start < bracket.start() and "_" not in c.role]
        if not before:
            continue
        counted = max(before, key=lambda count: count.start)
        # The bracket follows the count itself: "62 people (civilian: 49; …)".
        if not _COUNT_BEFORE_BRACKET.fullmatch(sentence, counted.start, bracket.start()):
            continue
        civilians = bracket.group("civilians")
        value = int(civilians)
        start = bracket.start("civilians")
        result.append(RoleCount(f"civilian_{counted.role}", value, start, start + len(civilians)))
    return result


def _count_follows(text: str, end: int) -> bool:
    return bool(re.match(r"\s+\d", text[end:]))


def _injured_holding_the_dead(found: list[RoleCount], text: str) -> list[RoleCount]:
    """ "385 were injured, of them 70 died": the dead are inside, so 385 is the total."""
    injured = [c for c in found if c.role == "injured"]
    killed = [c for c in found if c.role == "killed"]
    if len(injured) != 1 or len(killed) != 1 or any(c.role == "total" for c in found):
        return found
    between = text[injured[0].end : killed[0].start]
    if killed[0].start > injured[0].start and ANAPHORA.search(between):
        return [replace(c, role="total") if c is injured[0] else c for c in found]
    return found


def _special_role(special: re.Match[str], text: str) -> str:
    what = special.group("what").lower()
    if "victim" in what or "casualt" in what or "affected" in what or " or " in what:
        return "total"
    if "killed" in what:
        return "killed"
    # "people injured … 70 of whom have died": the dead are inside, so it is the total.
    if re.search(r"\bof\s+(?:whom|them)\b[^.]*?\b(?:died|killed|lost)", text[special.end() :]):
        return "total"
    return "injured"


def _group_value(group: list[_Count], sentence: str, warnings: list[str]) -> int | None:
    kinds = [count.group for count in group]
    if kinds == ["general"]:
        return int(group[0].value)
    if len(group) == 1:
        # "250 civilians were injured" counts only some of the victims.
        warnings.append(
            _("{v} {group} only: not all victims; not recorded").format(
                v=int(group[0].value), group=kinds[0]
            )
        )
        return None
    if kinds[0] == "general" and all(kind != "general" for kind in kinds[1:]):
        warnings.append(
            _("read {rest} as part of {first}: '{s}'").format(
                rest=", ".join(str(int(c.value)) for c in group[1:]),
                first=int(group[0].value),
                s=sentence,
            )
        )
        return int(group[0].value)
    if sorted(kinds) == ["civilian", "military"]:
        return int(sum(count.value for count in group))
    warnings.append(_("could not tell how these counts add up: '{s}'").format(s=sentence))
    return None
