"""The registry of record kinds: each kind of the register described once.

Everything that depends on what a kind is — its table and stable key, the dates a
period or ``datetime`` filter applies to, its category and district columns, its
geometry, whether it goes through the approval workflow, who may read it, its OGC
collection, what it exports, its HXL hashtags and labels — reads it from here. The
store, the importer, the REST and OGC APIs, the exports and the forms derive from this
registry instead of keeping their own lists (see ``docs/kinds.md``).

Column names here are the stored ones; the store maps them to its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from demine.domain.access import Permission
from demine.domain.entities import (
    Accident,
    Activity,
    AdminArea,
    CasualtyBaseline,
    DeviceFind,
    HazardArea,
    HazardStatusChange,
    Organisation,
    ReportedSummary,
    Victim,
    VictimIdentifiers,
)
from demine.domain.projects import DevelopmentProject
from demine.domain.records import MinefieldPoint, MinefieldRecord, MinefieldRow

POLYGONAL = ("Polygon", "MultiPolygon")
PUNCTUAL = ("Point",)
LINEAR = ("LineString", "MultiLineString")


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


@dataclass(frozen=True)
class Kind:
    """One kind of record of the register."""

    #: The kind's name in commands, URLs and files (``finds``, ``hazard-changes``).
    name: str
    entity: type
    table: str
    key: str
    title: str
    description: str
    sensitivity: Sensitivity = Sensitivity.OPERATIONAL
    #: Field reports: made as drafts, counted only once approved by someone else.
    workflow: bool = False
    #: Records are hidden by a soft delete (kept with their history), never removed.
    soft_delete: bool = False
    dates: DateSpan | None = None
    #: The stored column a ``category`` filter and grouped counts use.
    category: str | None = None
    #: The stored column holding the district's row id.
    district: str | None = None
    #: Geometry types a record may have; () for kinds without geometry.
    geometry: tuple[str, ...] = ()
    #: Served as an OGC API – Features collection under this id (None: not served).
    collection: str | None = None
    #: Extra condition of the collection, as ``column = value`` (districts only).
    collection_where: tuple[str, str] | None = None
    #: Written by ``demine export`` when no kind is named.
    exported_by_default: bool = True
    #: HXL hashtags of its columns (as files and the public aggregates name them).
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


_DISTRICT = "district_id"
_COMMON_HXL = {"district": "#adm2+code", "country": "#country+code"}

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "admin-areas",
            AdminArea,
            "admin_areas",
            "code",
            "Districts",
            "Administrative districts (shapes may be approximate: see geometry_approximate).",
            sensitivity=Sensitivity.PUBLIC,
            category="level",
            geometry=POLYGONAL,
            collection="districts",
            collection_where=("level", "district"),
            hxl={"code": "#adm2+code", "name": "#adm2+name", "parent": "#adm1+code"},
        ),
        Kind(
            "organisations",
            Organisation,
            "organisations",
            "code",
            "Organisations",
            "National agency, ministry units, emergency and border services, companies, NGOs.",
            sensitivity=Sensitivity.PUBLIC,
            category="kind",
            hxl={"code": "#org+code", "name": "#org+name", "kind": "#org+type"},
        ),
        Kind(
            "hazards",
            HazardArea,
            "hazard_areas",
            "external_id",
            "Hazardous areas",
            "Suspected (SHA) and confirmed (CHA) hazardous areas and EOD spot tasks.",
            workflow=True,
            soft_delete=True,
            dates=DateSpan("recorded_on", "recorded_on"),
            category="classification",
            district=_DISTRICT,
            geometry=(*POLYGONAL, *PUNCTUAL),
            collection="hazards",
            hxl={**_COMMON_HXL, "external_id": "#loc+id", "estimated_area_m2": "#area+m2"},
        ),
        Kind(
            "hazard-changes",
            HazardStatusChange,
            "hazard_status_changes",
            "external_id",
            "Hazard status changes",
            "Dated changes of a hazard area's status, with the reason.",
            workflow=True,
            soft_delete=True,
            dates=DateSpan("changed_on", "changed_on"),
            category="status",
        ),
        Kind(
            "activities",
            Activity,
            "activities",
            "external_id",
            "Land-release activities",
            "Surveys and clearance, with the worked area where recorded.",
            workflow=True,
            soft_delete=True,
            dates=DateSpan("start_date", "end_date", counts_on="end_date"),
            category="kind",
            district=_DISTRICT,
            geometry=POLYGONAL,
            collection="activities",
            hxl={
                **_COMMON_HXL,
                "external_id": "#activity+id",
                "organisation": "#org+code",
                "start_date": "#date+start",
                "end_date": "#date+end",
                "area_cleared_m2": "#area+cleared+m2",
                "area_reduced_m2": "#area+reduced+m2",
                "area_cancelled_m2": "#area+cancelled+m2",
            },
        ),
        Kind(
            "finds",
            DeviceFind,
            "device_finds",
            "external_id",
            "Device finds",
            "Explosive ordnance found, by category and model.",
            workflow=True,
            soft_delete=True,
            dates=DateSpan("found_earliest", "found_latest", "date_precision"),
            category="category",
            district=_DISTRICT,
            geometry=PUNCTUAL,
            collection="finds",
            hxl={
                **_COMMON_HXL,
                "external_id": "#item+id",
                "category": "#item+type",
                "quantity": "#indicator+num+devices",
                "found_on": "#date",
            },
        ),
        Kind(
            "summaries",
            ReportedSummary,
            "reported_summaries",
            "external_id",
            "Published summaries",
            "Period totals an authority published, kept where no records exist.",
            sensitivity=Sensitivity.PUBLIC,
            dates=DateSpan("period_start", "period_end"),
            district=_DISTRICT,
            hxl={
                **_COMMON_HXL,
                "period_start": "#date+start",
                "period_end": "#date+end",
                "ap_mines": "#indicator+num+mines_ap",
                "at_mines": "#indicator+num+mines_at",
                "uxo": "#indicator+num+uxo",
            },
        ),
        Kind(
            "accidents",
            Accident,
            "accidents",
            "external_id",
            "Accidents",
            "Explosive ordnance accidents (no victim data).",
            workflow=True,
            soft_delete=True,
            dates=DateSpan("occurred_earliest", "occurred_latest", "date_precision"),
            category="device_category",
            district=_DISTRICT,
            geometry=PUNCTUAL,
            collection="accidents",
            hxl={**_COMMON_HXL, "external_id": "#event+id", "occurred_on": "#date"},
        ),
        Kind(
            "victims",
            Victim,
            "victims",
            "external_id",
            "Victims",
            "People killed or injured in accidents (no personal identifiers).",
            workflow=True,
            soft_delete=True,
            category="category",
            hxl={"accident": "#event+id", "sex": "#affected+sex", "outcome": "#affected+type"},
        ),
        Kind(
            "victim-identifiers",
            VictimIdentifiers,
            "victim_identifiers",
            "victim_id",
            "Victims' personal data",
            "Names, documents, contacts and medical notes of victims.",
            sensitivity=Sensitivity.PERSONAL,
            exported_by_default=False,
        ),
        Kind(
            "casualty-baselines",
            CasualtyBaseline,
            "casualty_baselines",
            "external_id",
            "Casualty baselines",
            "Published casualty totals up to a date.",
            sensitivity=Sensitivity.PUBLIC,
            dates=DateSpan("as_of", "as_of"),
            hxl={
                "as_of": "#date",
                "total": "#affected+num",
                "killed": "#affected+killed",
                "injured": "#affected+injured",
                "children": "#affected+children",
                "women": "#affected+f",
            },
        ),
        Kind(
            "minefield-records",
            MinefieldRecord,
            "minefield_records",
            "external_id",
            "Minefield records",
            "Records handed over: declared coverage (security-sensitive, never public).",
            sensitivity=Sensitivity.SECURITY,
            dates=DateSpan("received_on", "received_on"),
            category="record_type",
            district=_DISTRICT,
            geometry=POLYGONAL,
            collection="minefield-records",
        ),
        Kind(
            "minefield-rows",
            MinefieldRow,
            "minefield_rows",
            "external_id",
            "Minefield record rows",
            "Declared rows of mines of the handed-over records.",
            sensitivity=Sensitivity.SECURITY,
            category="category",
            geometry=LINEAR,
            collection="minefield-rows",
        ),
        Kind(
            "minefield-points",
            MinefieldPoint,
            "minefield_points",
            "external_id",
            "Minefield record points",
            "Reference, turning and landmark points of the handed-over records.",
            sensitivity=Sensitivity.SECURITY,
            category="point_type",
            geometry=PUNCTUAL,
            collection="minefield-points",
        ),
        Kind(
            "projects",
            DevelopmentProject,
            "development_projects",
            "external_id",
            "Development projects",
            "Planned roads, power lines, solar and wind farms, settlements and farmland.",
            soft_delete=True,
            dates=DateSpan("planned_start", "planned_start"),
            category="kind",
            district=_DISTRICT,
            geometry=(*POLYGONAL, *LINEAR),
            collection="projects",
        ),
    )
}

KIND_BY_ENTITY: dict[type, Kind] = {kind.entity: kind for kind in KINDS.values()}
KIND_BY_TABLE: dict[str, Kind] = {kind.table: kind for kind in KINDS.values()}
KIND_BY_COLLECTION: dict[str, Kind] = {
    kind.collection: kind for kind in KINDS.values() if kind.collection is not None
}


class UnknownKindError(LookupError):
    """No kind of that name."""


def kind_named(name: str) -> Kind:
    """The kind called ``name``; :class:`UnknownKindError` lists the accepted ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKindError(f"no record kind '{name}' (accepted: {', '.join(KINDS)})") from None


def workflow_kinds() -> tuple[str, ...]:
    return tuple(name for name, kind in KINDS.items() if kind.workflow)
