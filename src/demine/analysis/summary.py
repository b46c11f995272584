"""Period summary: devices found by category and land released, by district.

Figures come from the register's records when any exist for the period; otherwise from
reported summaries (totals an authority published), and the result says which. An
activity's released land counts in the period in which the activity ended. A record
dated only to a month or a year counts in a period only if that whole month or year lies
inside it; otherwise it is reported as not attributable, never guessed into a period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from demine.analysis.published import choose_published
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel, EOCategory
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads import figures as reads
from demine.store.reads.areas import country_areas


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
    #: Area names by code: canonical as a mapping (JSON keeps them), per language
    #: through :func:`demine.domain.places.shown_names` (texts people read).
    district_names: Mapping[str, str]
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


@dataclass
class RecordFigures:
    """What a period's records give: counts by district code, records dated too roughly
    to place in it, hazardous areas recorded."""

    by_district: dict[str, Counts] = field(default_factory=dict)
    unattributable: int = 0
    hazards: int = 0

    def counts_for(self, code: str) -> Counts:
        return self.by_district.setdefault(code, Counts())

    def add_activities(self, code: str, totals: reads.ActivityTotals) -> None:
        counts = self.counts_for(code)
        counts.area_cleared_m2 += totals.cleared_m2
        counts.area_reduced_m2 += totals.reduced_m2
        counts.area_cancelled_m2 += totals.cancelled_m2
        counts.activities += totals.activities


#: Published totals, in the order stored, of which those inside a period are used.
PublishedRows = Callable[[], Sequence[Mapping[str, Any]]]


class Summariser:
    """Summaries of one country's register, sharing the lookups between periods."""

    def __init__(self, reader: RegisterReader, *, with_shapes: bool = True) -> None:
        """``with_shapes``: read the areas' shapes too (maps and extents need them)."""
        if reader.country is None:
            raise ValueError("a Summariser reads one country: give the reader a country")
        self.reader = reader
        self.country: str = reader.country
        self.refs, areas = country_areas(reader, with_geometry=with_shapes)
        self.places = PlaceIndex(self.country, areas)

    def district_code(self, district: str | None) -> str | None:
        """The code of ``district`` (a name, spelling or code), or None for national."""
        if district is None:
            return None
        try:
            return self.places.resolve(district, AdminLevel.DISTRICT)
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from exc

    def district_id(self, district_code: str | None) -> int | None:
        return self.refs.areas.id_of(district_code)

    def summarise(self, start: date, end: date, district: str | None = None) -> PeriodSummary:
        """The summary over ``start..end`` (or of one ``district``, by name or code)."""
        check_period(start, end)
        reader = self.reader
        district_code = self.district_code(district)
        district_id = self.district_id(district_code)
        code_of = self.refs.areas.key_by_id
        records = RecordFigures()
        for area_id, category, quantity in reads.find_totals(reader, start, end, district_id):
            records.counts_for(code_of[area_id]).add_devices(EOCategory(category), quantity)
        for area_id, totals in reads.activity_totals(reader, start, end, district_id):
            records.add_activities(code_of[area_id], totals)
        for area_id, number in reads.accident_totals(reader, start, end, district_id):
            records.counts_for(code_of[area_id]).accidents += number
        records.unattributable = reads.unattributable_count(reader, start, end, district_id)
        records.hazards = reads.hazards_recorded(reader, start, end, district_id)
        return self.summary_of(
            start,
            end,
            district_code,
            records,
            lambda: reads.published_within(reader, start, end),
        )

    def summary_of(
        self,
        start: date,
        end: date,
        district_code: str | None,
        records: RecordFigures,
        published: PublishedRows,
    ) -> PeriodSummary:
        """The summary of a period from its records, else from the published totals
        inside it (``published`` is read only when the period has no records)."""
        by_district = records.by_district
        source = FigureSource.RECORDS
        references: list[str] = []
        named: set[str] = set()
        conflicts: list[str] = []
        if not by_district:
            by_district, references, named, conflicts = _reported_counts(
                published(), self.district_id(district_code), self.refs.areas.key_by_id
            )
            source = FigureSource.REPORTED_SUMMARIES if references else FigureSource.NONE
        national = by_district.pop(_NATIONAL, None)
        ordered = {code: by_district[code] for code in self.places.in_reporting_order(by_district)}
        total = Counts()
        for counts in (*ordered.values(), *([national] if national else [])):
            total.add(counts)
        return PeriodSummary(
            country=self.country,
            period_start=start,
            period_end=end,
            source=source,
            total=total,
            by_district=ordered,
            district_names=self.places.names(),
            district_filter=district_code,
            unattributable_records=records.unattributable,
            source_references=references,
            hazards_recorded=records.hazards,
            reported_districts=self.places.in_reporting_order(named & set(self.places.areas)),
            conflicts=conflicts,
        )


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidRequestError(
            _("the period ends ({end}) before it starts ({start})").format(end=end, start=start)
        )


def summarise_period(
    reader: RegisterReader, start: date, end: date, district: str | None = None
) -> PeriodSummary:
    """The summary of the reader's country (or one ``district``, by name or code) over
    ``start..end``."""
    # A summary names areas and never draws them: their shapes are not read.
    return Summariser(reader, with_shapes=False).summarise(start, end, district)


_NATIONAL = "__national__"


def _reported_counts(
    rows: Sequence[Mapping[str, Any]],
    district_id: int | None,
    code_by_id: Mapping[int, str],
) -> tuple[dict[str, Counts], list[str], set[str], list[str]]:
    """Published totals of the period (``rows``: those inside it, in the order stored).

    Without a district filter, national totals are used when any exist (district
    figures would double-count them); otherwise district totals.
    """
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
