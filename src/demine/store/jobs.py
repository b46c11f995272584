"""Jobs as rows: added, started, told of progress, finished or interrupted, read back.

Every write here is a short transaction of its own, never the job's work transaction:
a job's state must be readable by other processes while its work is still uncommitted.
Writes made by a job's worker thread wait patiently for SQLite's one writer (another
process's import may hold it for minutes); a request never waits past the busy timeout.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import OperationalError

from demine.domain.jobs import UNFINISHED, Job, JobState
from demine.errors import Problem
from demine.store import schema
from demine.store.engine import Store

log = logging.getLogger(__name__)

_table = schema.jobs
_ID = re.compile(r"[0-9a-f]{32}")
#: Times a worker thread tries a job-state write that finds SQLite busy (each attempt
#: waits the connection's busy timeout, 30 s): ten minutes in all.
PATIENCE = 20
#: Jobs listed on a page.
RECENT_JOBS = 20

T = TypeVar("T")


def progress_in_database(store: Store) -> bool:
    """Whether a job's progress can be written beside its running work.

    PostgreSQL lets the progress row be updated while the work's own transaction is
    open. SQLite has one writer, held by that very transaction (``BEGIN IMMEDIATE``)
    until it ends: there the progress is kept beside the uploaded file instead.
    """
    return store.is_postgis


def default_jobs_directory(store: Store) -> Path:
    """Where uploaded files wait for their jobs when no folder is configured.

    Beside a SQLite file (``demine.db-jobs``), which every worker of a server shares;
    for a server database, a folder in the system's temporary directory.
    """
    database = store.engine.url.database
    if store.dialect == "sqlite" and database and database != ":memory:":
        path = Path(database).resolve()
        return path.with_name(f"{path.name}-jobs")
    return Path(tempfile.gettempdir()) / "demine-jobs"


def _problems(raw: Any) -> tuple[Problem, ...]:
    return tuple(
        Problem(str(p["file"]), p.get("row"), p.get("field"), str(p["reason"])) for p in raw or ()
    )


def _job(row: Any) -> Job:
    values = row._mapping
    return Job(
        id=values["id"],
        kind=values["kind"],
        state=JobState(values["state"]),
        owner=values["owner"],
        country=values["country"],
        created_at=values["created_at"],
        file_name=values["file_name"],
        parameters=dict(values["parameters"] or {}),
        done=values["done"],
        total=values["total"],
        started_at=values["started_at"],
        finished_at=values["finished_at"],
        report=values["report"],
        errors=_problems(values["errors"]),
        message=values["message"],
    )


def _problem_rows(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "row": p.row, "field": p.field, "reason": p.reason} for p in problems]


def add_job(store: Store, job: Job) -> None:
    """Write a new job (queued) in a transaction of its own."""
    with store.write() as connection:
        connection.execute(
            insert(_table).values(
                id=job.id,
                kind=job.kind,
                state=job.state.value,
                owner=job.owner,
                country=job.country,
                file_name=job.file_name,
                parameters=dict(job.parameters),
                done=job.done,
                total=job.total,
                created_at=job.created_at,
                started_at=job.started_at,
                finished_at=job.finished_at,
                report=None if job.report is None else dict(job.report),
                errors=_problem_rows(job.errors),
                message=job.message,
            )
        )


def get_job(connection: Connection, job_id: str) -> Job | None:
    """The job ``job_id``, or None (also for a string that cannot name a job)."""
    if not _ID.fullmatch(job_id):
        return None
    row = connection.execute(select(_table).where(_table.c.id == job_id)).first()
    return None if row is None else _job(row)


def recent_jobs(
    connection: Connection, kind: str, *, owner: str | None = None, limit: int = RECENT_JOBS
) -> list[Job]:
    """The newest jobs of ``kind`` (only ``owner``'s when given), newest first."""
    query = select(_table).where(_table.c.kind == kind)
    if owner is not None:
        query = query.where(_table.c.owner == owner)
    query = query.order_by(_table.c.created_at.desc(), _table.c.id).limit(limit)
    return [_job(row) for row in connection.execute(query)]


def _patiently(store: Store, write: Callable[[Connection], T]) -> T:
    """Run ``write`` in a transaction of its own, trying again while SQLite is busy."""
    attempt = 1
    while True:
        try:
            with store.write() as connection:
                return write(connection)
        except OperationalError as error:
            if store.is_postgis or "locked" not in str(error) or attempt >= PATIENCE:
                raise
            log.info("database busy; a job's state waits to be written (attempt %d)", attempt)
            attempt += 1


def _move(
    store: Store, job_id: str, from_states: frozenset[JobState], values: Mapping[str, Any]
) -> bool:
    """Set ``values`` on the job if it is in one of ``from_states``; whether it was."""

    def write(connection: Connection) -> bool:
        changed = connection.execute(
            update(_table)
            .where(_table.c.id == job_id, _table.c.state.in_([s.value for s in from_states]))
            .values(**values)
        )
        return bool(changed.rowcount)

    return _patiently(store, write)


def start_job(store: Store, job_id: str, now: datetime) -> bool:
    """Mark a queued job running; False when it is no longer queued (interrupted)."""
    values = {"state": JobState.RUNNING.value, "started_at": now}
    return _move(store, job_id, frozenset({JobState.QUEUED}), values)


def record_progress(
    store: Store, job_id: str, done: int, total: int, *, state: JobState = JobState.RUNNING
) -> bool:
    """Write the progress of a job in ``state``; False when it is in another state.

    While the job runs, only where :func:`progress_in_database` (see there for SQLite).
    """
    return _move(store, job_id, frozenset({state}), {"done": done, "total": total})


def is_running(store: Store, job_id: str) -> bool:
    """Whether the job still counts as running (a read: it never waits for a writer)."""
    with store.read() as connection:
        state = connection.execute(select(_table.c.state).where(_table.c.id == job_id)).scalar()
    return state == JobState.RUNNING.value


def finish_job(
    store: Store,
    job_id: str,
    state: JobState,
    now: datetime,
    *,
    done: int,
    total: int,
    report: Mapping[str, Any] | None = None,
    errors: Sequence[Problem] = (),
    message: str | None = None,
) -> bool:
    """Record how a running job ended; False when it was interrupted meanwhile."""
    values = {
        "state": state.value,
        "finished_at": now,
        "done": done,
        "total": total,
        "report": None if report is None else dict(report),
        "errors": _problem_rows(errors),
        "message": message,
    }
    return _move(store, job_id, frozenset({JobState.RUNNING}), values)


def interrupt_unfinished(store: Store, now: datetime) -> list[str]:
    """Mark every queued or running job interrupted (at a server start); their ids."""
    unfinished = [state.value for state in UNFINISHED]
    query = select(_table.c.id).where(_table.c.state.in_(unfinished))
    # Read first: a server that finds nothing to mark (the usual start) writes nothing,
    # and so starts on a database it may only read.
    with store.read() as connection:
        if connection.execute(query.limit(1)).first() is None:
            return []

    def write(connection: Connection) -> list[str]:
        ids = list(connection.execute(query).scalars().all())
        connection.execute(
            update(_table)
            .where(_table.c.id.in_(ids), _table.c.state.in_(unfinished))
            .values(state=JobState.INTERRUPTED.value, finished_at=now)
        )
        return ids

    return _patiently(store, write)
