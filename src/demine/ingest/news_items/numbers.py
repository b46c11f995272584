"""Numbers as news items write them, read without guessing.

News items come from many newsrooms, so one quantity appears as ``1,198.7``, ``1198.7``,
``1 198,7`` or ``1.198,7``, and counts appear as words (``Fourteen``, ``twenty-one``).
The rules, in the order they are tried:

* digits in groups of three separated by spaces (``2 171 083``, ``1 333,8``): thousands,
  with an optional decimal part after ``.`` or ``,``;
* commas only: thousands when every group after the first has three digits
  (``4,106``), a decimal comma when there is one comma and one or two digits after it
  (``102,7``); anything else (``5,264,14``) is unreadable;
* dots only: one dot is a decimal point (``1039.5``); several dots are thousands only
  when every group has three digits; anything else is unreadable;
* one separator before exactly three digits (``1,141``, ``1.141``) is read by the
  convention of the text's language: English writes a decimal point and a thousands
  comma; Russian, Azerbaijani, French and German write a decimal comma and group
  thousands with spaces or dots, so there ``1,141`` is 1.141 and ``1.141`` is 1141;
* both: the last separator is the decimal mark and the others must group by three
  (``1,198.7``, ``1.198,7``).

An unreadable number is returned with ``value=None`` so that callers can warn instead of
guessing; a wrong count is worse than a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Ordinary, no-break, narrow no-break and thin spaces all separate thousands.
SPACES = "[ \u00a0\u202f\u2009]"

_DIGITS = re.compile(
    rf"(?<!\d)(?<!\d[.,])(?:\d{{1,3}}(?:{SPACES}\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
)
_GARBLED_BEFORE = re.compile(rf"\d{SPACES}$")
_MULTIPLIER = re.compile(r"\s+(thousand|million|тысяч\w*|млн|milyon)\b", re.IGNORECASE)

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN_WORDS = "|".join(_TENS)
_BELOW_HUNDRED = rf"(?:(?:{_TEN_WORDS})(?:[-\s](?:{_UNIT_WORDS}))?|(?:{_UNIT_WORDS}))"
_WORDS = re.compile(
    rf"(?<![\w-])(?P<head>{_BELOW_HUNDRED})"
    rf"(?:\s+hundred(?:\s+(?:and\s+)?(?P<tail>{_BELOW_HUNDRED}))?)?(?![\w-])",
    re.IGNORECASE,
)
# "no one was injured" and "one of the" are not counts of one.
_NOT_A_COUNT_BEFORE = re.compile(r"\b(?:no|any|every|each|the|this|that)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberToken:
    """A number found in a text: where it is, as written, and its value if readable."""

    start: int
    end: int
    text: str
    value: float | None

    @property
    def is_whole(self) -> bool:
        """True when the value is known and has no fractional part."""
        return self.value is not None and float(self.value).is_integer()


#: Languages that write a decimal comma: Cyrillic or Azerbaijani letters, or common
#: French and German words.
_DECIMAL_COMMA_TEXT = re.compile(r"[а-яёА-ЯЁəƏğĞıİşŞ]|\b(?:und|der|wurden|Minen|les|des|été|ont)\b")


def decimal_mark(text: str) -> str:
    """``","`` when ``text`` is in a language that writes a decimal comma, else ``"."``."""
    return "," if _DECIMAL_COMMA_TEXT.search(text) else "."


def read_number(text: str, mark: str = ".") -> float | None:
    """The value of one number written in digits, or ``None`` when it is ambiguous.

    ``mark`` is the decimal mark of the text's language; it decides only a single
    separator before exactly three digits.

    >>> read_number("1,198.7"), read_number("102,7"), read_number("5,264,14")
    (1198.7, 102.7, None)
    >>> read_number("1,141"), read_number("1,141", ","), read_number("1.141", ",")
    (1141.0, 1.141, 1141.0)
    """
    compact = re.sub(SPACES, " ", text.strip())
    if " " in compact:
        head, _, rest = compact.rpartition(" ")
        groups = [*head.split(" "), rest[:3]]
        decimals = rest[3:]
        if not all(g.isdigit() for g in groups) or any(len(g) != 3 for g in groups[1:]):
            return None
        if decimals and not re.fullmatch(r"[.,]\d+", decimals):
            return None
        return float("".join(groups) + ("." + decimals[1:] if decimals else ""))
    return _read_compact(compact, mark)


def _read_compact(text: str, mark: str) -> float | None:
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", text):
        return None
    separators = [c for c in text if c in ".,"]
    if not separators:
        return float(text)
    groups = re.split(r"[.,]", text)
    if len(separators) == 1 and len(groups[1]) == 3 and len(groups[0]) <= 3:
        whole, fraction = groups
        return float(f"{whole}.{fraction}") if separators[0] == mark else float(whole + fraction)
    if len(set(separators)) == 2:
        # The last separator is the decimal mark; the others must all be the other one.
        if separators[-1] in separators[:-1] or len(set(separators[:-1])) != 1:
            return None
        if not _thousand_groups(groups[:-1]):
            return None
        return float("".join(groups[:-1]) + "." + groups[-1])
    if separators[0] == ",":
        if _thousand_groups(groups):
            return float("".join(groups))
        if len(groups) == 2 and len(groups[1]) in (1, 2):
            return float(groups[0] + "." + groups[1])
        return None
    if len(groups) == 2:
        return float(text)
    return float("".join(groups)) if _thousand_groups(groups) else None


def _thousand_groups(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _word_value(match: re.Match[str]) -> int:
    def below_hundred(words: str) -> int:
        parts = re.split(r"[-\s]+", words.lower())
        return sum(_TENS.get(p, _UNITS.get(p, 0)) for p in parts)

    head = below_hundred(match.group("head"))
    if "hundred" not in match.group(0).lower():
        return head
    tail = match.group("tail")
    return head * 100 + (below_hundred(tail) if tail else 0)


def find_numbers(text: str, mark: str | None = None) -> list[NumberToken]:
    """Every number in ``text``, in order: digits (with ``thousand``/``million``) and words.

    ``mark`` is the decimal mark of the text's language: by default the item's, when
    ``text`` is a sentence that knows it, else :func:`decimal_mark` of ``text``.
    """
    mark = mark or getattr(text, "decimal_mark", None) or decimal_mark(text)
    tokens: list[NumberToken] = []
    for match in _DIGITS.finditer(text):
        value = read_number(match.group(0), mark)
        if _GARBLED_BEFORE.search(text, 0, match.start()):
            value = None  # "1 23 456": digits that do not group by three
        end = match.end()
        multiplier = _MULTIPLIER.match(text, end)
        if multiplier is not None and value is not None:
            word = multiplier.group(1).lower()
            value *= 1_000 if word.startswith(("thousand", "тысяч")) else 1_000_000
            end = multiplier.end()
        tokens.append(NumberToken(match.start(), end, text[match.start() : end], value))
    for match in _WORDS.finditer(text):
        if _NOT_A_COUNT_BEFORE.search(text, 0, match.start()):
            continue
        value = float(_word_value(match))
        tokens.append(NumberToken(match.start(), match.end(), match.group(0), value))
    return sorted(tokens, key=lambda token: token.start)
