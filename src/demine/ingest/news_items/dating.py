"""Working out the dates of a written period, and what kind of report it makes.

A year that is not written is the publication year, or the year before when the period
would otherwise end after publication (``December 11–17`` published on 5 January). For a
bare month (``in November``) the test is the month's first day: a monthly figure quoted
before the month is over still belongs to that month, not to the same month a year
earlier. Without a publication date the year stays unknown: the dates are ``None``, but
the period's length is still known, which is enough to tell a week from a month.

One rule of the domain dates a week all the same (:func:`deduce_week_year`): ANAMA's
weekly reports start on a Monday (Monday to Saturday in 2021–2022, Monday to Sunday
since) and exist only since the war ended on 10 November 2020. A week written without
its year ("4–10 December") is in the one year since then, up to the reference date, in
which its first day is a Monday; when several years or none fit, the year is not chosen.
Months, quarters and other periods are never dated this way.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from demine.i18n import _
from demine.ingest.news_items.model import ReportKind
from demine.ingest.news_items.periods import DayMonth, PeriodMention, PeriodShape

#: Stand-in years to measure a period whose year is unknown (2000 is a leap year).
_LEAP, _PLAIN = 2000, 1999


@dataclass(frozen=True)
class Period:
    """A period with its dates worked out as far as the text and publication date allow."""

    shape: PeriodShape
    text: str
    start: date | None
    end: date | None
    #: Length in days, known even when the year is not (``None`` for open periods).
    days: int | None
    whole_month: bool
    #: Equal for two mentions of one period ("in April 2021" and "from April 1 to 30").
    key: tuple[object, ...]
    warnings: tuple[str, ...] = ()
    #: Where the period is written in its sentence.
    at: tuple[int, int] = (0, 0)
    #: True when a year (or, for "last week", every date) came from the publication date.
    from_publication: bool = False
    #: The first and last days as written (a year may be missing).
    first: DayMonth | None = None
    last: DayMonth | None = None

    @property
    def is_cumulative(self) -> bool:
        return self.shape in (PeriodShape.SINCE, PeriodShape.TO_DATE)

    @property
    def is_relative(self) -> bool:
        return self.shape in (PeriodShape.LAST_WEEK, PeriodShape.LAST_MONTH)


def resolve(mention: PeriodMention, published: date | None) -> Period | None:
    """The dates ``mention`` stands for; ``None`` when it names impossible dates.

    The publication date only completes what the text leaves out (a year, or the week
    "last week" means); the period says when it did.
    """
    period = _resolve(mention, published)
    if period is None:
        return None
    written_year = any(
        day is not None and day.year is not None for day in (mention.first, mention.last)
    )
    dated = period.start is not None or period.end is not None
    from_publication = published is not None and dated and not written_year
    return replace(
        period,
        at=(mention.start, mention.end),
        from_publication=from_publication,
        first=mention.first,
        last=mention.last,
    )


#: The first year offered for a period whose year is not written: ANAMA's reports on the
#: liberated territories, which most undated items quote, began in November 2020.
FIRST_CANDIDATE_YEAR = 2020


def candidate_dates(period: Period, today: date) -> list[tuple[date, date]]:
    """(start, end) in each year from 2020 to ``today`` for a period whose year is unknown.

    Offered to a reviewer, never chosen: the text does not say which year it is.
    """
    first, last = period.first, period.last
    if period.start is not None or first is None or last is None:
        return []
    if (
        first.month == 0
        or last.month == 0
        or period.shape
        not in (
            PeriodShape.RANGE,
            PeriodShape.MONTH,
        )
    ):
        return []
    crosses_year = first.month > last.month
    result: list[tuple[date, date]] = []
    for year in range(FIRST_CANDIDATE_YEAR, today.year + 1):
        start_year = year - 1 if crosses_year else year
        start = _day(start_year, first.month, first.day or 1)
        end_day = last.day or calendar.monthrange(year, last.month)[1]
        end = _day(year, last.month, end_day)
        if start is not None and end is not None and start <= end <= today:
            result.append((start, end))
    return result


#: The Second Garabagh War ended on this day; weekly reports on the liberated territories
#: cover weeks after it.
WAR_END = date(2020, 11, 10)
#: How sure a year deduced from the weekday is: the rule holds for every labelled week, but
#: the text does not write the year.
DEDUCED = 0.8


@dataclass(frozen=True)
class WeekYear:
    """What the Monday rule makes of a week whose year is not written.

    ``weeks`` holds (start, end) for every year in which the week starts on a Monday;
    ``chosen`` is set only when there is exactly one.
    """

    weeks: tuple[tuple[date, date], ...]
    reason: str

    @property
    def chosen(self) -> tuple[date, date] | None:
        return self.weeks[0] if len(self.weeks) == 1 else None


def deduce_week_year(period: Period, reference: date, *, weekly: bool) -> WeekYear | None:
    """The year of a weekly period written without one, from the day its week starts.

    ``weekly`` says the reader takes the period for a week (6 or 7 days, or a week by
    the item's own words); ``reference`` is the publication date, or today when the item
    has none. ``None`` when the rule does not apply: the year is known, the period is not
    a range of days within named months, or not a week.
    """
    first, last = period.first, period.last
    if (
        not weekly
        or period.start is not None
        or period.shape is not PeriodShape.RANGE
        or period.whole_month
        or first is None
        or last is None
        or first.day is None
        or last.day is None
        or 0 in (first.month, last.month)
    ):
        return None
    crosses_year = (first.month, first.day) > (last.month, last.day)
    weeks: list[tuple[date, date]] = []
    for year in range(WAR_END.year, reference.year + 1):
        start = _day(year, first.month, first.day)
        end = _day(year + 1 if crosses_year else year, last.month, last.day)
        if start is None or end is None or start <= WAR_END or end > reference:
            continue
        if start.weekday() == calendar.MONDAY:
            weeks.append((start, end))
    if len(weeks) == 1:
        reason = _(
            "'{text}': the year is not written; {year} is the only year since the war in "
            "which the week starts on a Monday, as weekly reports do"
        ).format(text=period.text, year=weeks[0][0].year)
    elif weeks:
        reason = _(
            "'{text}': the year is not written, and the week starts on a Monday in {years}; "
            "not chosen"
        ).format(text=period.text, years=", ".join(str(start.year) for start, _end in weeks))
    else:
        reason = _(
            "'{text}': the year is not written, and in no year since the war does the week "
            "start on a Monday, as weekly reports do"
        ).format(text=period.text)
    return WeekYear(tuple(weeks), reason)


def _resolve(mention: PeriodMention, published: date | None) -> Period | None:
    shape = mention.shape
    if shape is PeriodShape.LAST_WEEK:
        return _last_week(mention, published)
    if shape is PeriodShape.LAST_MONTH:
        return _last_month(mention, published)
    if shape is PeriodShape.TO_DATE:
        return Period(shape, mention.text, None, None, None, False, (shape,))
    if shape is PeriodShape.SINCE:
        return _since(mention, published)
    if shape is PeriodShape.YEAR:
        return _year(mention, published)
    if mention.first is None or mention.last is None:
        return None
    if shape is PeriodShape.MONTH:
        return _month(mention, mention.first, published)
    return _range(mention, mention.first, mention.last, published)


def _since(mention: PeriodMention, published: date | None) -> Period:
    first = mention.first
    start = None
    if first is not None and first.day is not None:
        # "since the beginning of the year" counts from 1 January of the publication year.
        year = first.year or (published.year if published else None)
        start = _day(year, first.month, first.day) if year else None
    return Period(mention.shape, mention.text, start, None, None, False, (mention.shape, start))


def _year(mention: PeriodMention, published: date | None) -> Period:
    first = mention.first.year if mention.first else None
    last = mention.last.year if mention.last else None
    if first is None and published is not None:
        first = last = published.year - 1  # "last year"
    if first is None or last is None:
        return Period(
            mention.shape, mention.text, None, None, 365, False, ("y",), (_no_year(mention),)
        )
    start, end = date(first, 1, 1), date(last, 12, 31)
    if published is not None and end > published:
        # "in 2024" written in July 2024 runs to a day the item does not give.
        warning = _("'{text}': the year had not ended when the item was published").format(
            text=mention.text
        )
        return Period(
            mention.shape, mention.text, start, None, None, False, ("ytd", start), (warning,)
        )
    days = (end - start).days + 1
    return Period(mention.shape, mention.text, start, end, days, False, ("d", start, end))


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(mention: PeriodMention, month: DayMonth, published: date | None) -> Period:
    year = month.year
    warnings: list[str] = []
    if year is None and published is not None:
        year = (
            published.year
            if date(published.year, month.month, 1) <= published
            else (published.year - 1)
        )
        if date(year, month.month, calendar.monthrange(year, month.month)[1]) > published:
            warnings.append(
                _("'{text}': the month had not ended when the item was published").format(
                    text=mention.text
                )
            )
    if year is None:
        days = calendar.monthrange(_LEAP if month.month == 2 else _PLAIN, month.month)[1]
        return Period(
            mention.shape,
            mention.text,
            None,
            None,
            days,
            True,
            ("m", month.month),
            (_no_year(mention),),
        )
    last = calendar.monthrange(year, month.month)[1]
    start, end = date(year, month.month, 1), date(year, month.month, last)
    return Period(
        mention.shape, mention.text, start, end, last, True, ("d", start, end), tuple(warnings)
    )


def _range(
    mention: PeriodMention, first: DayMonth, last: DayMonth, published: date | None
) -> Period | None:
    assert first.day is not None and last.day is not None
    if first.month == 0 or last.month == 0:
        return _days_only(mention, first.day, last.day)
    crosses_year = (first.month, first.day) > (last.month, last.day)
    end_year = last.year
    if end_year is None and first.year is not None:
        end_year = first.year + 1 if crosses_year else first.year
    if end_year is None and published is not None:
        end_year = published.year
        if (last.month, last.day) > (published.month, published.day):
            end_year -= 1
    if end_year is None:
        return _range_without_year(mention, first, last, crosses_year)
    start_year = first.year or (end_year - 1 if crosses_year else end_year)
    start = _day(start_year, first.month, first.day)
    end = _day(end_year, last.month, last.day)
    if start is None or end is None or start > end:
        return None
    whole_month = start.day == 1 and start.month == end.month and end.day == _month_end(end)
    warnings: tuple[str, ...] = ()
    if published is not None and end > published:
        warnings = (
            _("'{text}' ends after the publication date {published}").format(
                text=mention.text, published=published.isoformat()
            ),
        )
    days = (end - start).days + 1
    return Period(
        mention.shape, mention.text, start, end, days, whole_month, ("d", start, end), warnings
    )


def _days_only(mention: PeriodMention, first: int, last: int) -> Period | None:
    """ "from 1 to 7": the length is known, the month and year are not (never guessed)."""
    if not 1 <= first <= last <= 31:
        return None
    warning = _("'{text}': the month is not written").format(text=mention.text)
    days = last - first + 1
    return Period(
        mention.shape, mention.text, None, None, days, False, ("days", first, last), (warning,)
    )


def _range_without_year(
    mention: PeriodMention, first: DayMonth, last: DayMonth, crosses_year: bool
) -> Period | None:
    assert first.day is not None and last.day is not None
    end = _day(_LEAP, last.month, last.day)
    start = _day(_LEAP - 1 if crosses_year else _LEAP, first.month, first.day)
    if start is None or end is None:
        return None
    whole_month = start.day == 1 and start.month == end.month and end.day == _month_end(end)
    key: tuple[object, ...] = ("m", start.month) if whole_month else ("p", start, end)
    days = (end - start).days + 1
    return Period(
        mention.shape, mention.text, None, None, days, whole_month, key, (_no_year(mention),)
    )


def _month_end(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _no_year(mention: PeriodMention) -> str:
    return _("'{text}': the year is not written and the publication date is unknown").format(
        text=mention.text
    )


def _no_publication_date(mention: PeriodMention) -> str:
    return _("'{text}': the publication date is unknown, so its dates are too").format(
        text=mention.text
    )


def _last_week(mention: PeriodMention, published: date | None) -> Period:
    if published is None:
        return Period(
            mention.shape,
            mention.text,
            None,
            None,
            7,
            False,
            ("w",),
            (_no_publication_date(mention),),
        )
    start = published - timedelta(days=published.weekday() + 7)
    end = start + timedelta(days=6)
    return Period(mention.shape, mention.text, start, end, 7, False, ("d", start, end))


def _last_month(mention: PeriodMention, published: date | None) -> Period:
    if published is None:
        return Period(
            mention.shape,
            mention.text,
            None,
            None,
            None,
            True,
            ("lm",),
            (_no_publication_date(mention),),
        )
    end = published.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    return Period(mention.shape, mention.text, start, end, end.day, True, ("d", start, end))


def kind_of(period: Period | None, *, weekly_words: bool, monthly_words: bool) -> ReportKind:
    """Weekly, monthly, other-period or cumulative, from a period and the item's wording.

    A week is 6 or 7 days (early bulletins ran Monday to Saturday); 5 or 8 days count as a
    week only when the item says "weekly". Without a period the wording decides.
    """
    if period is None:
        if weekly_words:
            return ReportKind.WEEKLY
        return ReportKind.MONTHLY if monthly_words else ReportKind.OTHER_PERIOD
    if period.is_cumulative:
        return ReportKind.CUMULATIVE
    if period.whole_month:
        return ReportKind.MONTHLY
    if period.days in (6, 7) or (period.days in (5, 8) and weekly_words):
        return ReportKind.WEEKLY
    return ReportKind.OTHER_PERIOD
