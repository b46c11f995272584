"""Reading what casualty statistics need from the register, through a reader.

The queries are in :mod:`demine.store.reads.casualties`; this module turns their rows
into the plain facts the counting uses. Victim identifiers are never read: statistics
need none. Accident coordinates are read only to decide whether an accident lay inside
a known hazard area when the record does not say (:mod:`.known_hazards`), and go no
further than that test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from demine.analysis.casualties.count import AccidentFacts, VictimFacts, age_group
from demine.domain.dates import EventDate
from demine.domain.entities import CasualtyBaseline
from demine.domain.places import PlaceIndex
from demine.domain.rules import POLYGONAL
from demine.domain.vocab import AdminLevel, DatePrecision, EOCategory, Outcome, Sex, VictimCategory
from demine.errors import InvalidRequestError
from demine.store.reader import RegisterReader
from demine.store.reads import casualties as reads
from demine.store.reads.areas import country_areas

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


# Stored values to their members, looked up once per row (thousands of rows).
_PRECISIONS = {member.value: member for member in DatePrecision}
_CATEGORIES = {member.value: member for member in EOCategory}
_SEXES = {member.value: member for member in Sex}
_VICTIM_CATEGORIES = {member.value: member for member in VictimCategory}
_OUTCOMES = {member.value: member for member in Outcome}


@dataclass
class CasualtyRecords:
    """One country's accidents and victims (optionally of one district), and its baselines."""

    country: str
    country_name: str
    #: District codes to names, in reporting order (all districts, filtered or not):
    #: canonical as a mapping, per language through ``shown_names``.
    district_names: Mapping[str, str]
    district_shapes: dict[str, BaseGeometry] = field(default_factory=dict)
    approximate_districts: bool = False
    district_filter: str | None = None
    accidents: list[AccidentFacts] = field(default_factory=list)
    victims: list[VictimFacts] = field(default_factory=list)
    baselines: list[CasualtyBaseline] = field(default_factory=list)
    #: Every area's names (the country's too), for texts in the reader's language.
    area_names: Mapping[str, str] = field(default_factory=dict)
    #: Area codes by row id, and the filtered district's row id (the database's keys).
    area_codes: Mapping[int, str] = field(default_factory=dict)
    district_id: int | None = None


def has_casualty_data(reader: RegisterReader) -> bool:
    """True when the reader's country has any live accident or a casualty baseline."""
    return reads.has_casualty_data(reader)


def country_of(reader: RegisterReader) -> str:
    """The one country a casualty report is of (a reader of every country is refused)."""
    if reader.country is None:
        raise ValueError("casualty statistics are of one country: give the reader one")
    return reader.country


def load_casualty_records(
    reader: RegisterReader,
    district: str | None = None,
    *,
    with_shapes: bool = True,
    with_facts: bool = True,
) -> CasualtyRecords:
    """Everything the statistics of the reader's country (or one ``district``) are
    computed from: live accidents and victims only (and the district shapes, for maps,
    ``with_shapes``; without ``with_facts``, no accident or victim: the database counts
    them, :mod:`.counted`)."""
    country = country_of(reader)
    refs, areas = country_areas(reader, with_geometry=with_shapes)
    places = PlaceIndex(country, areas)
    district_code = _district_code(places, district)
    districts = places.in_reporting_order(
        code for code, area in places.areas.items() if area.level is AdminLevel.DISTRICT
    )
    country_area = places.areas.get(country)
    records = CasualtyRecords(
        country=country,
        country_name=country_area.name if country_area else country,
        district_names=places.names(districts),
        district_filter=district_code,
        area_names=places.names(),
        area_codes=refs.areas.key_by_id,
        district_id=refs.areas.id_of(district_code),
    )
    for code in districts:
        area = places.areas[code]
        if area.geometry is not None and area.geometry.geom_type in POLYGONAL:
            records.district_shapes[code] = area.geometry
            records.approximate_districts |= area.geometry_approximate
    records.baselines = reads.casualty_baselines(reader, refs)
    if with_facts:
        accidents = read_accidents(reader, records.district_id, records.area_codes)
        records.accidents = list(accidents.values())
        records.victims = _victims(reader, records.district_id, accidents, records.area_codes)
    return records


