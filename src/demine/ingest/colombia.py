"""Colombia's landmine event register (Descontamina Colombia, 1990–2009) as domain objects.

The register is published as one GeoJSON FeatureCollection per year; each feature is a
point with an event type (``TIPO_EVENTO``), a department, a municipality and the year
(``AÑO``). This module only reads and validates: it returns domain objects and leaves
writing them to the importer.

Choices worth knowing:

* **Ids.** The register has none, so each event's ``external_id`` is
  ``CO-<year>-T<type>-<position>`` (``CO-2005-T1-00042`` is the 42nd feature of the 2005
  file, an AP-mine accident). It is stable when the same file is imported again, and
  changes only if the publisher reorders a file.
* **Dates.** The register gives the year only, so accidents and finds are dated
  :meth:`EventDate.in_year`, never an invented day. A hazard's ``recorded_on`` must be a
  day: it is 31 December of the year, meaning "known by the end of that year".
* **Places.** Departments and municipalities become admin areas; spellings that share a
  :func:`name_key` are one place, named by its first-seen spelling (title-cased), with
  every other spelling as written kept as an alias. Codes are slugs of the names:
  ``CO-ANTIOQUIA`` for a department, ``CO-ANTIOQUIA-ANORI`` for a municipality.
* **Coordinates outside Colombia** (one feature has its longitude's sign lost) are
  dropped, not guessed, and reported in ``warnings``; the event is kept.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

from shapely.geometry import Point, box

from demine.domain.dates import EventDate
from demine.domain.entities import Accident, AdminArea, DeviceFind, HazardArea
from demine.domain.names import name_key
from demine.domain.rules import Extent
from demine.domain.vocab import AdminLevel, EOCategory, HazardClassification, HazardStatus
from demine.errors import ImportRejected, Problem
from demine.i18n import _

COUNTRY = "CO"
COUNTRY_NAME = "Colombia"
SOURCE = "Descontamina Colombia event register"

#: Mainland, San Andrés and Providencia, and the Amazon corner around Leticia.
COLOMBIA_EXTENT = Extent(min_lon=-81.8, min_lat=-4.3, max_lon=-66.8, max_lat=13.6)


class EventType(IntEnum):
    """``TIPO_EVENTO`` codes of the register."""

    AP_MINE_ACCIDENT = 1
    UXO_ACCIDENT = 2
    STORED_ARSENAL = 3
    MILITARY_DEMINING = 4
    SEIZURE = 5
    UXO = 6
    MINE_PRODUCTION_SITE = 7
    SUSPECTED_MINEFIELD = 8


_ACCIDENT_DEVICE = {
    EventType.AP_MINE_ACCIDENT: EOCategory.AP_MINE,
    EventType.UXO_ACCIDENT: EOCategory.UXO,
}

# Register files are named after their year (``2005.json``); other names may add words.
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class ColombiaRegister:
    """Everything read from the register's files, ready for the importer."""

    admin_areas: tuple[AdminArea, ...]
    accidents: tuple[Accident, ...]
    device_finds: tuple[DeviceFind, ...]
    hazards: tuple[HazardArea, ...]
    #: Events of types with no matching entity (3, 5, 6, 7), by type.
    skipped: Mapping[EventType, int]
    #: Every event read, by (year, type), to check the import against the files.
    counts_by_year_and_type: Mapping[tuple[int, EventType], int]
    #: Rows accepted with something dropped (coordinates outside Colombia).
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Event:
    """One valid feature, before places are resolved to codes."""

    external_id: str
    year: int
    type: EventType
    department: str
    municipality: str
    point: Point | None


def read_colombia_register(paths: Sequence[Path]) -> ColombiaRegister:
    """Read the register's yearly GeoJSON files into domain objects.

    Files are read in name order, so the result does not depend on the order of
    ``paths``. Every bad feature is reported; if there is any, :class:`ImportRejected`
    is raised with all of them and nothing is returned.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    events: list[_Event] = []
    years_seen: dict[int, str] = {}
    for path in sorted(paths, key=lambda p: p.name):
        year = _file_year(path, years_seen, problems)
        if year is None:
            continue
        for row, feature in enumerate(_features(path, problems), start=1):
            event = _parse_feature(path.name, row, year, feature, problems, warnings)
            if event is not None:
                events.append(event)
    if problems:
        raise ImportRejected(problems)
    return _build(events, warnings)


def _file_year(path: Path, years_seen: dict[int, str], problems: list[Problem]) -> int | None:
    """The year a file covers, from its name; each year may come from one file only."""
    found = _YEAR_IN_NAME.findall(path.stem)
    if len(found) != 1:
        problems.append(
            Problem(path.name, None, None, _("the file name must contain its year, e.g. 2005.json"))
        )
        return None
    year = int(found[0])
    if year in years_seen:
        problems.append(
            Problem(
                path.name,
                None,
                None,
                _("year {year} was already read from {file}").format(
                    year=year, file=years_seen[year]
                ),
            )
        )
        return None
    years_seen[year] = path.name
    return year


def _features(path: Path, problems: list[Problem]) -> list[Any]:
    """The features of a GeoJSON FeatureCollection, or none (with a problem)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(
            Problem(path.name, None, None, _("cannot read the file: {error}").format(error=error))
        )
        return []
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        problems.append(Problem(path.name, None, None, _("not a GeoJSON FeatureCollection")))
        return []
    return features


