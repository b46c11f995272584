"""Period summary: devices found by category and land released, by district.

Figures come from the register's records when any exist for the period; otherwise from
reported summaries (totals an authority published), and the result says which. An
activity's released land counts in the period in which the activity ended. A record
dated only to a month or a year counts in a period only if that whole month or year lies
inside it; otherwise it is reported as not attributable, never guessed into a period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, and_, func, select, text

from demine.analysis.published import choose_published
from demine.domain.entities import SQUARE_METRES_PER_HECTARE, AdminArea
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel, EOCategory
from demine.errors import InvalidRequestError
from demine.store import schema
from demine.store.live import counted
from demine.store.refs import load_area_refs
from demine.store.register import load_all
from demine.store.schema import ROUGH_DATES


class FigureSource(StrEnum):
    RECORDS = "records"
    REPORTED_SUMMARIES = "reported_summaries"
    NONE = "none"


@dataclass
class Counts:
    """Devices by category, land released by method and activities, for one area."""

    ap_mines: int = 0
    at_mines: int = 0
    uxo: int = 0
    other_devices: int = 0
    area_cleared_m2: float = 0.0
    area_reduced_m2: float = 0.0
    area_cancelled_m2: float = 0.0
    activities: int = 0
    accidents: int = 0

    def add_devices(self, category: EOCategory, quantity: int) -> None:
        if category is EOCategory.AP_MINE:
            self.ap_mines += quantity
        elif category is EOCategory.AT_MINE:
            self.at_mines += quantity
        elif category is EOCategory.UXO:
            self.uxo += quantity
        else:
            self.other_devices += quantity

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def devices(self) -> int:
        return self.ap_mines + self.at_mines + self.uxo + self.other_devices

    @property
    def is_empty(self) -> bool:
        return not (self.devices or self.area_cleared_m2 or self.area_reduced_m2)


@dataclass
class PeriodSummary:
    """What was found and released in a period, nationally and by district."""

    country: str
    period_start: date
    period_end: date
    source: FigureSource
    total: Counts
    by_district: dict[str, Counts]
    district_names: dict[str, str]
    district_filter: str | None = None
    unattributable_records: int = 0
    source_references: list[str] = field(default_factory=list)
    hazards_recorded: int = 0
    #: Districts a published national total names (when figures come from one).
    reported_districts: list[str] = field(default_factory=list)
    #: Published totals for the same period that disagree (both kept, first used).
    conflicts: list[str] = field(default_factory=list)

    @property
    def districts(self) -> list[str]:
        """Districts with anything found or released, in reporting order (codes).

        For figures from a published national total, the districts its text names.
        """
        if self.by_district:
            return list(self.by_district)
        return list(self.reported_districts)

    def to_json(self) -> dict[str, Any]:
        """The summary with the keys scripts rely on (see the README)."""
        return {
            "country": self.country,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "district_filter": self.district_names.get(self.district_filter or "", None),
            "source": self.source.value,
            **_counts_json(self.total),
            "hazards_recorded": self.hazards_recorded,
            "unattributable_records": self.unattributable_records,
            "districts": [self.district_names[c] for c in self.districts],
            "by_district": [
                {"district": self.district_names[code], "code": code, **_counts_json(counts)}
                for code, counts in self.by_district.items()
            ],
            "source_references": self.source_references,
            "conflicts": self.conflicts,
        }


def _hectares(square_metres: float) -> float:
    return round(square_metres / SQUARE_METRES_PER_HECTARE, 4)


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {
        "ap_mines": counts.ap_mines,
        "at_mines": counts.at_mines,
        "uxo": counts.uxo,
        "other_devices": counts.other_devices,
        "hectares_cleared": _hectares(counts.area_cleared_m2),
        "hectares_reduced": _hectares(counts.area_reduced_m2),
        "hectares_cancelled": _hectares(counts.area_cancelled_m2),
        "activities": counts.activities,
        "accidents": counts.accidents,
    }


class Summariser:
    """Summaries of one country's register, sharing the lookups between periods."""

    def __init__(self, connection: Connection, country: str) -> None:
        self.connection = connection
        self.country = country
        self.refs = load_area_refs(connection)
        self.places = PlaceIndex(country, load_all(connection, AdminArea, self.refs))

    def district_code(self, district: str | None) -> str | None:
        """The code of ``district`` (a name, spelling or code), or None for national."""
        if district is None:
            return None
        try:
            return self.places.resolve(district, AdminLevel.DISTRICT)
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from exc

    def summarise(self, start: date, end: date, district: str | None = None) -> PeriodSummary:
        """The summary over ``start..end`` (or of one ``district``, by name or code)."""
        if end < start:
            raise InvalidRequestError(f"the period ends ({end}) before it starts ({start})")
        connection, country = self.connection, self.country
        district_code = self.district_code(district)
        code_by_id = self.refs.areas.key_by_id
        district_id = self.refs.areas.id_of(district_code)
        names = {code: area.name for code, area in self.places.areas.items()}
        by_district = _record_counts(connection, country, start, end, district_id, code_by_id)
        unattributable = _unattributable(connection, country, start, end, district_id)
        hazards = _hazards_recorded(connection, country, start, end, district_id)
        source = FigureSource.RECORDS
        references: list[str] = []
        named: set[str] = set()
        conflicts: list[str] = []
        if not by_district:
            by_district, references, named, conflicts = _reported_counts(
                connection, country, start, end, district_id, code_by_id
            )
            source = FigureSource.REPORTED_SUMMARIES if references else FigureSource.NONE
        national = by_district.pop(_NATIONAL, None)
        ordered = {code: by_district[code] for code in self.places.in_reporting_order(by_district)}
        total = Counts()
        for counts in (*ordered.values(), *([national] if national else [])):
            total.add(counts)
        return PeriodSummary(
            country=country,
            period_start=start,
            period_end=end,
            source=source,
            total=total,
            by_district=ordered,
            district_names=names,
            district_filter=district_code,
            unattributable_records=unattributable,
            source_references=references,
            hazards_recorded=hazards,
            reported_districts=self.places.in_reporting_order(named & set(self.places.areas)),
            conflicts=conflicts,
        )


