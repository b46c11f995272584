"""Development projects to table rows and back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from demine.domain.projects import DevelopmentProject
from demine.domain.vocab import ProjectKind
from demine.store import schema
from demine.store.refs import Refs
from demine.store.table_mapping import Row, TableMapping, bbox_columns


def _project_row(project: DevelopmentProject, refs: Refs) -> Row:
    return {
        "external_id": project.external_id,
        "country": project.country,
        "district_id": refs.areas.id_of(project.district),
        "name": project.name,
        "kind": project.kind.value,
        "owner": project.owner,
        "priority": project.priority,
        "people_benefiting": project.people_benefiting,
        "planned_start": project.planned_start,
        "buffer_m": project.buffer_m,
        "notes": project.notes,
        "geometry": project.geometry,
        **bbox_columns(project.geometry),
    }


def _project_from(row: Mapping[str, Any], refs: Refs) -> DevelopmentProject:
    return DevelopmentProject(
        external_id=row["external_id"],
        country=row["country"],
        district=refs.areas.key_by_id[row["district_id"]],
        name=row["name"],
        kind=ProjectKind(row["kind"]),
        priority=row["priority"],
        buffer_m=row["buffer_m"],
        owner=row["owner"],
        people_benefiting=row["people_benefiting"],
        planned_start=row["planned_start"],
        notes=row["notes"],
        geometry=row["geometry"],
    )


PROJECT_MAPPINGS: dict[type, TableMapping[Any]] = {
    DevelopmentProject: TableMapping(
        schema.development_projects,
        "external_id",
        lambda p: p.external_id,
        _project_row,
        _project_from,
    ),
}
