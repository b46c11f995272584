"""Which development projects need a task's hazards, as ``demine analyse projects``
ranks them: the task's priority may follow from theirs when it has none of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demine.analysis.landrelease.read import Register, default_as_of
from demine.analysis.projects.analysis import analyse_projects
from demine.store.reader import RegisterReader


@dataclass(frozen=True)
class ProjectNeed:
    """A project whose footprint holds some of the task's hazards, and its ranking."""

    project: str
    name: str
    rank: int
    priority: int
    hazards: tuple[str, ...]


def projects_needing(
    reader: RegisterReader, register: Register, hazards: tuple[str, ...], planned_start: date
) -> list[ProjectNeed]:
    """The ranked projects (best first) whose footprints hold one of ``hazards``, as
    assessed on the task's planned start (or the register's last activity day before)."""
    as_of = default_as_of(reader, planned_start)
    analysis = analyse_projects(reader, as_of, register=register)
    needs = []
    for ranked in analysis.ranked:
        project = ranked.assessment.project
        inside = tuple(h.key for h in ranked.assessment.hazards if h.key in hazards)
        if inside:
            needs.append(
                ProjectNeed(
                    project.external_id, project.name, ranked.rank, project.priority, inside
                )
            )
    return sorted(needs, key=lambda n: n.rank)


def suggested_priority(needs: list[ProjectNeed]) -> int | None:
    """The most urgent priority of the projects needing the task's hazards (None: none)."""
    return min((n.priority for n in needs), default=None)