def summarise_period(
    connection: Connection,
    country: str,
    start: date,
    end: date,
    district: str | None = None,
) -> PeriodSummary:
    """The summary of ``country`` (or one ``district``, by name or code) over ``start..end``."""
    return Summariser(connection, country).summarise(start, end, district)


_NATIONAL = "__national__"


def _within(earliest: Any, latest: Any, start: date, end: date) -> Any:
    # ``earliest <= end`` follows from the others (earliest <= latest); stated, it bounds
    # the index range the database reads to the period instead of everything after it.
    return and_(earliest >= start, earliest <= end, latest <= end)


def _record_counts(
    connection: Connection,
    country: str,
    start: date,
    end: date,
    district_id: int | None,
    code_by_id: Mapping[int, str],
) -> dict[str, Counts]:
    result: dict[str, Counts] = {}

    def counts_for(area_id: int) -> Counts:
        return result.setdefault(code_by_id[area_id], Counts())

    finds = schema.device_finds
    query = (
        select(finds.c.district_id, finds.c.category, func.sum(finds.c.quantity))
        .where(finds.c.country == country, counted(finds))
        .where(_within(finds.c.found_earliest, finds.c.found_latest, start, end))
        .group_by(finds.c.district_id, finds.c.category)
    )
    if district_id is not None:
        query = query.where(finds.c.district_id == district_id)
    for area_id, category, quantity in connection.execute(query):
        counts_for(area_id).add_devices(EOCategory(category), int(quantity))

    acts = schema.activities
    area_query = (
        select(
            acts.c.district_id,
            func.sum(acts.c.area_cleared_m2),
            func.sum(acts.c.area_reduced_m2),
            func.sum(acts.c.area_cancelled_m2),
            func.count(),
        )
        .where(acts.c.country == country, counted(acts))
        .where(acts.c.end_date.between(start, end))
        .group_by(acts.c.district_id)
    )
    if district_id is not None:
        area_query = area_query.where(acts.c.district_id == district_id)
    for area_id, cleared, reduced, cancelled, number in connection.execute(area_query):
        counts = counts_for(area_id)
        counts.area_cleared_m2 += float(cleared or 0)
        counts.area_reduced_m2 += float(reduced or 0)
        counts.area_cancelled_m2 += float(cancelled or 0)
        counts.activities += int(number)

    accidents = schema.accidents
    accident_query = (
        select(accidents.c.district_id, func.count())
        .where(accidents.c.country == country, counted(accidents))
        .where(_within(accidents.c.occurred_earliest, accidents.c.occurred_latest, start, end))
        .group_by(accidents.c.district_id)
    )
    if district_id is not None:
        accident_query = accident_query.where(accidents.c.district_id == district_id)
    for area_id, number in connection.execute(accident_query):
        counts_for(area_id).accidents += int(number)
    return result


