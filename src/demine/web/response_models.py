"""The JSON bodies the web API answers with, as its OpenAPI document describes them.

Routes name these in ``responses=`` (see :mod:`demine.web.openapi_responses`); they are
not used to build the answers. A body may carry more than its model lists (a record's
columns depend on its kind; a later field is not an error), but never less, nor a value
of another type.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from demine.analysis.summary import FigureSource
from demine.domain.access import Role
from demine.domain.workflow import ReviewStatus

#: A count anyone may see: a number, or how a hidden small count reads (e.g. ``<5``).
PublicCount = int | str


class Caller(BaseModel):
    """Who is calling: the account's name and roles (``public`` without one)."""

    name: str
    roles: list[Role]


class LoggedIn(BaseModel):
    """The account a login opened a session for."""

    username: str
    role: Role


class Account(BaseModel):
    """A user account as the API shows it (never a password or its hash)."""

    username: str
    display_name: str | None
    role: Role
    organisation: str | None
    victim_data: bool = Field(description="Holds the victim-data grant")
    disabled: bool


class ImportCounts(BaseModel):
    """What a finished import did (or, for a dry run, would do)."""

    kind: str
    file_name: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: int | None
    notes: list[str]


class RowProblem(BaseModel):
    """One reason a row of an imported file was refused."""

    file: str
    row: int | None
    field: str | None
    reason: str


class ImportJob(BaseModel):
    """An import started from the web, with its progress and at the end its report or
    every problem found (nothing is written when there is one)."""

    id: str
    kind: str
    file_name: str
    dry_run: bool
    state: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="Rows checked so far")
    total: int = Field(description="Rows in the file, once known")
    report: ImportCounts | None
    problems: list[RowProblem]
    message: str | None


class ImportStarted(ImportJob):
    """A job just queued, and where to follow it."""

    status_url: str


class Record(BaseModel):
    """A record: its import columns (which depend on its kind; ``wkt`` holds its
    geometry) and its state in the review workflow."""

    model_config = ConfigDict(extra="allow")

    review_status: ReviewStatus | None = Field(description="None for kinds not reviewed")
    review_note: str | None
    version: int = Field(description="What If-Match names (also the ETag)")
    deleted: bool


class RecordPage(BaseModel):
    """A page of records, and how many match in all."""

    items: list[Record]
    total: int
    limit: int
    offset: int


class RecordVersion(BaseModel):
    """One version of a record: what it held, from when to when, who made it and how."""

    version: int
    valid_from: str | None
    valid_to: str | None
    changed_by: str | None
    action: str | None
    values: dict[str, Any]


class RecordHistory(BaseModel):
    """A record's versions, oldest first, the current last."""

    kind: str
    key: str
    versions: list[RecordVersion]


class Geometry(BaseModel):
    """A GeoJSON geometry (RFC 7946), longitude and latitude in WGS 84."""

    model_config = ConfigDict(extra="allow")

    type: Literal[
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ]


class MapFeature(BaseModel):
    """A record drawn on the map, or a cell counting the records near each other."""

    type: Literal["Feature"]
    id: int | str | None = Field(default=None, description="None for an aggregated cell")
    geometry: Geometry
    properties: dict[str, Any]


class MapLayer(BaseModel):
    """A map layer cut to a box, as light as the zoom allows."""

    type: Literal["FeatureCollection"]
    features: list[MapFeature]
    aggregated: bool = Field(description="Features are cells counting the records near")
    cell: float | None = Field(default=None, description="The cells' size, in degrees")
    truncated: bool = Field(description="Not every feature in the box is drawn")
    layer: str
    zoom: int
    model: str | None = Field(
        default=None, description="The risk layer: the model whose cells are drawn"
    )


class PublicRiskEducation(BaseModel):
    """Risk education sessions held and people reached (small counts of people hidden)."""

    sessions: int
    girls: PublicCount
    boys: PublicCount
    women: PublicCount
    men: PublicCount
    beneficiaries: PublicCount
    persons_with_disabilities: PublicCount


class DistrictFigures(BaseModel):
    """What anyone may see of operations in a district (or the whole country)."""

    devices_found: PublicCount
    ap_mines: PublicCount
    at_mines: PublicCount
    uxo: PublicCount
    other_devices: PublicCount
    hectares_cleared: float
    accidents: PublicCount
    risk_education: PublicRiskEducation


class PublicDistrict(DistrictFigures):
    code: str
    name: str
    reported: bool = Field(
        description="whether operations were reported in the district in the period "
        "(a zero reported, rather than nothing recorded)"
    )


class PublicDistricts(BaseModel):
    """Per-district figures for everyone, small counts hidden, and the national total."""

    country: str
    period_start: str | None = Field(description="ISO 8601 date; none: since operations began")
    period_end: str = Field(description="ISO 8601 date")
    source: FigureSource
    suppression_threshold: int
    districts: list[PublicDistrict]
    total: DistrictFigures
