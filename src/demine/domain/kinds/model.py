"""What describes a kind of record: its fields, dates, category, district, geometry,
workflow, sensitivity, collection and labels.

A :class:`Field` is one column of the kind's files and APIs. Its :class:`FieldType`
says how a value is read from a file, written back, held by the entity and stored,
so the importer, the table mapping, the exports and the APIs all follow from it.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from demine.domain.access import Permission
from demine.domain.rules import FieldProblem, RegisterCheck, RuleContext

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from demine.domain.kinds.custom import CustomField
    from demine.domain.repair import Repair


class FieldType(StrEnum):
    """How a field's value is read, written and stored."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    #: A calendar day (ISO 8601 in files).
    DAY = "day"
    #: A day, or only a month or a year (stored as earliest, latest and precision).
    EVENT_DATE = "event_date"
    #: One code of a vocabulary.
    CODE = "code"
    #: Several codes of a vocabulary, separated by ``;``.
    CODES = "codes"
    #: Another record, named by its code or external id (stored as its row id).
    REFERENCE = "reference"
    #: Several records of another kind, named by their keys separated by ``;`` (stored
    #: as those keys, like districts).
    REFERENCES = "references"
    #: Several districts, named by code or any spelling (stored as codes, ``;``).
    DISTRICTS = "districts"
    #: Several texts separated by ``;``.
    TEXT_LIST = "text_list"
    #: Declared device models and counts, ``MODEL:COUNT`` separated by ``;``.
    MODEL_COUNTS = "model_counts"


class Sensitivity(StrEnum):
    """Why a kind's records are not for everyone."""

    #: Aggregated public figures may be drawn from it; the records need an account.
    OPERATIONAL = "operational"
    #: Locations whose disclosure endangers people (minefield records): never public.
    SECURITY = "security"
    #: Personal data (victims' names, documents, health): the victim-data grant only.
    PERSONAL = "personal"
    #: Reference data anyone may read (districts).
    PUBLIC = "public"


@dataclass(frozen=True)
class Field:
    """One field of a kind: a column of its files and APIs."""

    name: str
    type: FieldType
    help: str
    example: str
    required: bool = False
    #: The entity's attribute (default: the field's name).
    attribute: str | None = None
    #: The stored column (default: the name; ``<name>_id`` for references).
    column: str | None = None
    #: The vocabulary of a CODE or CODES field.
    vocabulary: builtins.type[StrEnum] | None = None
    #: The kind a REFERENCE (or REFERENCES) names (``admin-areas``, ``organisations``…).
    references: str | None = None
    #: For a reference to admin areas: the level it names (``district``, ``settlement``).
    level: str | None = None
    #: The entity's value when the file leaves the field empty.
    default: Any = None
    #: Files hold the value in a unit this many times larger than the entity's
    #: (hectares in a file, square metres in the register: 10,000).
    scale: float | None = None
    #: The longest text the field holds (None: any length). Codes always have one.
    max_length: int | None = None
    #: Not stored in the kind's own table (admin areas' spellings have their own).
    stored: bool = True
    #: The HXL hashtag of the column in CSV exports.
    hxl: str | None = None
    #: Free text (narratives, notes, evidence) that may name people: read only with the
    #: victim-data grant, others see it withheld (:mod:`demine.domain.withheld`); never
    #: in map layers.
    free_text: bool = False
    #: Added by the programme's fields file (:mod:`demine.domain.kinds.custom`): its
    #: value is kept in the record's ``custom`` values, not a column of its own.
    custom: CustomField | None = None

    @property
    def entity_attribute(self) -> str:
        return self.attribute or self.name

    @property
    def always_stored(self) -> bool:
        """Every stored record has a value: the file must give it, or it has a default."""
        return self.required or self.default not in (None, ())

    @property
    def stored_column(self) -> str:
        if self.column is not None:
            return self.column
        return f"{self.name}_id" if self.type is FieldType.REFERENCE else self.name


@dataclass(frozen=True)
class DateSpan:
    """The stored columns giving the earliest and latest date of a record.

    A record dated to a day has ``earliest == latest``; one dated only to a month or a
    year keeps the whole range and its ``precision`` column says so. ``counts_on`` is
    the column that places the record in a reporting period (an activity's land counts
    in the period it ended).
    """

    earliest: str
    latest: str
    precision: str | None = None
    counts_on: str | None = None

    @property
    def period_column(self) -> str:
        return self.counts_on or self.latest


Check = Callable[[Any, RuleContext], list[FieldProblem]]


def no_check(_entity: Any, _context: RuleContext) -> list[FieldProblem]:
    return []


@dataclass(frozen=True)
class Kind:
    """One kind of record of the register, described once."""

    #: The kind's name in commands, URLs and files (``finds``, ``hazard-changes``).
    name: str
    entity: type
    table: str
    #: The stored key column (a code, an external id, or the row id of another record).
    key: str
    title: str
    description: str
    #: What an import file of the kind holds (for the documentation and templates).
    help: str = ""
    fields: tuple[Field, ...] = ()
    #: The kind's own rules (ranges, dates, geometry types), from :mod:`domain.rules`.
    check: Check = no_check
    #: Its rules against other records of the register (None: it has none); imports and
    #: the API apply them as they apply ``check``.
    register_check: RegisterCheck | None = None
    sensitivity: Sensitivity = Sensitivity.OPERATIONAL
    #: Field reports: made as drafts, counted only once approved by someone else.
    workflow: bool = False
    #: Records are hidden by a soft delete (kept with their history), never removed.
    soft_delete: bool = False
    #: Computed, not reported: written whole by the command that computes the records
    #: (risk cells: ``demine risk predict --store``), never imported, entered or changed
    #: record by record.
    machine_made: bool = False
    dates: DateSpan | None = None
    #: The stored column a ``category`` filter and grouped counts use.
    category: str | None = None
    #: The stored column holding the district's row id.
    district: str | None = None
    #: Geometry types a record may have; () for kinds without geometry.
    geometry: tuple[str, ...] = ()
    geometry_help: str = "no geometry"
    #: The geometry of a template's example row, as WKT.
    geometry_example: str | None = None
    #: A missing district is taken from the district polygon containing the geometry.
    infer_district: bool = False
    #: Mends an invalid geometry when there is one obvious repair (the import notes it).
    repair: Callable[[BaseGeometry], Repair | None] | None = None
    #: Served as an OGC API – Features collection under this id (None: not served).
    collection: str | None = None
    #: Extra condition of the collection, as ``column = value`` (districts only).
    collection_where: tuple[str, str] | None = None
    #: Written by ``demine export`` when no kind is named.
    exported_by_default: bool = True
    #: HXL hashtags of columns that are not fields (``country``).
    hxl: dict[str, str] = field(default_factory=dict)

    @property
    def read_permission(self) -> Permission:
        """The permission reading its records (not aggregates) needs."""
        if self.sensitivity is Sensitivity.PERSONAL:
            return Permission.VICTIM_DATA
        if self.sensitivity is Sensitivity.PUBLIC:
            return Permission.VIEW_PUBLIC
        return Permission.VIEW_OPERATIONAL

    @property
    def reviewed(self) -> bool:
        """Rows carry a review status and may be drafts (or deleted)."""
        return self.workflow or self.soft_delete

    @property
    def spatial(self) -> bool:
        return bool(self.geometry)

    @property
    def key_field(self) -> Field:
        """The field naming a record (the first one)."""
        return self.fields[0]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def hashtags(self) -> dict[str, str]:
        """Every column's HXL hashtag (fields and others)."""
        return {**self.hxl, **{f.name: f.hxl for f in self.fields if f.hxl}}
