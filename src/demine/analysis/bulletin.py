"""Everything an operations bulletin shows: the period, the one before, the trend, the
cumulative series since operations began, the map's features and the provenance.

The figures of every period shown are sliced from one read of the span they cover
(:class:`~demine.analysis.span_figures.SpanFigures`), and only live records count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from demine.analysis.casualties import casualty_statistics, has_casualty_data
from demine.analysis.eore import Reach, reach
from demine.analysis.span_figures import SpanFigures
from demine.analysis.summary import Counts, FigureSource, PeriodSummary, Summariser
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.periods import Period, PeriodKind, month
from demine.domain.places import shown_names
from demine.domain.vocab import AdminLevel
from demine.i18n import current_locale
from demine.store.reader import RegisterReader
from demine.store.reads import daily_figures as daily
from demine.store.reads import period_records

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

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
        return cls.of_totals(period, summary.source, summary.total)

    @classmethod
    def of_totals(cls, period: Period, source: FigureSource, total: Counts) -> SeriesPoint:
        return cls(
            period,
            source,
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
    #: The register was read as known at the end of this day (None: as it stands).
    as_known_on: date | None = None
    #: Risk education sessions held in the period and whom they reached, and the one before.
    risk_education: Reach = field(default_factory=Reach)
    previous_risk_education: Reach = field(default_factory=Reach)

    @property
    def country_name(self) -> str:
        """The country as the reader's language names it (for people, not JSON)."""
        return shown_names(self.summary.district_names).get(
            self.summary.country, self.summary.country
        )

    def to_json(self) -> dict[str, Any]:
        """The summary's keys, plus ``previous_period``, ``trend`` and the rest
        (``as_known_on`` when the register was read as known on a past day)."""
        known = {"as_known_on": self.as_known_on.isoformat()} if self.as_known_on else {}
        return {
            **known,
            **self.summary.to_json(),
            "period_kind": self.period.kind.value,
            "period_label": self.period.label,
            "previous_period": {
                **self.previous.to_json(),
                "risk_education": self.previous_risk_education.to_json(),
            },
            "trend": [point.to_json() for point in self.trend],
            "cumulative": [point.to_json() for point in self.cumulative],
            "provenance": self.provenance.to_json(),
            "casualties": self.casualties,
            "risk_education": self.risk_education.to_json(),
        }


def bulletin_figures(
    reader: RegisterReader,
    period: Period,
    district: str | None = None,
    now: datetime | None = None,
    *,
    with_map: bool = True,
) -> BulletinFigures:
    """Compute everything a bulletin for ``period`` shows (the map's features only
    ``with_map``: text and JSON bulletins draw no map)."""
    summariser = Summariser(reader, with_shapes=with_map)
    previous_period = period.previous()
    trend_periods = period.preceding(TREND_PERIODS)
    months = _cumulative_months(daily.first_day(reader), period)
    shown = [period, previous_period, *trend_periods, *months]
    trend_start = min(p.start for p in (period, previous_period, *trend_periods))
    span = SpanFigures(
        summariser,
        min(p.start for p in shown),
        max(p.end for p in shown),
        district,
        # By district only where the bulletin shows districts: this period and the last.
        detail_from=min(period.start, previous_period.start),
        # Before the trend's first month, only the cumulative series' whole months.
        monthly_until=month(trend_start.year, trend_start.month).start,
    )
    summary = span.summarise(period.start, period.end)
    district_id = summariser.district_id(summary.district_filter)
    return BulletinFigures(
        period=period,
        summary=summary,
        previous=span.summarise(previous_period.start, previous_period.end),
        trend=[SeriesPoint.of_totals(p, *span.totals(p.start, p.end)) for p in trend_periods],
        cumulative=_cumulative(span, months),
        map=_map_features(reader, summariser, period, district_id) if with_map else MapFeatures(),
        provenance=_provenance(reader, period, district_id, summary, now),
        casualties=_casualties(reader, period, district),
        as_known_on=reader.as_known_on,
        risk_education=reach(reader, period.start, period.end, district_id),
        previous_risk_education=reach(
            reader, previous_period.start, previous_period.end, district_id
        ),
    )


def _casualties(
    reader: RegisterReader, period: Period, district: str | None
) -> dict[str, Any] | None:
    """Victims as of the period's end, since the country's reference date (national
    bulletins only: published baselines are national)."""
    if district is not None or reader.country is None or not has_casualty_data(reader):
        return None
    # Counted from the country's reference date (the default), as the authority does.
    return casualty_statistics(reader, period.end, with_shapes=False, with_facts=False).to_json()


def _cumulative_months(first: date | None, period: Period) -> list[Period]:
    """The months from the first with any data to the period's end (the last cut there)."""
    if first is None or first > period.end:
        return []
    months: list[Period] = []
    current = month(first.year, first.month)
    while current.start <= period.end:
        months.append(Period(current.start, min(current.end, period.end), PeriodKind.MONTH))
        current = _next_month(current)
    return months


def _cumulative(span: SpanFigures, months: list[Period]) -> list[SeriesPoint]:
    """Running totals by month, from the first month with any data to the period's end."""
    points: list[SeriesPoint] = []
    totals = Counts()
    for part in months:
        source, counts = span.totals(part.start, part.end)
        totals.add(counts)
        points.append(
            SeriesPoint(
                month(part.start.year, part.start.month),
                source,
                totals.ap_mines,
                totals.at_mines,
                totals.uxo,
                totals.other_devices,
                round(totals.area_cleared_m2 / SQUARE_METRES_PER_HECTARE, 4),
            )
        )
    return points


def _next_month(current: Period) -> Period:
    following = date.fromordinal(current.end.toordinal() + 1)
    return month(following.year, following.month)


def _map_features(
    reader: RegisterReader, summariser: Summariser, period: Period, district_id: int | None
) -> MapFeatures:
    features = MapFeatures()
    for area in summariser.places.areas.values():
        if area.level is AdminLevel.DISTRICT and area.geometry is not None:
            features.districts.append((area.name_in(current_locale()), area.geometry))
            features.approximate_districts |= area.geometry_approximate
    features.finds = period_records.found_points(reader, period.start, period.end, district_id)
    features.released = period_records.released_areas(reader, period.start, period.end, district_id)
    return features


def _provenance(
    reader: RegisterReader,
    period: Period,
    district_id: int | None,
    summary: PeriodSummary,
    now: datetime | None,
) -> Provenance:
    records = period_records.period_records(reader, period.start, period.end, district_id)
    imports = [
        {
            "file": batch.file_name,
            "kind": batch.kind,
            "sha256": batch.sha256,
            "imported_at": batch.imported_at.isoformat(timespec="seconds"),
        }
        for batch in records.imports
    ]
    return Provenance(
        find_records=records.finds,
        activity_records=records.activities,
        imports=imports,
        published=list(summary.source_references),
        generated_at=now or datetime.now(UTC),
    )
