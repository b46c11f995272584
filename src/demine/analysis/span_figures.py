"""The register's figures over a span, read once and summarised for any period inside it.

A bulletin shows its period, the one before, a trend of twelve periods and a monthly
cumulative series: some sixty periods. Rather than a summary (and its queries) per
period, the records of the whole span are read grouped by day — finds by their dates ×
category, activities by end day, accidents by their dates, and the published totals —
and each period is sliced from them in Python by the rules of
:meth:`Summariser.summarise`, which gives the same figures. Only the periods whose
districts are shown (from ``detail_from`` on: the bulletin's period and the one before)
are read by district as well, with the hazardous areas recorded and the records dated
too roughly to place: one grouped query per table for each of the two parts, however
many periods are sliced.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, Generic, Protocol, TypeVar

from demine.analysis.summary import (
    Counts,
    FigureSource,
    PeriodSummary,
    RecordFigures,
    Summariser,
    check_period,
)
from demine.domain.vocab import EOCategory
from demine.store.reads import daily_figures as daily
from demine.store.reads import figures as reads


class _Dated(Protocol):
    @property
    def earliest(self) -> date: ...

    @property
    def latest(self) -> date: ...


T = TypeVar("T")
D = TypeVar("D", bound=_Dated)


class _ByDay(Generic[T]):
    """Items sorted by a day, for the items of any range of days."""

    def __init__(self, items: Sequence[T], day_of: Callable[[T], date]) -> None:
        self.items = sorted(items, key=day_of)
        self.days: list[date] = [day_of(item) for item in self.items]

    def between(self, start: date, end: date) -> Sequence[T]:
        return self.items[bisect_left(self.days, start) : bisect_right(self.days, end)]


def _whole_months(start: date, end: date) -> bool:
    following = end + timedelta(days=1)
    return start.day == 1 and following.day == 1


def _earliest(dated: _Dated) -> date:
    return dated.earliest


def _inside(items: _ByDay[D], start: date, end: date) -> list[D]:
    """The items whose whole date range lies inside ``start..end``."""
    return [item for item in items.between(start, end) if item.latest <= end]


class SpanFigures:
    """The records of ``start..end`` (of one district, or national), grouped by day.

    Any period inside the span has its national totals (:meth:`totals`); a period from
    ``detail_from`` on has its whole summary, by district (:meth:`summarise`).
    """

    def __init__(
        self,
        summariser: Summariser,
        start: date,
        end: date,
        district: str | None = None,
        detail_from: date | None = None,
        monthly_until: date | None = None,
    ) -> None:
        """``monthly_until``: before this day, only whole months are asked for, so the
        national figures there are read by month (a tenth of the rows)."""
        check_period(start, end)
        self.summariser = summariser
        self.start, self.end = start, end
        self.detail_from = end + timedelta(days=1) if detail_from is None else detail_from
        self.district_code = summariser.district_code(district)
        reader, district_id = summariser.reader, summariser.district_id(self.district_code)
        national_end = self.detail_from - timedelta(days=1)
        self.monthly_until = min(monthly_until or start, self.detail_from)
        daily_from = max(start, self.monthly_until)
        finds: list[daily.DatedFinds] = []
        activities: list[daily.DayActivities] = []
        accidents: list[daily.DatedRecords] = []
        for first, last, by_district, by_month in (
            (start, daily_from - timedelta(days=1), False, True),
            (daily_from, national_end, False, False),
            (self.detail_from, end, True, False),
        ):
            if first > last:
                continue
            finds.extend(
                daily.finds_by_day(reader, first, last, until=end, district_id=district_id,
                                   by_district=by_district, by_month=by_month)
            )  # fmt: skip
            activities.extend(
                daily.activities_by_day(reader, first, last, district_id=district_id,
                                        by_district=by_district, by_month=by_month)
            )  # fmt: skip
            accidents.extend(
                daily.accidents_by_day(reader, first, last, until=end, district_id=district_id,
                                       by_district=by_district, by_month=by_month)
            )  # fmt: skip
        self.finds = _ByDay(finds, _earliest)
        self.activities = _ByDay(activities, lambda day: day.end_date)
        self.accidents = _ByDay(accidents, _earliest)
        self.published = reads.published_within(reader, start, end)
        detailed = self.detail_from <= end
        self.hazards = _ByDay(
            daily.hazards_by_day(reader, self.detail_from, end, district_id) if detailed else [],
            lambda h: h[0],
        )
        self.rough = (
            daily.roughly_dated(reader, self.detail_from, end, district_id) if detailed else []
        )

    def _code(self, area_id: int | None) -> str:
        # From ``detail_from`` on, every row was read by district.
        if area_id is None:
            raise ValueError("a row read without its district")
        return self.summariser.refs.areas.key_by_id[area_id]

    def _check(self, start: date, end: date, first: date) -> None:
        check_period(start, end)
        if start < first or end > self.end:
            raise ValueError(f"{start}..{end} is not inside {first}..{self.end}")

    def _published(self, start: date, end: date) -> list[dict[str, Any]]:
        return [
            row
            for row in self.published
            if start <= row["period_start"] <= end and row["period_end"] <= end
        ]

    def summarise(self, start: date, end: date) -> PeriodSummary:
        """The summary over ``start..end`` (from ``detail_from`` on), as
        :meth:`Summariser.summarise` gives it."""
        self._check(start, end, self.detail_from)
        records = RecordFigures()
        for find in _inside(self.finds, start, end):
            records.counts_for(self._code(find.district_id)).add_devices(
                EOCategory(find.category), find.quantity
            )
        for day in self.activities.between(start, end):
            records.add_activities(self._code(day.district_id), day.totals)
        for accident in _inside(self.accidents, start, end):
            records.counts_for(self._code(accident.district_id)).accidents += accident.records
        records.unattributable = sum(
            group.records
            for group in self.rough
            if group.earliest <= end
            and group.latest >= start
            and not (start <= group.earliest and group.latest <= end)
        )
        records.hazards = sum(number for _, number in self.hazards.between(start, end))
        published = self._published(start, end)
        return self.summariser.summary_of(
            start, end, self.district_code, records, lambda: published
        )

    def totals(self, start: date, end: date) -> tuple[FigureSource, Counts]:
        """The national (or the district's) totals over ``start..end`` and their source,
        as the total of :meth:`Summariser.summarise`."""
        self._check(start, end, self.start)
        if start < self.monthly_until and not _whole_months(start, end):
            raise ValueError(
                f"{start}..{end} is not whole months, as read before {self.monthly_until}"
            )
        counts = Counts()
        found = False
        for find in _inside(self.finds, start, end):
            counts.add_devices(EOCategory(find.category), find.quantity)
            found = True
        for day in self.activities.between(start, end):
            counts.area_cleared_m2 += day.totals.cleared_m2
            counts.area_reduced_m2 += day.totals.reduced_m2
            counts.area_cancelled_m2 += day.totals.cancelled_m2
            counts.activities += day.totals.activities
            found = True
        for accident in _inside(self.accidents, start, end):
            counts.accidents += accident.records
            found = True
        if found:
            return FigureSource.RECORDS, counts
        published = self._published(start, end)
        summary = self.summariser.summary_of(
            start, end, self.district_code, RecordFigures(), lambda: published
        )
        return summary.source, summary.total