def _unattributable(
    connection: Connection, country: str, start: date, end: date, district_id: int | None
) -> int:
    """Records dated only roughly whose date range overlaps the period but is not inside it."""
    total = 0
    for table, earliest, latest in (
        (schema.device_finds, "found_earliest", "found_latest"),
        (schema.accidents, "occurred_earliest", "occurred_latest"),
    ):
        overlaps = and_(table.c[earliest] <= end, table.c[latest] >= start)
        inside = _within(table.c[earliest], table.c[latest], start, end)
        query = (
            select(func.count())
            .where(table.c.country == country, counted(table))
            # A day-dated record is inside the period or outside it (and this condition,
            # written as the partial index's, lets the database use that index).
            .where(text(ROUGH_DATES))
            .where(overlaps)
            .where(~inside)
        )
        if district_id is not None:
            query = query.where(table.c.district_id == district_id)
        total += int(connection.execute(query).scalar_one())
    return total


def _hazards_recorded(
    connection: Connection, country: str, start: date, end: date, district_id: int | None
) -> int:
    hazards = schema.hazard_areas
    query = (
        select(func.count())
        .where(hazards.c.country == country, counted(hazards))
        .where(hazards.c.recorded_on.between(start, end))
    )
    if district_id is not None:
        query = query.where(hazards.c.district_id == district_id)
    return int(connection.execute(query).scalar_one())


def _reported_counts(
    connection: Connection,
    country: str,
    start: date,
    end: date,
    district_id: int | None,
    code_by_id: Mapping[int, str],
) -> tuple[dict[str, Counts], list[str], set[str], list[str]]:
    """Published totals whose period lies inside the requested one.

    Without a district filter, national totals are used when any exist (district
    figures would double-count them); otherwise district totals.
    """
    table = schema.reported_summaries
    query = (
        select(table)
        .where(table.c.country == country)
        .where(_within(table.c.period_start, table.c.period_end, start, end))
        .order_by(table.c.id)
    )
    rows: list[Mapping[str, Any]] = [dict(r._mapping) for r in connection.execute(query)]
    if district_id is not None:
        rows = [r for r in rows if r["district_id"] == district_id]
    elif any(r["district_id"] is None for r in rows):
        rows = [r for r in rows if r["district_id"] is None]
    choice = choose_published(rows)
    result: dict[str, Counts] = {}
    references = []
    named: set[str] = set()
    for row in choice.used:
        if row["districts"]:
            named.update(row["districts"].split(";"))
        key = _NATIONAL if row["district_id"] is None else code_by_id[row["district_id"]]
        counts = result.setdefault(key, Counts())
        counts.ap_mines += row["ap_mines"] or 0
        counts.at_mines += row["at_mines"] or 0
        counts.uxo += row["uxo"] or 0
        counts.other_devices += row["other_devices"] or 0
        counts.area_cleared_m2 += row["area_cleared_m2"] or 0.0
        references.append(row["source_reference"] or row["external_id"])
    return result, references, named, choice.conflicts
