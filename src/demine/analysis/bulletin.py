"""Everything an operations bulletin shows: the period, the one before, the trend, the
cumulative series since operations began, the map's features and the provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, func, select

from demine.analysis.casualties import casualty_statistics, has_casualty_data
from demine.analysis.summary import Counts, FigureSource, PeriodSummary, Summariser
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.periods import Period, PeriodKind, month
from demine.domain.vocab import AdminLevel
from demine.store import schema
from demine.store.reader import RegisterReader

TREND_PERIODS = 12


@dataclass(frozen=True)
class SeriesPoint:
    """One period's national totals and where they come from."""

    period: Period
    source: FigureSource
    ap_mines: int
    at_mines: int
    uxo: int
    other_devices: int
    hectares_cleared: float

    @classmethod
    def of(cls, period: Period, summary: PeriodSummary) -> SeriesPoint:
        total = summary.total
        return cls(
            period,
            summary.source,
            total.ap_mines,
            total.at_mines,
            total.uxo,
            total.other_devices,
            round(total.area_cleared_m2 / SQUARE_METRES_PER_HECTARE, 4),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "source": self.source.value,
            "ap_mines": self.ap_mines,
            "at_mines": self.at_mines,
            "uxo": self.uxo,
            "other_devices": self.other_devices,
            "hectares_cleared": self.hectares_cleared,
        }


@dataclass
class MapFeatures:
    """What the bulletin's map draws: districts, the period's finds and released land."""

    districts: list[tuple[str, BaseGeometry]] = field(default_factory=list)
    finds: list[tuple[str, BaseGeometry, int]] = field(default_factory=list)
    released: list[tuple[str, BaseGeometry]] = field(default_factory=list)
    approximate_districts: bool = False


@dataclass
class Provenance:
    """Which stored records and published summaries the figures come from."""

    find_records: int
    activity_records: int
    imports: list[dict[str, Any]]
    published: list[str]
    generated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "find_records": self.find_records,
            "activity_records": self.activity_records,
            "imports": self.imports,
            "published_summaries": self.published,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
        }


@dataclass
class BulletinFigures:
    period: Period
    summary: PeriodSummary
    previous: PeriodSummary
    trend: list[SeriesPoint]
    cumulative: list[SeriesPoint]
    map: MapFeatures
    provenance: Provenance
    #: Casualty statistics as of the period's end (national bulletins with casualty data).
    casualties: dict[str, Any] | None = None

    @property
    def country_name(self) -> str:
        return self.summary.district_names.get(self.summary.country, self.summary.country)

    def to_json(self) -> dict[str, Any]:
        """The summary's keys, plus ``previous_period``, ``trend`` and the rest."""
        return {
            **self.summary.to_json(),
            "period_kind": self.period.kind.value,
            "period_label": self.period.label,
            "previous_period": self.previous.to_json(),
            "trend": [point.to_json() for point in self.trend],
            "cumulative": [point.to_json() for point in self.cumulative],
            "provenance": self.provenance.to_json(),
            "casualties": self.casualties,
        }


def bulletin_figures(
    connection: Connection,
    country: str,
    period: Period,
    district: str | None = None,
    now: datetime | None = None,
) -> BulletinFigures:
    """Compute everything a bulletin for ``period`` shows."""
    summariser = Summariser(connection, country)
    summary = summariser.summarise(period.start, period.end, district)
    previous_period = period.previous()
    previous = summariser.summarise(previous_period.start, previous_period.end, district)
    trend = [
        SeriesPoint.of(p, summariser.summarise(p.start, p.end, district))
        for p in period.preceding(TREND_PERIODS)
    ]
    district_id = summariser.refs.areas.id_of(summary.district_filter)
    return BulletinFigures(
        period=period,
        summary=summary,
        previous=previous,
        trend=trend,
        cumulative=_cumulative(summariser, period, district),
        map=_map_features(connection, summariser, period, district_id),
        provenance=_provenance(connection, country, period, district_id, summary, now),
        casualties=_casualties(connection, country, period, district),
    )


def _casualties(
    connection: Connection, country: str, period: Period, district: str | None
) -> dict[str, Any] | None:
    """Victims as of the period's end, since the country's reference date (national
    bulletins only: published baselines are national)."""
    reader = RegisterReader(connection, country)
    if district is not None or not has_casualty_data(reader):
        return None
    # Counted from the country's reference date (the default), as the authority does.
    return casualty_statistics(reader, period.end).to_json()


