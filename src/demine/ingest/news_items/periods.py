"""Reporting periods as news items write them, found in a sentence (not yet dated).

Forms read (English first, then Azerbaijani and Russian):

* ``(01.07.2024 - 07.07.2024)``; ``from October 7 to October 13, 2024``;
  ``between November 10, 2020, and September 19, 2023``;
* ``December 11–17``, ``from April 7 to 13``, ``between August 11 and 17``;
* ``4-10 December``, ``from 1 to 31 October``, ``с 4 по 10 августа``;
  ``mayın 17-dən 22-dək``; one day: ``its operational report for January 27``;
* a month: ``in March, 2013``, ``for March``, ``in November``; a year: ``In 2023, …``;
* relative: ``last week``, ``last month``, ``last year``;
* cumulative: ``since 10 November 2020``, ``since the beginning of the year``,
  ``up to now``, ``so far``.

"1 and 7 July" is a period only after "between", and a month or year that marks a start
("began operations in November 2020", "territories liberated in 2020") is not one.
:mod:`dating` works out the dates each form stands for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum

from demine.ingest.news_items.lexicon import MONTH, MONTH_AZ_GENITIVE, MONTH_AZ_STEM, month_number


class PeriodShape(StrEnum):
    """How a period is written, which decides how its dates are worked out."""

    RANGE = "range"
    MONTH = "month"
    YEAR = "year"
    LAST_WEEK = "last-week"
    LAST_MONTH = "last-month"
    SINCE = "since"
    TO_DATE = "to-date"


@dataclass(frozen=True)
class DayMonth:
    """A day as written: the year, and for a bare month the day, may be missing."""

    day: int | None
    month: int
    year: int | None


@dataclass(frozen=True)
class PeriodMention:
    """A period found in a sentence, before its dates are worked out."""

    shape: PeriodShape
    text: str
    start: int
    end: int
    first: DayMonth | None = None
    last: DayMonth | None = None


_D = r"(\d{1,2})(?:st|nd|rd|th)?(?!\d)"
_Y = r"(\d{4})"
_DASH = r"\s*[-–—]\s*"
_WORD_SEP = r"\s+(?:to|till|until|through|thru|and|по)\s+"
_SEP = rf"(?:{_DASH}|{_WORD_SEP})"
_PRE = r"(?:\b(?:from|between)\s+|(?<!\w)с\s+)"

_NUMERIC = re.compile(
    rf"(?<![\d.])(\d{{1,2}})\.(\d{{1,2}})(?:\.{_Y})?\s*(?:[-–—]|to|till|until)\s*"
    rf"(\d{{1,2}})\.(\d{{1,2}})\.{_Y}(?!\d)"
)
_TWO_MONTHS = re.compile(
    rf"({_PRE})?({MONTH})\s+{_D}(?:,?\s+{_Y})?,?({_SEP})({MONTH})\s+{_D}(?:,?\s+{_Y})?",
    re.IGNORECASE,
)
_MONTH_DAYS = re.compile(
    rf"({_PRE})?({MONTH})\s+{_D}({_SEP}){_D}(?!\s*[.-]?\s*(?:{MONTH}))(?:,?\s+{_Y})?",
    re.IGNORECASE,
)
_DAYS_MONTH = re.compile(
    rf"({_PRE})?(?<![\d.,]){_D}(?:\s+({MONTH})(?:\s+{_Y})?)?({_SEP}){_D}\s+({MONTH})(?:,?\s+{_Y})?",
    re.IGNORECASE,
)
#: "iyunun 28-dən iyulun 4-dək": a range over two months in Azerbaijani.
_AZ_TWO_MONTHS = re.compile(
    rf"(?:\b{_Y}-c[iıuü]\s+il(?:in)?\s+)?({MONTH_AZ_GENITIVE})\s+(\d{{1,2}})-?(?:n?[dt][əa]n)\s+({MONTH_AZ_GENITIVE})\s+"
    rf"(\d{{1,2}})-?(?:n?[əa]?)d[əa]k",
    re.IGNORECASE,
)
#: A start without a year: "since January 1", "с 1 января 2024 года", "yanvarın 1-dən",
#: "2024-cü ilin 1 yanvarından" (a range's "с 1 по 7" is read before this).
_SINCE_DAY = re.compile(
    rf"\bsince\s+(?:({MONTH})\s+{_D}|{_D}\s+({MONTH}))(?!,?\s+(?:19|20)\d\d(?![\d,.]))"
    rf"|(?<!\w)с\s+{_D}\s+({MONTH})(?:\s+{_Y}(?:\s+года)?)?(?!\s+по)"
    rf"|(?:\b{_Y}-c[iıuü]\s+ilin\s+)?{_D}\s+({MONTH_AZ_STEM})(?:[ıiuü]n)?d[əa]n\b"
    rf"|(?:\b{_Y}-c[iıuü]\s+il\s+)?({MONTH_AZ_GENITIVE})\s+(\d{{1,2}})-?(?:n?[dt][əa]n)(?!\s*\d)",
    re.IGNORECASE,
)
_AZ_RANGE = re.compile(
    rf"(?:\b{_Y}-c[iıuü]\s+il(?:in)?\s+)?({MONTH_AZ_GENITIVE})\s+(\d{{1,2}})-?(?:n?[dt][əa]n)\s*(\d{{1,2}})-?(?:n?[əa]?)d[əa]k",
    re.IGNORECASE,
)
_BARE_MONTH = re.compile(
    rf"\b(?:in|for|during|over|в|за)\s+(?:the\s+month\s+of\s+)?({MONTH})"
    rf"(?:,?\s+{_Y}(?:\s*(?:года|г\.))?)?(?![\w-])(?!\s*\d{{1,2}}\b)",
    re.IGNORECASE,
)
_AZ_MONTH = re.compile(rf"({MONTH})\s+ay(?:ında|ı\s+ərzində)", re.IGNORECASE)
# "began operations in November 2020" names a starting point, not a reporting month.
_START_VERB_BEFORE = re.compile(
    r"\b(?:began|begun|started|starting|start)\b[\w\s,]{0,30}$", re.IGNORECASE
)
# "In 2023, …", "during 2023", "в 2023 году", "2023-cü ildə"; "last year" is relative.
_YEAR = re.compile(
    r"\b(?:in|during|throughout|for)\s+(?:the\s+(?:whole\s+)?year\s+(?:of\s+)?)?((?:19|20)\d\d)\b"
    r"(?!\s*[-–/]\s*\d|-c)|\b(?:в|за)\s+((?:19|20)\d\d)\s+год\w*|\b((?:19|20)\d\d)-c[iıuü]\s+il(?:də|\s+ərzində)"
    r"|\b(?:last|past|previous)\s+year\b|\bötən\s+il\b|в\s+прошлом\s+году",
    re.IGNORECASE,
)
_MONTHS_RANGE = re.compile(
    rf"\b(?:from|between)\s+({MONTH}),?(?:\s+{_Y})?\s+(?:to|till|until|and)\s+({MONTH}),?\s+{_Y}",
    re.IGNORECASE,
)
_YEARS_RANGE = re.compile(
    r"\b(?:from|between)\s+((?:19|20)\d\d)\s+(?:to|till|until|and)\s+((?:19|20)\d\d)\b"
    r"|\b(?:in|during)\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# A year tied to the war or the liberation dates them, not the figures.
_HISTORY_BEFORE = re.compile(
    r"(?:liberat|occup|\bwar\b|conflict|signed|since|after|from|began|started|founded)[^.]{0,40}$",
    re.IGNORECASE,
)
# A report dated by one day: "its operational report for January 27".
_REPORT_DAY = re.compile(
    rf"\b(?:report|information|data|statement|summary)\s+(?:for|of|on)\s+"
    rf"(?:({MONTH})\s+{_D}|{_D}\s+({MONTH}))(?:,?\s+{_Y})?(?!\s*[-–—]\s*\d)",
    re.IGNORECASE,
)
_ORDINALS = {
    1: r"first|1st|I|birinci|первом|первый|1-м|1-й",
    2: r"second|2nd|II|ikinci|втором|второй|2-м|2-й",
    3: r"third|3rd|III|üçüncü|третьем|третий|3-м|3-й",
    4: r"fourth|4th|IV|dördüncü|четвертом|четвёртом|четвертый|4-м|4-й",
}
_ORDINAL = "|".join(rf"(?P<n{n}>{words})" for n, words in _ORDINALS.items())
#: "the first quarter of 2024", "Q1 2024", "в первом квартале 2024 года",
#: "2024-cü ilin birinci rübündə"; "the first half of the year", "в первом полугодии",
#: "ilin birinci yarısında", "the first six months of 2024".
_PART_OF_YEAR = re.compile(
    rf"(?:\b(?P<az_year>(?:19|20)\d\d)-c[iıuü]\s+ilin\s+|\bilin\s+)?"
    rf"(?:\b(?:in|during|for|over)\s+)?(?:the\s+|в\s+|за\s+)?"
    rf"(?:(?<!\w)(?:{_ORDINAL})\s+"
    rf"(?:(?P<quarter>quarter|квартал\w*|rüb\w*)|(?P<half>half|полугоди\w*|yarı\w*|yarımillik\w*))"
    rf"|\b(?P<q>Q[1-4])|\b(?P<h>H[12])|(?P<six>(?:first|ilk|первые)\s+(?:six|6|altı|шесть)\s+"
    rf"(?:months|ayında|ay|месяцев)))"
    rf"(?:\s+(?:of\s+)?(?:the\s+)?(?:(?:current\s+|this\s+)?year|(?P<year>(?:19|20)\d\d))"
    rf"(?:\s*(?:года|г\.))?)?",
    re.IGNORECASE,
)
#: Months joined by a dash: "January-June 2024", "январь–июнь 2024 года", "yanvar-iyun".
_MONTHS_DASH = re.compile(
    rf"(?:\b{_Y}-c[iıuü]\s+il(?:in)?\s+)?({MONTH})\s*[-–—]\s*({MONTH})(?:,?\s+{_Y})?",
    re.IGNORECASE,
)
#: "2024-cü ilin iyul ayında": the year of an Azerbaijani month.
_AZ_YEAR_MONTH = re.compile(
    rf"\b{_Y}-c[iıuü]\s+il(?:in)?\s+({MONTH})\s+ay(?:ında|ı\s+ərzində|ı)", re.IGNORECASE
)
#: Days without a month: "from 1 to 7". The month is not guessed.
_DAYS_ONLY = re.compile(
    rf"(?:\bfrom\s+|(?<!\w)с\s+){_D}\s+(?:to|till|until|по)\s+{_D}(?!\s*(?:[.,]\d|\w))",
    re.IGNORECASE,
)
#: Since the end of the war (10 November 2020), in any of the three languages.
_SINCE_WAR = re.compile(
    r"\bsince\s+the\s+end\s+of\s+the\s+(?:(?:second|2nd|44-day|patriotic)\s+)*"
    r"(?:(?:karabakh|garabagh|karabagh)\s+)?war\b|\bsince\s+the\s+war\b"
    r"|(?<!\w)с\s+10\s+ноября\s+2020(?:\s+года)?|после\s+окончания\s+(?:второй\s+)?"
    r"(?:карабахской\s+)?войны|\b2020-ci\s+il(?:in)?\s+noyabrın\s+10-dan"
    r"|müharibə(?:nin\s+başa\s+çatmasından|dən)\s+sonra",
    re.IGNORECASE,
)
#: "с начала года", "с начала 2024 года", "ilin əvvəlindən", "2024-cü ilin əvvəlindən".
_SINCE_START_RU_AZ = re.compile(
    r"(?<!\w)с\s+начала\s+(?:(?:этого|текущего)\s+)?(?:((?:19|20)\d\d)\s+)?года"
    r"|(?:\b((?:19|20)\d\d)-c[iıuü]\s+ilin|\b(?:cari\s+)?ilin)\s+(?:əvvəlindən|başlanğıcından)",
    re.IGNORECASE,
)
_SINCE_START = re.compile(
    r"\b(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+(?:(?:the|this)\s+year|((?:19|20)\d\d))\b",
    re.IGNORECASE,
)
_LAST_WEEK = re.compile(
    r"\b(?:last|past|previous)\s+week\b|\bötən\s+həftə|\bkeçən\s+həftə|\bson\s+bir\s+həftə"
    r"|на\s+прошлой\s+неделе|за\s+прошедшую\s+неделю|\bla\s+semaine\s+dernière"
    r"|\b(?:letzten|vergangenen)\s+Woche",
    re.IGNORECASE,
)
_LAST_MONTH = re.compile(
    r"\b(?:last|past|previous)\s+month\b|\bötən\s+ay\b|\bkeçən\s+ay\b|в\s+прошлом\s+месяце"
    r"|за\s+прошлый\s+месяц|\ble\s+mois\s+dernier|\b(?:letzten|vergangenen)\s+Monat",
    re.IGNORECASE,
)
_SINCE = re.compile(
    rf"\bsince\s+(?:{_D}\s+({MONTH}),?\s+{_Y}|({MONTH})\s+{_D},?\s+{_Y}|({MONTH}),?\s+{_Y}"
    rf"|((?:19|20)\d\d)\b)",
    re.IGNORECASE,
)
_TO_DATE = re.compile(
    r"\b(?:up\s+to\s+now|so\s+far|to\s+date|until\s+now|till\s+now)\b|jusqu['’]à\s+présent"
    r"|\bsince\s+the\s+(?:beginning|start)\s+of\s+(?:the\s+)?(?:demining|mine\s+clearance|humanitarian"
    r"|operations|works?|activities)"
    r"|до\s+сих\s+пор|на\s+сегодняшний\s+день|\bindiyədək|\bbu\s+günədək|\bbis\s+jetzt",
    re.IGNORECASE,
)
#: A month named inside brackets with its days missing: "(dekabrın )".
_BROKEN = re.compile(rf"\(\s*{MONTH}\s*\)|\(\s*{MONTH_AZ_GENITIVE}\s*\)", re.IGNORECASE)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _range(match: re.Match[str], groups: tuple[int | None, ...]) -> PeriodMention | None:
    """A range from the match groups at positions (d1, m1, y1, d2, m2, y2)."""
    values: list[str | None] = [match.group(g) if g else None for g in groups]
    d1, m1, y1, d2, m2, y2 = values
    month_last = month_number(m2) if m2 and not m2.isdigit() else _int(m2)
    month_first = month_number(m1) if m1 and not m1.isdigit() else _int(m1)
    if month_last is None or d1 is None or d2 is None:
        return None
    first = DayMonth(int(d1), month_first or month_last, _int(y1))
    last = DayMonth(int(d2), month_last, _int(y2))
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), first, last)


def _word_separator_needs_prefix(prefix: str | None, sep: str) -> bool:
    """ "1 and 7 July" is a period only after "between"; "7 to 13" reads without "from"."""
    word = sep.strip().lower()
    if word == "and":
        return not prefix or "between" not in prefix.lower()
    return False


def find_periods(sentence: str) -> list[PeriodMention]:
    """Every period written in ``sentence``, in order, overlapping forms removed."""
    found: list[PeriodMention] = []
    for match in _NUMERIC.finditer(sentence):
        found.append(_numeric(match))
    for match in _TWO_MONTHS.finditer(sentence):
        if not _word_separator_needs_prefix(match.group(1), match.group(5)):
            _add(found, _range(match, (3, 2, 4, 7, 6, 8)))
    for match in _MONTH_DAYS.finditer(sentence):
        if not _word_separator_needs_prefix(match.group(1), match.group(4)):
            _add(found, _range(match, (3, 2, None, 5, 2, 6)))
    for match in _DAYS_MONTH.finditer(sentence):
        sep = match.group(5)
        if sep.strip() and not re.fullmatch(_DASH, sep) and not match.group(1):
            continue  # "85 to 100 December" without "from" is not read as a period
        if not _word_separator_needs_prefix(match.group(1), sep):
            _add(found, _range(match, (2, 3, 4, 6, 7, 8)))
    for match in _AZ_TWO_MONTHS.finditer(sentence):
        _add(found, _range(match, (3, 2, 1, 5, 4, 1)))
    for match in _AZ_RANGE.finditer(sentence):
        _add(found, _range(match, (3, 2, 1, 4, 2, 1)))
    for match in _DAYS_ONLY.finditer(sentence):
        _add(found, _days_only(match))
    for match in _PART_OF_YEAR.finditer(sentence):
        _add(found, _part_of_year(match))
    for match in _MONTHS_DASH.finditer(sentence):
        _add(found, _months_dash(match))
    for match in _AZ_YEAR_MONTH.finditer(sentence):
        day_month = DayMonth(None, month_number(match.group(2)), int(match.group(1)))
        _add(
            found,
            PeriodMention(
                PeriodShape.MONTH, match.group(0), match.start(), match.end(), day_month, day_month
            ),
        )
    for pattern in (_BARE_MONTH, _AZ_MONTH):
        for match in pattern.finditer(sentence):
            _add_bare_month(found, sentence, match)
    for match in _REPORT_DAY.finditer(sentence):
        _add(found, _report_day(match))
    for match in _MONTHS_RANGE.finditer(sentence):
        _add(found, _months_range(match))
    for match in _YEARS_RANGE.finditer(sentence):
        _add_year(found, sentence, match)
    for match in _YEAR.finditer(sentence):
        _add_year(found, sentence, match)
    for match in _SINCE_START.finditer(sentence):
        year = _int(match.group(1))
        first = DayMonth(1, 1, year)
        _add(
            found,
            PeriodMention(PeriodShape.SINCE, match.group(0), match.start(), match.end(), first),
        )
    for match in _SINCE_START_RU_AZ.finditer(sentence):
        first = DayMonth(1, 1, _int(match.group(1) or match.group(2)))
        _add(
            found,
            PeriodMention(PeriodShape.SINCE, match.group(0), match.start(), match.end(), first),
        )
    for match in _SINCE_WAR.finditer(sentence):
        first = DayMonth(10, 11, 2020)
        _add(
            found,
            PeriodMention(PeriodShape.SINCE, match.group(0), match.start(), match.end(), first),
        )
    for match in _SINCE.finditer(sentence):
        _add(found, _since(match))
    for match in _SINCE_DAY.finditer(sentence):
        _add(found, _since_day(match))
    for pattern, shape in (
        (_LAST_WEEK, PeriodShape.LAST_WEEK),
        (_LAST_MONTH, PeriodShape.LAST_MONTH),
        (_TO_DATE, PeriodShape.TO_DATE),
    ):
        for match in pattern.finditer(sentence):
            _add(found, PeriodMention(shape, match.group(0), match.start(), match.end()))
    return sorted(found, key=lambda mention: mention.start)


def _since_day(match: re.Match[str]) -> PeriodMention | None:
    """A starting day, its year written or not ("since January 1", "с 1 января")."""
    g = match.groups()
    # (month, day) | (day, month) | ru (day, month, year) | az (year, day, month)
    # | az (year, month, day)
    if g[0]:
        day, month, year = g[1], g[0], None
    elif g[3]:
        day, month, year = g[2], g[3], None
    elif g[5]:
        day, month, year = g[4], g[5], g[6]
    elif g[9]:
        day, month, year = g[8], g[9], g[7]
    else:
        day, month, year = g[12], g[11], g[10]
    first = DayMonth(int(day), month_number(month), _int(year))
    return PeriodMention(PeriodShape.SINCE, match.group(0), match.start(), match.end(), first)


def _days_only(match: re.Match[str]) -> PeriodMention:
    """ "from 1 to 7": a range whose month (and year) the text does not give."""
    first = DayMonth(int(match.group(1)), 0, None)
    last = DayMonth(int(match.group(2)), 0, None)
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), first, last)


def _part_of_year(match: re.Match[str]) -> PeriodMention | None:
    """A quarter or a half of a year, from its first day to its last."""
    groups = match.groupdict()
    number = next((n for n in _ORDINALS if groups[f"n{n}"]), None)
    if groups["q"]:
        number, months = int(groups["q"][1]), 3
    elif groups["h"]:
        number, months = int(groups["h"][1]), 6
    elif groups["six"]:
        number, months = 1, 6
    elif number is not None and groups["quarter"]:
        months = 3
    elif number is not None and groups["half"] and number <= 2:
        months = 6
    else:
        return None
    year = _int(groups["year"] or groups["az_year"])
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year or 2001, last_month)[1]
    first = DayMonth(1, first_month, year)
    last = DayMonth(last_day, last_month, year)
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), first, last)


def _months_dash(match: re.Match[str]) -> PeriodMention | None:
    """ "January-June 2024": from the first month's first day to the last month's last."""
    first_month, last_month = month_number(match.group(2)), month_number(match.group(3))
    if first_month >= last_month:
        return None
    year = _int(match.group(4) or match.group(1))
    last_day = calendar.monthrange(year or 2001, last_month)[1]
    first = DayMonth(1, first_month, year)
    last = DayMonth(last_day, last_month, year)
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), first, last)


def _numeric(match: re.Match[str]) -> PeriodMention:
    d1, m1, y1, d2, m2, y2 = match.groups()
    first = DayMonth(int(d1), int(m1), _int(y1) or int(y2))
    last = DayMonth(int(d2), int(m2), int(y2))
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), first, last)


def _add_bare_month(found: list[PeriodMention], sentence: str, match: re.Match[str]) -> None:
    word = match.group(1)
    if word.lower() == "may" and word[0].islower():
        return  # the verb "may"
    if _START_VERB_BEFORE.search(sentence, 0, match.start() + len(match.group(0).split()[0])):
        return
    year = _int(match.group(2)) if match.re is _BARE_MONTH else None
    day_month = DayMonth(None, month_number(word), year)
    _add(
        found,
        PeriodMention(
            PeriodShape.MONTH, match.group(0), match.start(), match.end(), day_month, day_month
        ),
    )


def _report_day(match: re.Match[str]) -> PeriodMention:
    month_word = match.group(1) or match.group(4)
    day = int(match.group(2) or match.group(3))
    when = DayMonth(day, month_number(month_word), _int(match.group(5)))
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), when, when)


def _months_range(match: re.Match[str]) -> PeriodMention:
    """ "between November 2020 and June 2024": from the first day to the last."""
    first_month, last_month = month_number(match.group(1)), month_number(match.group(3))
    last_year = int(match.group(4))
    first_year = _int(match.group(2)) or (last_year - (first_month > last_month))
    last_day = calendar.monthrange(last_year, last_month)[1]
    first = DayMonth(1, first_month, first_year)
    last = DayMonth(last_day, last_month, last_year)
    return PeriodMention(PeriodShape.RANGE, match.group(0), match.start(), match.end(), first, last)


def _add_year(found: list[PeriodMention], sentence: str, match: re.Match[str]) -> None:
    if _HISTORY_BEFORE.search(sentence, 0, match.start()):
        return
    years = [int(g) for g in match.groups() if g]
    # "last year" has no number: its year is worked out from the publication date.
    first = DayMonth(1, 1, years[0]) if years else None
    last = DayMonth(31, 12, years[-1]) if years else None
    _add(
        found,
        PeriodMention(PeriodShape.YEAR, match.group(0), match.start(), match.end(), first, last),
    )


def _since(match: re.Match[str]) -> PeriodMention:
    g = match.groups()
    first: DayMonth | None = None
    if g[0]:
        first = DayMonth(int(g[0]), month_number(g[1]), int(g[2]))
    elif g[3]:
        first = DayMonth(int(g[4]), month_number(g[3]), int(g[5]))
    elif g[6]:
        first = DayMonth(None, month_number(g[6]), int(g[7]))
    return PeriodMention(PeriodShape.SINCE, match.group(0), match.start(), match.end(), first)


def _add(found: list[PeriodMention], mention: PeriodMention | None) -> None:
    if mention is None:
        return
    for other in found:
        if mention.start < other.end and other.start < mention.end:
            return  # already read by an earlier, more specific form
    found.append(mention)


def has_broken_period(sentence: str) -> bool:
    """True when a month is named in brackets with its days missing, as in ``(dekabrın )``."""
    return bool(_BROKEN.search(sentence))