def _district_code(places: PlaceIndex, district: str | None) -> str | None:
    if district is None:
        return None
    try:
        return places.resolve(district, AdminLevel.DISTRICT)
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from exc


class _EventDates:
    """Event dates made once per distinct value: thousands of records share a few
    thousand dates, and statistics look each up (:func:`.count.placer`)."""

    def __init__(self) -> None:
        self._made: dict[tuple[date, date, str], EventDate] = {}

    def __call__(self, earliest: date, latest: date, precision: str) -> EventDate:
        key = (earliest, latest, precision)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = EventDate(earliest, latest, _PRECISIONS[precision])
        return made


def read_accidents(
    reader: RegisterReader, district_id: int | None, codes: Mapping[int, str]
) -> dict[int, AccidentFacts]:
    """Live accidents (of one district if given) by row id, ``codes`` naming areas."""
    inside = reads.kept_inside_known_hazards(reader)
    rows = reads.accident_rows(reader, district_id, with_geometry=inside is None)
    if inside is not None and any(row["id"] not in inside for row in rows):
        inside, rows = None, reads.accident_rows(reader, district_id)
    if inside is None:
        inside = reads.decide_inside_known_hazards(reader, rows)
    dated = _EventDates()
    return {
        row["id"]: AccidentFacts(
            key=row["external_id"],
            district=codes[row["district_id"]],
            occurred=dated(row["occurred_earliest"], row["occurred_latest"], row["date_precision"]),
            device_category=_CATEGORIES.get(row["device_category"] or ""),
            activity=row["activity_at_time"],
            inside_known_hazard=inside[row["id"]],
        )
        for row in rows
    }


def _victims(
    reader: RegisterReader,
    district_id: int | None,
    accidents: Mapping[int, AccidentFacts],
    codes: Mapping[int, str],
) -> list[VictimFacts]:
    groups = reads.kept_victim_groups(reader, district_id)
    if groups is not None:
        return _kept_victims(groups, codes)
    return [
        VictimFacts(
            accident=accidents[accident_id],
            sex=_SEXES[sex],
            category=_VICTIM_CATEGORIES[category],
            outcome=_OUTCOMES[outcome],
            age_group=age_group(age, band),
        )
        for accident_id, sex, category, outcome, age, band in reads.victim_rows(reader, district_id)
    ]


def _kept_victims(groups: list[reads.VictimGroup], codes: Mapping[int, str]) -> list[VictimFacts]:
    """The victims the database keeps counted (:func:`reads.kept_victim_groups`): one
    fact per victim, those of a group sharing one; their accident is the group's (the
    statistics read of a victim's accident only its district, dates, device, activity)."""
    victims: list[VictimFacts] = []
    shared: dict[tuple[object, ...], AccidentFacts] = {}
    dated = _EventDates()
    for group in groups:
        district_id, earliest, latest, precision, device, activity = group[:6]
        sex, category, outcome, age, band, number = group[6:]
        key = (district_id, earliest, latest, precision, device, activity)
        accident = shared.get(key)
        if accident is None:
            accident = shared[key] = AccidentFacts(
                key="",
                district=codes[district_id],
                occurred=dated(earliest, latest, precision),
                device_category=_CATEGORIES.get(device or ""),
                activity=activity,
                inside_known_hazard=None,
            )
        fact = VictimFacts(
            accident=accident,
            sex=_SEXES[sex],
            category=_VICTIM_CATEGORIES[category],
            outcome=_OUTCOMES[outcome],
            age_group=age_group(age, band),
        )
        victims.extend([fact] * number)
    return victims
