"""The register's entities, as the standards name them.

References between entities are by stable code or external id (the identifiers people
and files use); the store resolves them to its own keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from demine.domain.custom_values import Extensible
from demine.domain.dates import EventDate
from demine.domain.vocab import (
    ActivityKind,
    AdminLevel,
    EOCategory,
    HazardClassification,
    HazardStatus,
    OrganisationKind,
    Outcome,
    Sex,
    VictimCategory,
)

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

SQUARE_METRES_PER_HECTARE = 10_000.0


@dataclass(frozen=True)
class AdminArea(Extensible):
    """A country, district (or department) or settlement (or municipality)."""

    code: str
    name: str
    level: AdminLevel
    country: str
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()
    reporting_order: int | None = None
    geometry: BaseGeometry | None = None
    geometry_approximate: bool = False
    #: The area's name in Azerbaijani and in Russian (None: the canonical ``name``).
    name_az: str | None = None
    name_ru: str | None = None
    #: Codes others give the area: its ISO 3166-2 code (``AZ-AGM``), the ids of the
    #: published boundaries its shape comes from (geoBoundaries ``shapeID``s, ``;``
    #: between several) and its OCHA COD p-code (None where there is none).
    iso_code: str | None = None
    boundary_id: str | None = None
    pcode: str | None = None

    def name_in(self, language: str) -> str:
        """The name people reading ``language`` know it by (``Xankəndi``, ``Ханкенди``);
        the canonical ``name`` where the language has none of its own."""
        local = {"az": self.name_az, "ru": self.name_ru}.get(language)
        return local or self.name

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name the area answers to: code, canonical name, names per language
        and the other recorded spellings."""
        names = (self.code, self.name, self.name_az, self.name_ru, *self.aliases)
        return tuple(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True)
class Organisation(Extensible):
    """An operator or authority: national agency, ministry unit, company, NGO…"""

    code: str
    name: str
    kind: OrganisationKind
    country: str


@dataclass(frozen=True)
class HazardArea(Extensible):
    """A suspected or confirmed hazardous area, or an EOD spot task."""

    external_id: str
    country: str
    district: str
    classification: HazardClassification
    status: HazardStatus
    recorded_on: date
    name: str | None = None
    evidence: str | None = None
    contamination: tuple[EOCategory, ...] = ()
    estimated_area_m2: float | None = None
    remaining_area_m2: float | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True)
class HazardStatusChange(Extensible):
    """A dated change of a hazard area's status, with its reason."""

    external_id: str
    hazard: str
    changed_on: date
    status: HazardStatus
    reason: str | None = None


@dataclass(frozen=True)
class Activity(Extensible):
    """A land-release activity: survey, clearance, battle-area clearance, spot task."""

    external_id: str
    country: str
    kind: ActivityKind
    organisation: str
    district: str
    start_date: date
    end_date: date
    hazard: str | None = None
    area_cancelled_m2: float = 0.0
    area_reduced_m2: float = 0.0
    area_cleared_m2: float = 0.0
    team_days: float | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True)
class DeviceFind(Extensible):
    """Explosive ordnance found (and usually destroyed): category, model, how many."""

    external_id: str
    country: str
    district: str
    category: EOCategory
    quantity: int
    found: EventDate
    model: str | None = None
    activity: str | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True)
class ReportedSummary(Extensible):
    """Period totals an authority published, kept where no records exist."""

    external_id: str
    country: str
    authority: str
    period_start: date
    period_end: date
    district: str | None = None
    ap_mines: int | None = None
    at_mines: int | None = None
    uxo: int | None = None
    other_devices: int | None = None
    area_cleared_m2: float | None = None
    source_reference: str | None = None
    source_text: str | None = None
    #: Districts the published text names (codes), e.g. where a national total was found.
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Accident(Extensible):
    """An explosive ordnance accident (victims are recorded separately)."""

    external_id: str
    country: str
    district: str
    occurred: EventDate
    settlement: str | None = None
    device_category: EOCategory | None = None
    device_model: str | None = None
    activity_at_time: str | None = None
    demining_accident: bool | None = None
    inside_known_hazard: bool | None = None
    source: str | None = None
    narrative: str | None = None
    geometry: BaseGeometry | None = None


#: A child, in casualty statistics, is a person under 18 (IMAS).
CHILD_AGE_LIMIT = 18
CHILD_AGE_BANDS = frozenset({"0-17", "child", "0-4", "5-9", "10-14", "15-17"})
ADULT_AGE_BANDS = frozenset({"18-59", "60+", "adult", "18-24", "25-59", "18+"})
AGE_BANDS = CHILD_AGE_BANDS | ADULT_AGE_BANDS


@dataclass(frozen=True)
class Victim(Extensible):
    """A person killed or injured in an accident (no personal identifiers here).

    Age is exact where known, otherwise an age band (``0-17``, ``18-59``, ``60+``,
    ``child``, ``adult``…); the outcome may be unknown and is then never guessed.
    """

    external_id: str
    accident: str
    sex: Sex
    category: VictimCategory
    outcome: Outcome
    age: int | None = None
    age_band: str | None = None

    @property
    def is_child(self) -> bool | None:
        """True under 18, False from 18, None when the age is not known."""
        if self.age is not None:
            return self.age < CHILD_AGE_LIMIT
        if self.age_band in CHILD_AGE_BANDS:
            return True
        if self.age_band in ADULT_AGE_BANDS:
            return False
        return None


@dataclass(frozen=True)
class VictimIdentifiers(Extensible):
    """Personal data about a victim: kept apart, readable only with permission."""

    victim: str
    full_name: str | None = None
    id_number: str | None = None
    contact: str | None = None
    address: str | None = None
    medical_notes: str | None = None


@dataclass(frozen=True)
class CasualtyBaseline(Extensible):
    """Published casualty totals up to a date, for history that exists only as aggregates.

    All-time statistics are this baseline plus the victims recorded after ``as_of``.
    """

    external_id: str
    country: str
    as_of: date
    total: int
    killed: int | None = None
    injured: int | None = None
    children: int | None = None
    women: int | None = None
    civilians: int | None = None
    source_reference: str | None = None
    source_text: str | None = None
