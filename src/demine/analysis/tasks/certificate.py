"""The land release certificate of a completed task: the area released by method.

Released land is what the task's linked activities cancelled by non-technical survey,
reduced by technical survey and cleared, counted from live (approved, undeleted)
activities only; a draft activity does not release land until it is approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from demine.analysis.landrelease.read import load_register
from demine.analysis.tasks.dossier import task_of
from demine.domain.entities import Activity, HazardArea
from demine.domain.tasks import Task
from demine.domain.vocab import TaskStatus
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads import tasks as reads

#: How land is released (IMAS 07.11), in the order a certificate lists it.
RELEASE_METHODS = ("cancelled", "reduced", "cleared")


@dataclass(frozen=True)
class ReleaseCertificate:
    task: Task
    hazards: list[HazardArea]
    #: The task's live activities, by key.
    activities: list[Activity]
    #: m² released by each of :data:`RELEASE_METHODS`.
    released_m2: dict[str, float]
    #: In the reader's language (a certificate is read by people).
    district_name: str
    operator_name: str

    @property
    def total_m2(self) -> float:
        return sum(self.released_m2.values())


def released_by_method(activities: list[Activity]) -> dict[str, float]:
    """m² cancelled, reduced and cleared by ``activities``."""
    return {
        "cancelled": sum(a.area_cancelled_m2 for a in activities),
        "reduced": sum(a.area_reduced_m2 for a in activities),
        "cleared": sum(a.area_cleared_m2 for a in activities),
    }


def release_certificate(reader: RegisterReader, key: str) -> ReleaseCertificate:
    """The certificate of task ``key``; refused unless the task is completed."""
    register = load_register(reader)
    refs = register.refs
    task = task_of(reader, key, refs)
    if task.status is not TaskStatus.COMPLETED:
        raise InvalidRequestError(
            _(
                "task {key} is {status}: a land release certificate is issued only for a "
                "completed task"
            ).format(key=key, status=task.status.value)
        )
    activities: list[Activity] = reads.by_keys(reader, "activities", task.activities, refs)
    organisations = reads.by_keys(reader, "organisations", [task.organisation], refs)
    return ReleaseCertificate(
        task=task,
        hazards=reads.by_keys(reader, "hazards", task.hazards, refs),
        activities=activities,
        released_m2=released_by_method(activities),
        district_name=register.names.shown(task.district),
        operator_name=organisations[0].name if organisations else task.organisation,
    )
