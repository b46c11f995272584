"""The Monday rule: the year of a week written without one (issue 21).

ANAMA's weekly reports start on a Monday and exist only since the war ended on
10 November 2020, so "4–10 December" in an item without a publication date is in the one
year since then, up to the day the item is read as of, in which 4 December is a Monday.
Several such years, or none, leave the dates empty with the candidates; months and other
periods are never dated this way. The sentences are written in the style of the items.
"""

from __future__ import annotations

from datetime import date

import pytest

from demine.ingest.news_items import ParsedNewsItem, parse_news_item
from demine.ingest.news_items.dating import DEDUCED, deduce_week_year, resolve
from demine.ingest.news_items.model import ReportKind
from demine.ingest.news_items.periods import find_periods

TODAY = date(2026, 12, 1)


def _read(text: str, today: date = TODAY) -> ParsedNewsItem:
    return parse_news_item(text, today=today)


def _written(text: str, parsed: ParsedNewsItem, name: str) -> str:
    span = parsed.readings[name].span
    assert span is not None
    return text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("text", "written", "start", "end"),
    [
        (
            "From December 4 to 10, 84 anti-tank mines and 340 UXO were found.",
            "From December 4 to 10",
            date(2023, 12, 4),
            date(2023, 12, 10),
        ),
        (
            "This is stated in the weekly (4-10 December) information of ANAMA: 84 anti-tank "
            "mines were found.",
            "4-10 December",
            date(2023, 12, 4),
            date(2023, 12, 10),
        ),
        (
            "С 4 по 10 декабря обнаружено 84 противотанковые мины.",
            "С 4 по 10 декабря",
            date(2023, 12, 4),
            date(2023, 12, 10),
        ),
        (
            "Dekabrın 4-dən 10-dək 84 tank əleyhinə mina aşkarlanıb.",
            "Dekabrın 4-dən 10-dək",
            date(2023, 12, 4),
            date(2023, 12, 10),
        ),
        # Monday to Saturday, as the early weekly reports ran.
        (
            "Mayın 17-dən 22-dək 93 piyada əleyhinə mina aşkarlanıb.",
            "Mayın 17-dən 22-dək",
            date(2021, 5, 17),
            date(2021, 5, 22),
        ),
        # Over two months and over a year's end: the end follows the start.
        (
            "From 26 June to 2 July, 86 anti-personnel mines were found.",
            "From 26 June to 2 July",
            date(2023, 6, 26),
            date(2023, 7, 2),
        ),
        (
            "С 29 сентября по 5 октября обнаружено 86 противопехотных мин.",
            "С 29 сентября по 5 октября",
            date(2025, 9, 29),
            date(2025, 10, 5),
        ),
        (
            "Between December 28 and January 3, 86 anti-personnel mines were found.",
            "Between December 28 and January 3",
            date(2020, 12, 28),
            date(2021, 1, 3),
        ),
    ],
)
def test_a_week_starting_on_a_monday_in_one_year_only_is_dated_with_the_reason(
    text: str, written: str, start: date, end: date
) -> None:
    parsed = _read(text)
    assert parsed.main.kind is ReportKind.WEEKLY
    assert (parsed.main.period_start, parsed.main.period_end) == (start, end)
    for name in ("period_start", "period_end"):
        reading = parsed.readings[name]
        assert reading.confidence == DEDUCED < 1.0
        assert f"{start.year} is the only year since the war" in reading.reason
        assert "Monday" in reading.reason and "not written" in reading.reason
        assert _written(text, parsed, name) == written
    assert any("Monday" in warning for warning in parsed.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "During the week of 16–22 November, 86 anti-personnel mines were found.",
        "С 16 по 22 ноября обнаружено 86 противопехотных мин.",
        "Noyabrın 16-dan 22-dək 86 piyada əleyhinə mina aşkarlanıb.",
    ],
)
def test_a_week_starting_on_a_monday_in_two_years_is_left_empty_with_both(text: str) -> None:
    # 16 November was a Monday in 2020 (after the war ended) and is again in 2026.
    parsed = _read(text)
    assert parsed.main.period_start is None and parsed.main.period_end is None
    start, end = parsed.readings["period_start"], parsed.readings["period_end"]
    assert [c.value for c in start.candidates] == [date(2020, 11, 16), date(2026, 11, 16)]
    assert [c.value for c in end.candidates] == [date(2020, 11, 22), date(2026, 11, 22)]
    assert "2020, 2026" in start.reason and "not chosen" in start.reason
    assert parsed.main.kind is ReportKind.WEEKLY


