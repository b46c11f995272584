"""A task's dossier: what its team needs to know before going on the ground.

The hazards it names (map, evidence, status history), the activities already done on
them or nearby before the task, the accidents and the handed-over minefield records
around them, and the task's own safety notes. Only live records count; free text that
may name people stays withheld (:mod:`demine.domain.withheld`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from demine.analysis.landrelease.read import load_register
from demine.analysis.records.projection import project, search_box, utm_epsg
from demine.analysis.tasks.priority import ProjectNeed, projects_needing
from demine.domain.entities import Accident, Activity, HazardArea, HazardStatusChange
from demine.domain.places import shown_names
from demine.domain.records import MinefieldRecord
from demine.domain.tasks import DEFAULT_NEARBY_M, Task
from demine.errors import NotFoundError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads import tasks as reads
from demine.store.spatial import BBox


@dataclass(frozen=True)
class Nearby:
    """A record around the task's hazards, and how far it lies from them."""

    record: Any
    distance_m: float


@dataclass(frozen=True)
class TaskDossier:
    task: Task
    hazards: list[HazardArea]
    changes: list[HazardStatusChange]
    #: Activities before the task's planned start, on its hazards or nearby.
    earlier_activities: list[Nearby]
    accidents: list[Nearby]
    #: Handed-over minefield records whose declared area meets the hazards.
    records: list[MinefieldRecord]
    district_names: Mapping[str, str]
    nearby_m: float
    #: Development projects needing the hazards, as ``demine analyse projects`` ranks them.
    projects: list[ProjectNeed]

    @property
    def area(self) -> BaseGeometry | None:
        """The task's area: its own geometry, else its hazards' together."""
        if self.task.geometry is not None:
            return self.task.geometry
        shapes = [h.geometry for h in self.hazards if h.geometry is not None]
        return shapely.union_all(shapes) if shapes else None

    def district_name(self, code: str) -> str:
        """The district's name in the reader's language (a dossier is read by people)."""
        return shown_names(self.district_names).get(code, code)


def task_of(reader: RegisterReader, key: str, refs: Any) -> Task:
    """The live task ``key``; :class:`NotFoundError` when there is none."""
    found = reads.by_keys(reader, "tasks", [key], refs)
    if not found:
        raise NotFoundError(_("no task '{key}' in the register").format(key=key))
    task: Task = found[0]
    return task


def _measured(records: list[Any], area: BaseGeometry, epsg: int, nearby_m: float) -> list[Nearby]:
    """``records`` with a geometry within ``nearby_m`` of ``area``, nearest first."""
    metric_area = project(area, epsg)
    found = []
    for record in records:
        if record.geometry is None:
            continue
        distance = float(metric_area.distance(project(record.geometry, epsg)))
        if distance <= nearby_m:
            found.append(Nearby(record, distance))
    return sorted(found, key=lambda n: (n.distance_m, n.record.external_id))


def task_dossier(
    reader: RegisterReader, key: str, nearby_m: float = DEFAULT_NEARBY_M
) -> TaskDossier:
    """The dossier of task ``key`` from the reader's live register."""
    register = load_register(reader)
    refs = register.refs
    task = task_of(reader, key, refs)
    hazards: list[HazardArea] = reads.by_keys(reader, "hazards", task.hazards, refs)
    changes: list[HazardStatusChange] = sorted(
        reads.referring_to(reader, "hazard-changes", "hazard", task.hazards, refs),
        key=lambda c: (c.changed_on, c.external_id),
    )
    on_hazards: list[Activity] = reads.referring_to(
        reader, "activities", "hazard", task.hazards, refs
    )
    earlier: list[Nearby] = [Nearby(a, 0.0) for a in on_hazards if a.end_date < task.planned_start]
    accidents: list[Nearby] = []
    records: list[MinefieldRecord] = []
    dossier_area = task.geometry or _union([h.geometry for h in hazards])
    if dossier_area is not None:
        centre = dossier_area.centroid
        epsg = utm_epsg(centre.x, centre.y)
        box = BBox(*search_box(dossier_area.bounds, nearby_m))
        seen = {a.external_id for a in on_hazards}
        around: list[Activity] = [
            a for a in reads.in_box(reader, "activities", box, refs)
            if a.external_id not in seen and a.end_date < task.planned_start
        ]  # fmt: skip
        earlier += _measured(around, dossier_area, epsg, nearby_m)
        located: list[Accident] = reads.in_box(reader, "accidents", box, refs)
        accidents = _measured(located, dossier_area, epsg, nearby_m)
        records = [
            r for r in reads.in_box(reader, "minefield-records", BBox(*dossier_area.bounds), refs)
            if r.geometry is not None and r.geometry.intersects(dossier_area)
        ]  # fmt: skip
    return TaskDossier(
        task=task,
        hazards=hazards,
        changes=changes,
        earlier_activities=sorted(earlier, key=lambda n: (_end(n.record), n.record.external_id)),
        accidents=accidents,
        records=records,
        district_names=register.names,
        nearby_m=nearby_m,
        projects=projects_needing(reader, register, task.hazards, task.planned_start),
    )


def _end(activity: Activity) -> date:
    return activity.end_date


def _union(shapes: list[BaseGeometry | None]) -> BaseGeometry | None:
    present = [s for s in shapes if s is not None]
    return shapely.union_all(present) if present else None
