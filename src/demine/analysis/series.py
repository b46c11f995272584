"""National weekly series: finds and hectares week by week, from whatever exists.

A week's figures come from records when it has any, otherwise from published summaries
whose period lies inside the week; a week with neither is reported as missing, never
filled in. A week whose published figures include a news item read by the reader and
approved by a reviewer is marked "read and reviewed". Records dated only to a month or
a year cannot be placed in a week and are counted apart. Every week is sliced from one
read of the span (see :mod:`demine.analysis.span_figures`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from demine.analysis.bulletin import SeriesPoint
from demine.analysis.span_figures import SpanFigures
from demine.analysis.summary import FigureSource, Summariser
from demine.domain.periods import Period, weeks_between
from demine.store.news_items import reviewed_summary_ids
from demine.store.reader import RegisterReader


@dataclass
class WeeklySeries:
    country: str
    start: date
    end: date
    district: str | None
    points: list[SeriesPoint]
    country_name: str = ""
    #: The area shown (district, else country), in the reader's language (not in JSON).
    shown_name: str = ""
    #: Labels of the weeks whose published figures include a read and reviewed news item.
    read_and_reviewed: frozenset[str] = field(default_factory=frozenset)

    def is_read_and_reviewed(self, point: SeriesPoint) -> bool:
        return point.period.label in self.read_and_reviewed

    @property
    def missing(self) -> list[Period]:
        return [p.period for p in self.points if p.source is FigureSource.NONE]

    def source_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for point in self.points:
            counts[point.source.value] += 1
        return dict(counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "country_name": self.country_name,
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "district": self.district,
            "weeks": [
                {**point.to_json(), "read_and_reviewed": self.is_read_and_reviewed(point)}
                for point in self.points
            ],
            "missing_weeks": [period.label for period in self.missing],
            "read_and_reviewed_weeks": [
                point.period.label for point in self.points if self.is_read_and_reviewed(point)
            ],
            "weeks_by_source": self.source_counts(),
        }


def weekly_series(
    reader: RegisterReader, start: date, end: date, district: str | None = None
) -> WeeklySeries:
    """Every ISO week overlapping ``start..end`` with its figures and their source."""
    summariser = Summariser(reader)
    weeks = weeks_between(start, end)
    span = SpanFigures(summariser, weeks[0].start, weeks[-1].end, district)
    points = [SeriesPoint.of_totals(week, *span.totals(week.start, week.end)) for week in weeks]
    district_code = span.district_code
    country = summariser.country
    names = summariser.places.names()
    name = names[district_code] if district_code else None
    country_name = names.get(country, country)
    shown = names.shown(district_code or country)
    reviewed = reviewed_summary_ids(reader.connection, country)
    read_and_reviewed = frozenset(
        point.period.label
        for point in points
        if point.source is FigureSource.REPORTED_SUMMARIES
        and any(
            row["external_id"] in reviewed
            and point.period.start <= row["period_start"]
            and row["period_end"] <= point.period.end
            for row in span.published
        )
    )
    return WeeklySeries(country, start, end, name, points, country_name, shown, read_and_reviewed)