def _parse_feature(
    file: str,
    row: int,
    file_year: int,
    feature: Any,
    problems: list[Problem],
    warnings: list[Problem],
) -> _Event | None:
    """One feature as an event, or ``None`` after recording why it is invalid."""
    before = len(problems)
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        problems.append(Problem(file, row, None, _("the feature has no properties")))
        return None
    event_type = _event_type(file, row, properties.get("TIPO_EVENTO"), problems)
    _check_year(file, row, file_year, properties.get("AÑO"), problems)
    department = _name(file, row, "DEPARTAMENTO", properties, problems)
    municipality = _name(file, row, "MUNICIPIO", properties, problems)
    point = _point(file, row, feature.get("geometry"), problems)
    if len(problems) > before or event_type is None or department is None or municipality is None:
        return None
    if point is not None and not COLOMBIA_EXTENT.contains(point):
        warnings.append(
            Problem(
                file,
                row,
                "geometry",
                _(
                    "coordinates ({x:g}, {y:g}) are outside Colombia; "
                    "the event is kept without a location"
                ).format(x=point.x, y=point.y),
            )
        )
        point = None
    external_id = f"{COUNTRY}-{file_year}-T{event_type.value}-{row:05d}"
    return _Event(external_id, file_year, event_type, department, municipality, point)


def _event_type(file: str, row: int, value: Any, problems: list[Problem]) -> EventType | None:
    text = str(value).strip() if value is not None else ""
    if text.isdigit() and int(text) in EventType._value2member_map_:
        return EventType(int(text))
    problems.append(
        Problem(
            file,
            row,
            "TIPO_EVENTO",
            _("unknown event type {value!r} (expected 1 to 8)").format(value=value),
        )
    )
    return None


def _check_year(file: str, row: int, file_year: int, value: Any, problems: list[Problem]) -> None:
    text = str(value).strip() if value is not None else ""
    if not _YEAR.match(text):
        problems.append(Problem(file, row, "AÑO", _("{value!r} is not a year").format(value=value)))
    elif int(text) != file_year:
        problems.append(
            Problem(
                file,
                row,
                "AÑO",
                _("year {text} does not match the file's year {file_year}").format(
                    text=text, file_year=file_year
                ),
            )
        )


def _name(
    file: str, row: int, prop: str, properties: dict[str, Any], problems: list[Problem]
) -> str | None:
    value = properties.get(prop)
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(Problem(file, row, prop, _("a name is required")))
    return None


