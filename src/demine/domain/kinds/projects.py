"""Development projects: planned roads, lines, farms and settlements."""

from __future__ import annotations

from demine.domain import rules
from demine.domain.kinds.model import DateSpan, Field, FieldType, Kind
from demine.domain.kinds.shapes import LINEAR, POLYGONAL
from demine.domain.projects import DevelopmentProject
from demine.domain.repair import repair_polygonal
from demine.domain.vocab import ProjectKind
from demine.i18n import N_

T = FieldType

PROJECTS = Kind(
    "projects",
    DevelopmentProject,
    "development_projects",
    "external_id",
    N_("Development projects"),
    N_("Planned roads, power lines, solar and wind farms, settlements and farmland."),
    help=(
        N_(
            "Planned development projects (roads, power lines, pipelines, solar and wind farms, "
            "settlements, farmland) with their working buffer, owner and priority."
        )
    ),
    fields=(
        Field(
            "external_id",
            T.TEXT,
            N_("Stable identifier"),
            "PRJ-FUZ-ROAD-01",
            True,
            max_length=100,
            hxl="#activity+project+id",
        ),
        Field(
            "name",
            T.TEXT,
            N_("Project name"),
            "Fuzuli–Shusha road, section 2",
            True,
            max_length=300,
            hxl="#activity+project+name",
        ),
        Field(
            "kind",
            T.CODE,
            "; ".join(k.value for k in ProjectKind),
            "road",
            True,
            vocabulary=ProjectKind,
            max_length=30,
            hxl="#activity+project+type",
        ),
        Field(
            "district",
            T.REFERENCE,
            N_("Main district (or from the geometry)"),
            "Fuzuli",
            references="admin-areas",
            level="district",
            hxl="#adm2+code",
        ),
        Field(
            "owner",
            T.TEXT,
            N_("Who builds or owns it"),
            "Azerbaijan Highways",
            max_length=300,
            hxl="#org+name+owner",
        ),
        Field("priority", T.INTEGER, N_("1 (most urgent) to 5"), "1", True, hxl="#priority"),
        Field("people_benefiting", T.INTEGER, N_("People who benefit"), "12000", hxl="#targeted"),
        Field(
            "planned_start",
            T.DAY,
            N_("Planned start of works"),
            "2026-04-01",
            hxl="#date+start+planned",
        ),
        Field(
            "buffer_m",
            T.DECIMAL,
            N_("Working buffer around the shape (m)"),
            "50",
            default=0.0,
            hxl="#indicator+num+buffer_m",
        ),
        Field("notes", T.TEXT, N_("Notes"), "two lanes, 18 km", free_text=True, hxl="#description"),
    ),
    check=rules.check_project,
    soft_delete=True,
    dates=DateSpan("planned_start", "planned_start"),
    category="kind",
    district="district_id",
    geometry=(*POLYGONAL, *LINEAR),
    geometry_help=(
        "Polygon or MultiPolygon, or LineString or MultiLineString with a buffer_m (required)"
    ),
    infer_district=True,
    repair=repair_polygonal,
    collection="projects",
)