def test_the_years_run_only_up_to_the_day_the_item_is_read_as_of() -> None:
    text = "Mayın 17-dən 22-dək 93 piyada əleyhinə mina aşkarlanıb."
    assert _read(text, today=date(2026, 12, 1)).main.period_start == date(2021, 5, 17)
    # 17 May is a Monday again in 2027: read after that week, the year is not clear.
    later = _read(text, today=date(2027, 6, 1))
    assert later.main.period_start is None
    assert [c.value for c in later.readings["period_start"].candidates] == [
        date(2021, 5, 17),
        date(2027, 5, 17),
    ]
    # Read before the week ended, no year since the war fits.
    assert _read(text, today=date(2021, 5, 20)).main.period_start is None


@pytest.mark.parametrize(
    "text",
    [
        "From April 9 to 15, 86 anti-personnel mines were found.",
        "С 9 по 15 апреля обнаружено 86 противопехотных мин.",
        "Aprelin 9-dan 15-dək 86 piyada əleyhinə mina aşkarlanıb.",
    ],
)
def test_a_week_that_never_starts_on_a_monday_is_left_empty_and_says_so(text: str) -> None:
    # 9 April was not a Monday in any year from 2021 to 2026.
    parsed = _read(text)
    reading = parsed.readings["period_start"]
    assert reading.value is None and parsed.main.period_start is None
    assert "in no year since the war does the week start on a Monday" in reading.reason
    assert date(2023, 4, 9) in [c.value for c in reading.candidates]


@pytest.mark.parametrize(
    "text",
    [
        "In December, 86 anti-personnel mines were found.",
        "From 1 to 31 December, 86 anti-personnel mines were found.",
        "За декабрь обнаружено 86 противопехотных мин.",
        "Dekabr ayında 86 piyada əleyhinə mina aşkarlanıb.",
        # Ten days are not a week, though they start on a Monday (4 December 2023).
        "From 4 to 13 December, 86 anti-personnel mines were found.",
    ],
)
def test_months_and_other_periods_are_never_dated_by_the_weekday(text: str) -> None:
    parsed = _read(text)
    reading = parsed.readings["period_start"]
    assert reading.value is None and "Monday" not in reading.reason
    assert "publication date is unknown" in reading.reason
    assert parsed.main.kind is not ReportKind.WEEKLY


def test_a_publication_date_completes_the_year_and_the_monday_rule_is_not_needed() -> None:
    parsed = parse_news_item(
        "С 4 по 10 декабря обнаружено 84 противотанковые мины.",
        published=date(2024, 12, 12),
        today=TODAY,
    )
    reading = parsed.readings["period_start"]
    # 4 December 2024 is a Wednesday: the item says what it says; the rule only deduces.
    assert reading.value == date(2024, 12, 4) and "publication date" in reading.reason


def test_the_rule_applies_only_to_a_week_whose_year_is_not_known() -> None:
    mention = find_periods("From December 4 to 10, 84 anti-tank mines were found.")[0]
    undated = resolve(mention, None)
    assert undated is not None
    assert deduce_week_year(undated, TODAY, weekly=False) is None
    deduced = deduce_week_year(undated, TODAY, weekly=True)
    assert deduced is not None and deduced.chosen == (date(2023, 12, 4), date(2023, 12, 10))
    dated = resolve(mention, date(2023, 12, 12))
    assert dated is not None and deduce_week_year(dated, TODAY, weekly=True) is None