def _point(file: str, row: int, geometry: Any, problems: list[Problem]) -> Point | None:
    """The feature's point; a missing or non-point geometry is a problem."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        reason = f"expected a Point geometry, got {kind}" if kind else "the geometry is missing"
        problems.append(Problem(file, row, "geometry", reason))
        return None
    coordinates = geometry.get("coordinates")
    if (
        isinstance(coordinates, list)
        and len(coordinates) >= 2
        and all(isinstance(c, int | float) and math.isfinite(c) for c in coordinates[:2])
    ):
        return Point(float(coordinates[0]), float(coordinates[1]))
    problems.append(
        Problem(
            file,
            row,
            "geometry",
            _("invalid coordinates {coordinates!r}").format(coordinates=coordinates),
        )
    )
    return None


def _build(events: list[_Event], warnings: list[Problem]) -> ColombiaRegister:
    """Resolve places to admin-area codes and turn events into entities."""
    places = _Gazetteer()
    accidents: list[Accident] = []
    finds: list[DeviceFind] = []
    hazards: list[HazardArea] = []
    skipped: Counter[EventType] = Counter()
    counts: Counter[tuple[int, EventType]] = Counter()
    for event in events:
        counts[(event.year, event.type)] += 1
        district, settlement = places.add(event.department, event.municipality)
        if event.type in _ACCIDENT_DEVICE:
            accidents.append(_accident(event, district, settlement))
        elif event.type is EventType.MILITARY_DEMINING:
            finds.append(_device_find(event, district))
        elif event.type is EventType.SUSPECTED_MINEFIELD:
            hazards.append(_hazard(event, district))
        else:
            # Arsenals, seizures, UXO sightings and production sites: no entity fits.
            skipped[event.type] += 1
    country = AdminArea(
        code=COUNTRY,
        name=COUNTRY_NAME,
        level=AdminLevel.COUNTRY,
        country=COUNTRY,
        geometry=box(
            COLOMBIA_EXTENT.min_lon,
            COLOMBIA_EXTENT.min_lat,
            COLOMBIA_EXTENT.max_lon,
            COLOMBIA_EXTENT.max_lat,
        ),
        geometry_approximate=True,
    )
    return ColombiaRegister(
        admin_areas=(country, *places.admin_areas()),
        accidents=tuple(accidents),
        device_finds=tuple(finds),
        hazards=tuple(hazards),
        skipped=dict(sorted(skipped.items())),
        counts_by_year_and_type=dict(sorted(counts.items())),
        warnings=tuple(warnings),
    )


def _accident(event: _Event, district: str, settlement: str) -> Accident:
    return Accident(
        external_id=event.external_id,
        country=COUNTRY,
        district=district,
        settlement=settlement,
        occurred=EventDate.in_year(event.year),
        device_category=_ACCIDENT_DEVICE[event.type],
        source=f"{SOURCE}, TIPO_EVENTO={event.type.value}",
        geometry=event.point,
    )


def _device_find(event: _Event, district: str) -> DeviceFind:
    # The register says a device was found and destroyed, not which kind: OTHER, one.
    return DeviceFind(
        external_id=event.external_id,
        country=COUNTRY,
        district=district,
        category=EOCategory.OTHER,
        quantity=1,
        found=EventDate.in_year(event.year),
        model=None,
        geometry=event.point,
    )


def _hazard(event: _Event, district: str) -> HazardArea:
    return HazardArea(
        external_id=event.external_id,
        country=COUNTRY,
        district=district,
        classification=HazardClassification.SHA,
        status=HazardStatus.OPEN,
        # A day is required; the register knows only the year: "known by the end of it".
        recorded_on=date(event.year, 12, 31),
        evidence=f"{SOURCE}, TIPO_EVENTO={event.type.value} (suspected minefield)",
        geometry=event.point,
    )


# Source spellings that are not the place's name (an encoding slip), by name key.
_MISSPELLINGS = {"cardoba": "CÓRDOBA"}

# Spanish keeps articles and prepositions lower case inside a name (Norte de Santander).
_LOWER_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e"})
_UPPER_WORDS = {"dc": "D.C.", "d.c.": "D.C."}


@dataclass
class _Place:
    """A department or municipality: its code, spelling as first seen, and all spellings."""

    code: str
    spelling: str
    spellings: list[str] = field(default_factory=list)

    def note(self, written: str) -> None:
        if written not in self.spellings:
            self.spellings.append(written)

    def admin_area(self, level: AdminLevel, parent_code: str) -> AdminArea:
        name = _display_name(self.spelling)
        return AdminArea(
            code=self.code,
            name=name,
            level=level,
            country=COUNTRY,
            parent_code=parent_code,
            aliases=tuple(s for s in self.spellings if s != name),
        )


class _Gazetteer:
    """Departments and municipalities met in the register, one per spelling-insensitive key."""

    def __init__(self) -> None:
        self._departments: dict[str, _Place] = {}
        self._municipalities: dict[tuple[str, str], _Place] = {}

    def add(self, department: str, municipality: str) -> tuple[str, str]:
        """The codes of a department and municipality as written, added if new."""
        department_key = name_key(department)
        district = self._departments.get(department_key)
        if district is None:
            district = _Place(f"{COUNTRY}-{_slug(department)}", department)
            self._departments[department_key] = district
        district.note(department)
        spelling = _MISSPELLINGS.get(name_key(municipality), municipality)
        key = (department_key, name_key(spelling))
        settlement = self._municipalities.get(key)
        if settlement is None:
            settlement = _Place(f"{district.code}-{_slug(spelling)}", spelling)
            self._municipalities[key] = settlement
        settlement.note(municipality)
        return district.code, settlement.code

    def admin_areas(self) -> list[AdminArea]:
        """Departments, then municipalities, each sorted by code."""
        areas = [
            place.admin_area(AdminLevel.DISTRICT, COUNTRY)
            for place in sorted(self._departments.values(), key=lambda p: p.code)
        ]
        parents = {key: place.code for key, place in self._departments.items()}
        areas += sorted(
            (
                place.admin_area(AdminLevel.SETTLEMENT, parents[department_key])
                for (department_key, _), place in self._municipalities.items()
            ),
            key=lambda area: area.code,
        )
        codes = [area.code for area in areas]
        if len(set(codes)) != len(codes):
            # Only a department named like another's prefix could do this; fail loudly.
            raise ValueError(_("two places of the register were given the same code"))
        return areas


def _slug(name: str) -> str:
    """``El Carmen de Bolívar`` → ``EL-CARMEN-DE-BOLIVAR``: ASCII capitals, digits, hyphens."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]+", "-", text.upper()).strip("-")


def _display_name(written: str) -> str:
    """``EL CARMEN DE BOLÍVAR`` → ``El Carmen de Bolívar``; the register writes capitals."""
    words = []
    for position, word in enumerate(written.split()):
        lower = word.lower()
        if lower in _UPPER_WORDS:
            words.append(_UPPER_WORDS[lower])
        elif position > 0 and lower in _LOWER_WORDS:
            words.append(lower)
        else:
            words.append(lower[:1].upper() + lower[1:])
    return " ".join(words)
