"""Import kind for development projects: planned roads, lines, farms and settlements."""

from __future__ import annotations

from demine.domain import rules
from demine.domain.projects import DevelopmentProject
from demine.domain.repair import repair_polygonal
from demine.domain.vocab import ProjectKind
from demine.ingest import fields as f
from demine.ingest.entity_spec import EntitySpec
from demine.ingest.fields import FieldSpec

PROJECTS = EntitySpec(
    kind="projects",
    entity_type=DevelopmentProject,
    help=(
        "Planned development projects (roads, power lines, pipelines, solar and wind farms, "
        "settlements, farmland) with their working buffer, owner and priority."
    ),
    fields=(
        FieldSpec("external_id", f.text, "Stable identifier", "PRJ-FUZ-ROAD-01", required=True),
        FieldSpec("name", f.text, "Project name", "Fuzuli–Shusha road, section 2", True),
        FieldSpec(
            "kind",
            f.code_of(ProjectKind),
            "; ".join(k.value for k in ProjectKind),
            "road",
            required=True,
            format=f.format_code,
        ),
        FieldSpec("district", f.district, "Main district (or from the geometry)", "Fuzuli"),
        FieldSpec("owner", f.text, "Who builds or owns it", "Azerbaijan Highways"),
        FieldSpec("priority", f.integer, "1 (most urgent) to 5", "1", required=True),
        FieldSpec("people_benefiting", f.integer, "People who benefit", "12000"),
        FieldSpec(
            "planned_start", f.day, "Planned start of works", "2026-04-01", False, f.format_day
        ),
        FieldSpec("buffer_m", f.number, "Working buffer around the shape (m)", "50"),
        FieldSpec("notes", f.text, "Notes", "two lanes, 18 km"),
    ),
    build=lambda v, g, c: DevelopmentProject(
        external_id=v["external_id"],
        country=c.country,
        district=v["district"],
        name=v["name"],
        kind=v["kind"],
        priority=v["priority"],
        buffer_m=0.0 if v["buffer_m"] is None else v["buffer_m"],
        owner=v["owner"],
        people_benefiting=v["people_benefiting"],
        planned_start=v["planned_start"],
        notes=v["notes"],
        geometry=g,
    ),
    flatten=lambda p: {
        "external_id": p.external_id,
        "name": p.name,
        "kind": p.kind,
        "district": p.district,
        "owner": p.owner,
        "priority": p.priority,
        "people_benefiting": p.people_benefiting,
        "planned_start": p.planned_start,
        "buffer_m": p.buffer_m,
        "notes": p.notes,
    },
    check=rules.check_project,
    geometry_help=(
        "Polygon or MultiPolygon, or LineString or MultiLineString with a buffer_m (required)"
    ),
    infer_district=True,
    repair=repair_polygonal,
)
