"""Task orders and the accreditations that allow an operator to carry them out.

A mine action centre tasks an accredited operator's team to survey or clear one or
more hazardous areas by a method, between a planned start and a due date. A task moves
from planned to issued, in progress and completed (or is suspended, or cancelled), and
names the activities that carried it out. An operator may be issued a task only while
it holds an accreditation for the task's method covering the task's dates (IMAS 07.30).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from demine.domain.custom_values import Extensible
from demine.domain.rules import (
    POLYGONAL,
    PUNCTUAL,
    FieldProblem,
    RegisterLookup,
    RuleContext,
    check_geometry,
)
from demine.domain.vocab import TaskAsset, TaskMethod, TaskStatus
from demine.i18n import _

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Priorities run from 1 (most urgent) to 5 (least), as development projects' do.
HIGHEST_PRIORITY = 1
LOWEST_PRIORITY = 5

#: The statuses a task may move to from each status (staying is always allowed).
NEXT_STATUSES: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.PLANNED: frozenset({TaskStatus.ISSUED, TaskStatus.CANCELLED}),
    TaskStatus.ISSUED: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED, TaskStatus.CANCELLED}
    ),
    TaskStatus.IN_PROGRESS: frozenset(
        {TaskStatus.COMPLETED, TaskStatus.SUSPENDED, TaskStatus.CANCELLED}
    ),
    TaskStatus.SUSPENDED: frozenset(
        {TaskStatus.ISSUED, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED}
    ),
    TaskStatus.COMPLETED: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}

#: How far around a task's hazards its dossier shows earlier activities and accidents.
DEFAULT_NEARBY_M = 2_000.0

#: Statuses in which the operator holds the task: its accreditation must cover it.
HELD_STATUSES = frozenset({TaskStatus.ISSUED, TaskStatus.IN_PROGRESS})


@dataclass(frozen=True)
class Accreditation(Extensible):
    """An operator's accreditation for one method, valid from one day to another."""

    external_id: str
    organisation: str
    method: TaskMethod
    valid_from: date
    valid_until: date
    reference: str | None = None

    def covers(self, start: date, end: date) -> bool:
        return self.valid_from <= start and end <= self.valid_until


@dataclass(frozen=True)
class Task(Extensible):
    """A task order: which hazards, by which method, by whom, when, and how it stands."""

    external_id: str
    country: str
    district: str
    organisation: str
    method: TaskMethod
    status: TaskStatus
    planned_start: date
    due_date: date
    hazards: tuple[str, ...] = ()
    team: str | None = None
    assets: tuple[TaskAsset, ...] = ()
    priority: int | None = None
    activities: tuple[str, ...] = ()
    safety_notes: str | None = None
    geometry: BaseGeometry | None = None


def can_move(current: TaskStatus, new: TaskStatus) -> bool:
    """Whether a task in ``current`` status may be put in ``new`` status."""
    return new is current or new in NEXT_STATUSES[current]


def check_accreditation(accreditation: Accreditation, context: RuleContext) -> list[FieldProblem]:
    if accreditation.valid_until < accreditation.valid_from:
        return [
            (
                "valid_until",
                _("valid until {until} is before valid from {start}").format(
                    until=accreditation.valid_until.isoformat(),
                    start=accreditation.valid_from.isoformat(),
                ),
            )
        ]
    return []


def check_task(task: Task, context: RuleContext) -> list[FieldProblem]:
    """A task's own rules: dates in order, a priority of 1–5, at least one hazard, a
    completed task names its activities, and a valid geometry."""
    problems: list[FieldProblem] = []
    if task.due_date < task.planned_start:
        problems.append(
            (
                "due_date",
                _("due date {due} is before the planned start {start}").format(
                    due=task.due_date.isoformat(), start=task.planned_start.isoformat()
                ),
            )
        )
    if task.priority is not None and not HIGHEST_PRIORITY <= task.priority <= LOWEST_PRIORITY:
        problems.append(
            (
                "priority",
                _("priority {priority} is not between {most} (most urgent) and {least}").format(
                    priority=task.priority, most=HIGHEST_PRIORITY, least=LOWEST_PRIORITY
                ),
            )
        )
    if not task.hazards:
        problems.append(("hazards", _("a task names at least one hazard area")))
    if task.status is TaskStatus.COMPLETED and not task.activities:
        problems.append(("activities", _("a completed task names the activities that did it")))
    problems += check_geometry("geometry", task.geometry, context, (*POLYGONAL, *PUNCTUAL))
    return problems


def check_task_in_register(task: Task, register: RegisterLookup) -> list[FieldProblem]:
    """The rules a task meets against the rest of the register: its status follows
    from the stored one, and an issued or ongoing task's operator is accredited."""
    problems: list[FieldProblem] = []
    stored = register.stored_record("tasks", task.external_id)
    if isinstance(stored, Task) and not can_move(stored.status, task.status):
        allowed = ", ".join(sorted(s.value for s in NEXT_STATUSES[stored.status])) or _("none")
        problems.append(
            (
                "status",
                _("a {current} task cannot become {new} (allowed: {allowed})").format(
                    current=stored.status.value, new=task.status.value, allowed=allowed
                ),
            )
        )
    if task.status in HELD_STATUSES:
        accreditations = register.live_records("accreditations", "organisation", task.organisation)
        problem = accreditation_problem(
            task, [a for a in accreditations if isinstance(a, Accreditation)]
        )
        if problem is not None:
            problems.append(("organisation", problem))
    return problems


def accreditation_problem(task: Task, accreditations: list[Accreditation]) -> str | None:
    """Why ``task`` cannot be held by its operator, given the operator's accreditations
    (None when one of them, for the task's method, covers the task's dates)."""
    of_method = [a for a in accreditations if a.method is task.method]
    if any(a.covers(task.planned_start, task.due_date) for a in of_method):
        return None
    words = {
        "operator": task.organisation,
        "method": task.method.value,
        "start": task.planned_start.isoformat(),
        "due": task.due_date.isoformat(),
        "status": task.status.value,
    }
    if not of_method:
        return _(
            "operator {operator} holds no accreditation for {method}: the task cannot be {status}"
        ).format(**words)
    latest = max(of_method, key=lambda a: a.valid_until)
    return _(
        "operator {operator}'s accreditation for {method} ({reference}) runs from {valid_from} "
        "and expires on {expiry}: it does not cover the task from {start} to {due}, which "
        "cannot be {status}"
    ).format(
        **words,
        reference=latest.reference or latest.external_id,
        valid_from=latest.valid_from.isoformat(),
        expiry=latest.valid_until.isoformat(),
    )