def _first_day(connection: Connection, country: str) -> date | None:
    days = [
        connection.execute(select(func.min(column)).where(table.c.country == country)).scalar()
        for table, column in (
            (schema.device_finds, schema.device_finds.c.found_earliest),
            (schema.activities, schema.activities.c.end_date),
            (schema.reported_summaries, schema.reported_summaries.c.period_start),
        )
    ]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _cumulative(summariser: Summariser, period: Period, district: str | None) -> list[SeriesPoint]:
    """Running totals by month, from the first month with any data to the period's end."""
    first = _first_day(summariser.connection, summariser.country)
    if first is None or first > period.end:
        return []
    points: list[SeriesPoint] = []
    totals = Counts()
    current = month(first.year, first.month)
    while current.start <= period.end:
        span = Period(current.start, min(current.end, period.end), PeriodKind.MONTH)
        summary = summariser.summarise(span.start, span.end, district)
        totals.add(summary.total)
        points.append(
            SeriesPoint(
                current,
                summary.source,
                totals.ap_mines,
                totals.at_mines,
                totals.uxo,
                totals.other_devices,
                round(totals.area_cleared_m2 / SQUARE_METRES_PER_HECTARE, 4),
            )
        )
        current = _next_month(current)
    return points


def _next_month(current: Period) -> Period:
    following = date.fromordinal(current.end.toordinal() + 1)
    return month(following.year, following.month)


def _map_features(
    connection: Connection, summariser: Summariser, period: Period, district_id: int | None
) -> MapFeatures:
    features = MapFeatures()
    for area in summariser.places.areas.values():
        if area.level is AdminLevel.DISTRICT and area.geometry is not None:
            features.districts.append((area.name, area.geometry))
            features.approximate_districts |= area.geometry_approximate
    finds = schema.device_finds
    query = (
        select(finds.c.category, finds.c.geometry, finds.c.quantity)
        .where(finds.c.country == summariser.country)
        .where(finds.c.found_earliest >= period.start, finds.c.found_latest <= period.end)
        .where(finds.c.geometry.is_not(None))
    )
    if district_id is not None:
        query = query.where(finds.c.district_id == district_id)
    features.finds = [(c, g, q) for c, g, q in connection.execute(query)]
    acts = schema.activities
    released = (
        select(acts.c.kind, acts.c.geometry)
        .where(acts.c.country == summariser.country)
        .where(acts.c.end_date.between(period.start, period.end))
        .where(acts.c.geometry.is_not(None))
    )
    if district_id is not None:
        released = released.where(acts.c.district_id == district_id)
    features.released = [(k, g) for k, g in connection.execute(released)]
    return features


def _provenance(
    connection: Connection,
    country: str,
    period: Period,
    district_id: int | None,
    summary: PeriodSummary,
    now: datetime | None,
) -> Provenance:
    finds, acts, batches = schema.device_finds, schema.activities, schema.import_batches
    find_filter = [
        finds.c.country == country,
        finds.c.found_earliest >= period.start,
        finds.c.found_latest <= period.end,
    ]
    act_filter = [acts.c.country == country, acts.c.end_date.between(period.start, period.end)]
    if district_id is not None:
        find_filter.append(finds.c.district_id == district_id)
        act_filter.append(acts.c.district_id == district_id)
    find_count = connection.execute(select(func.count()).where(*find_filter)).scalar_one()
    act_count = connection.execute(select(func.count()).where(*act_filter)).scalar_one()
    batch_ids = {
        *connection.execute(
            select(finds.c.import_batch_id).where(*find_filter).distinct()
        ).scalars(),
        *connection.execute(select(acts.c.import_batch_id).where(*act_filter).distinct()).scalars(),
    }
    imports = [
        {
            "file": row.file_name,
            "kind": row.kind,
            "sha256": row.file_sha256,
            "imported_at": row.imported_at.isoformat(timespec="seconds"),
        }
        for row in connection.execute(
            select(batches).where(batches.c.id.in_([b for b in batch_ids if b is not None]))
        )
    ]
    return Provenance(
        find_records=int(find_count),
        activity_records=int(act_count),
        imports=imports,
        published=list(summary.source_references),
        generated_at=now or datetime.now(UTC),
    )
