"""A server process's job runner: one worker thread, the jobs' rows kept current.

The row of a job is the truth every process reads: the runner writes its state when it
starts and ends, and its progress while it runs, each in a short transaction of its own
beside the work's one transaction. A job's uploaded file waits in a folder of its own
(named by the job's id, under the jobs directory) until the job ends, then is removed.

When a job's row stops saying ``running`` while its work still runs (a new server start
marked it interrupted), the next progress report raises :class:`JobInterrupted` inside
the work, whose transaction is then rolled back: an interrupted job writes nothing.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demine.domain.jobs import Job, JobState, new_job_id
from demine.errors import DemineError, ImportRejected
from demine.i18n import _
from demine.store import jobs as rows
from demine.store.engine import Store

log = logging.getLogger(__name__)

#: Where a job's progress is kept beside its uploaded file when the database cannot take
#: it while the work runs (SQLite). An upload's name never starts with a dot.
PROGRESS_FILE = ".progress.json"

Progress = Callable[[int, int], None]
#: A job's work: given the store, the job, its folder and a progress callback, the job's
#: report. It writes in one transaction of its own, and fails by raising.
Work = Callable[[Store, Job, Path, Progress], Mapping[str, Any]]


class JobInterrupted(Exception):
    """The job's row no longer says ``running``: its work must stop and roll back."""


def _now() -> datetime:
    return datetime.now(UTC)


class _Reporter:
    """The progress callback of one running job."""

    def __init__(self, store: Store, job_id: str, folder: Path) -> None:
        self.store, self.job_id, self.folder = store, job_id, folder
        self.done = self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if rows.progress_in_database(self.store):
            running = rows.record_progress(self.store, self.job_id, done, total)
        else:
            _write_progress(self.folder, done, total)
            running = rows.is_running(self.store, self.job_id)
        if not running:
            raise JobInterrupted(self.job_id)


def _write_progress(folder: Path, done: int, total: int) -> None:
    """Replace the progress file whole, so that a reader never sees half of it."""
    partial = folder / f"{PROGRESS_FILE}.partial"
    partial.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    os.replace(partial, folder / PROGRESS_FILE)


def _read_progress(folder: Path) -> tuple[int, int] | None:
    try:
        figures = json.loads((folder / PROGRESS_FILE).read_text(encoding="utf-8"))
        return int(figures["done"]), int(figures["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class JobRunner:
    """The jobs one server process runs, one at a time, and reads of anyone's jobs."""

    def __init__(self, store: Store, directory: Path) -> None:
        self.store = store
        self.directory = directory
        # One at a time: a job's work is one write transaction, and SQLite has one writer.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demine-job")

    def folder(self, job_id: str) -> Path:
        """The folder that holds ``job_id``'s files while it waits and runs."""
        return self.directory / job_id

    def prepare(self) -> tuple[str, Path]:
        """A new job's id and its (created, empty) folder, for its upload."""
        job_id = new_job_id()
        folder = self.folder(job_id)
        folder.mkdir(parents=True)
        return job_id, folder

    def discard(self, job_id: str) -> None:
        """Remove ``job_id``'s folder and whatever it holds."""
        shutil.rmtree(self.folder(job_id), ignore_errors=True)

    def submit(self, job: Job, work: Work) -> Job:
        """Write ``job`` (queued) and queue its ``work``; the job's folder goes when it ends."""
        try:
            rows.add_job(self.store, job)
        except BaseException:
            self.discard(job.id)
            raise
        self._worker.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job as its row says, whichever process runs it (or ran it)."""
        with self.store.read() as connection:
            job = rows.get_job(connection, job_id)
        return None if job is None else self._with_progress(job)

    def recent(self, kind: str, *, owner: str | None = None) -> list[Job]:
        """The newest jobs of ``kind`` (only ``owner``'s when given), newest first."""
        with self.store.read() as connection:
            found = rows.recent_jobs(connection, kind, owner=owner)
        return [self._with_progress(job) for job in found]

    def _with_progress(self, job: Job) -> Job:
        """``job`` with the progress its runner keeps outside the database (SQLite)."""
        if job.state is not JobState.RUNNING or rows.progress_in_database(self.store):
            return job
        progress = _read_progress(self.folder(job.id))
        if progress is None:
            return job
        return replace(job, done=progress[0], total=progress[1])

    def interrupt_unfinished(self) -> list[str]:
        """At a server start: mark jobs left queued or running interrupted, remove their
        files and those left by finished jobs; the interrupted jobs' ids."""
        interrupted = rows.interrupt_unfinished(self.store, _now())
        for job_id in interrupted:
            # How far it got, when that was kept beside its upload (SQLite).
            progress = _read_progress(self.folder(job_id))
            if progress is not None:
                rows.record_progress(self.store, job_id, *progress, state=JobState.INTERRUPTED)
            self.discard(job_id)
        if interrupted:
            log.warning("jobs interrupted by the last server stop: %s", ", ".join(interrupted))
        self._remove_leftovers()
        return interrupted

    def _remove_leftovers(self) -> None:
        """Folders of finished jobs of this database (a process stopped before removing
        them); folders of other databases' jobs, which may share the directory, stay."""
        if not self.directory.is_dir():
            return
        with self.store.read() as connection:
            for folder in self.directory.iterdir():
                job = rows.get_job(connection, folder.name)
                if job is not None and job.state.finished:
                    shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Let queued jobs finish, then stop the worker (before the store is closed)."""
        self._worker.shutdown(wait=True)

    def _run(self, job: Job, work: Work) -> None:
        folder = self.folder(job.id)
        try:
            if rows.start_job(self.store, job.id, _now()):
                self._work(job, work, folder)
            else:
                log.warning("job %s was interrupted before it started", job.id)
        except Exception:  # the database went away: the next start marks the job
            log.exception("job %s: its state could not be written", job.id)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _work(self, job: Job, work: Work, folder: Path) -> None:
        reporter = _Reporter(self.store, job.id, folder)

        def finish(state: JobState, **outcome: Any) -> None:
            done, total = reporter.done, reporter.total
            rows.finish_job(self.store, job.id, state, _now(), done=done, total=total, **outcome)

        try:
            report = work(self.store, job, folder, reporter)
        except JobInterrupted:
            log.warning("job %s stopped: it was marked interrupted; nothing was written", job.id)
        except ImportRejected as error:
            finish(JobState.FAILED, errors=error.problems, message=error.message)
        except DemineError as error:
            finish(JobState.FAILED, message=error.message)
        except Exception as error:  # no failure of one job may stop the runner
            log.exception("job %s (%s) failed", job.id, job.kind)
            finish(JobState.FAILED, message=_("The job failed: {error}").format(error=error))
        else:
            finish(JobState.SUCCEEDED, report=report)
