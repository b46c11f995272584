"""National weekly series: finds and hectares week by week, from whatever exists.

A week's figures come from records when it has any, otherwise from published summaries
whose period lies inside the week; a week with neither is reported as missing, never
filled in. Records dated only to a month or a year cannot be placed in a week and are
counted apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from demine.analysis.bulletin import SeriesPoint
from demine.analysis.summary import Counts, FigureSource, Summariser
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.periods import Period, week_of, weeks_between
from demine.domain.vocab import EOCategory
from demine.store import schema
from demine.store.live import counted


@dataclass
class WeeklySeries:
    country: str
    start: date
    end: date
    district: str | None
    points: list[SeriesPoint]
    country_name: str = ""

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
            "weeks": [point.to_json() for point in self.points],
            "missing_weeks": [period.label for period in self.missing],
            "weeks_by_source": self.source_counts(),
        }


def weekly_series(
    connection: Connection, country: str, start: date, end: date, district: str | None = None
) -> WeeklySeries:
    """Every ISO week overlapping ``start..end`` with its figures and their source."""
    summariser = Summariser(connection, country)
    district_code = summariser.district_code(district)
    district_id = summariser.refs.areas.id_of(district_code)
    weeks = weeks_between(start, end)
    by_week = _record_weeks(connection, country, weeks[0].start, weeks[-1].end, district_id)
    points = []
    for week in weeks:
        counts = by_week.get(week.start)
        if counts is not None:
            points.append(_point(week, FigureSource.RECORDS, counts))
        else:
            points.append(
                SeriesPoint.of(week, summariser.summarise(week.start, week.end, district))
            )
    name = summariser.places.areas[district_code].name if district_code else None
    country_name = (
        summariser.places.areas[country].name if country in summariser.places.areas else country
    )
    return WeeklySeries(country, start, end, name, points, country_name)


def _point(week: Period, source: FigureSource, counts: Counts) -> SeriesPoint:
    return SeriesPoint(
        week,
        source,
        counts.ap_mines,
        counts.at_mines,
        counts.uxo,
        counts.other_devices,
        round(counts.area_cleared_m2 / SQUARE_METRES_PER_HECTARE, 4),
    )


def _record_weeks(
    connection: Connection, country: str, start: date, end: date, district_id: int | None
) -> dict[date, Counts]:
    """Record totals keyed by the Monday of their week (one pass over each table)."""
    weeks: dict[date, Counts] = {}
    finds = schema.device_finds
    query = (
        select(finds.c.found_earliest, finds.c.found_latest, finds.c.category, finds.c.quantity)
        .where(finds.c.country == country, counted(finds))
        .where(finds.c.found_earliest >= start, finds.c.found_latest <= end)
    )
    if district_id is not None:
        query = query.where(finds.c.district_id == district_id)
    for earliest, latest, category, quantity in connection.execute(query):
        monday = week_of(earliest).start
        if week_of(latest).start == monday:
            weeks.setdefault(monday, Counts()).add_devices(EOCategory(category), quantity)
    acts = schema.activities
    activity_query = (
        select(
            acts.c.end_date,
            acts.c.area_cleared_m2,
            acts.c.area_reduced_m2,
            acts.c.area_cancelled_m2,
        )
        .where(acts.c.country == country, counted(acts))
        .where(acts.c.end_date.between(start, end))
    )
    if district_id is not None:
        activity_query = activity_query.where(acts.c.district_id == district_id)
    for end_date, cleared, reduced, cancelled in connection.execute(activity_query):
        counts = weeks.setdefault(week_of(end_date).start, Counts())
        counts.area_cleared_m2 += cleared
        counts.area_reduced_m2 += reduced
        counts.area_cancelled_m2 += cancelled
        counts.activities += 1
    return weeks
