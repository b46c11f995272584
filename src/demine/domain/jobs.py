"""Background work (an import of an uploaded file, and any later kind of job).

A job is a row of the database, not an object in one server's memory: any server
process answers for any job, and a job whose process stopped is found at the next
start and marked interrupted. Its work runs in one transaction of its own, which a
stopped process never committed, so an interrupted job wrote nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed, require
from demine.errors import Problem
from demine.i18n import _


class JobState(StrEnum):
    """Where a job is: queued → running → succeeded | failed, or interrupted."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    #: The server stopped before the job ended; its transaction was never committed.
    INTERRUPTED = "interrupted"

    @property
    def finished(self) -> bool:
        return self not in UNFINISHED


#: States of a job some process still means to run; none survives a server start.
UNFINISHED = frozenset({JobState.QUEUED, JobState.RUNNING})


@dataclass(frozen=True)
class Job:
    """One piece of background work and what came of it."""

    id: str
    #: What sort of work: ``import`` (the only one so far).
    kind: str
    state: JobState
    owner: str
    country: str
    created_at: datetime
    #: The uploaded file's name (without any folder), when the job works on one.
    file_name: str | None = None
    #: What the job was asked to do (for an import: the record kind, dry run or not).
    parameters: Mapping[str, Any] = field(default_factory=dict)
    done: int = 0
    total: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    #: What a succeeded job did (for an import: its report).
    report: Mapping[str, Any] | None = None
    #: Every problem found in the input, with its file, row and field.
    errors: Sequence[Problem] = ()
    #: Why a failed job failed, in words.
    message: str | None = None

    def explanation(self) -> str | None:
        """What a person should know about how the job ended, in words."""
        if self.state is JobState.INTERRUPTED:
            return interrupted_message()
        return self.message


def new_job_id() -> str:
    """An identifier nobody can guess from another (it is all that names a job in a URL)."""
    return uuid.uuid4().hex


def interrupted_message() -> str:
    return _(
        "The server stopped while this job was waiting or running. Its work was rolled "
        "back, so nothing of it was written: start it again."
    )


def sees_every_job(principal: Principal | None) -> bool:
    """Information managers and administrators follow everyone's jobs; others their own."""
    return allowed(principal, Permission.APPROVE)


def require_job_access(principal: Principal | None, job: Job) -> Principal:
    """``principal``, if it may follow ``job``; otherwise :class:`~demine.errors.Forbidden`."""
    if principal is not None and principal.name == job.owner:
        return principal
    return require(principal, Permission.APPROVE, _("follow other people's jobs"))
