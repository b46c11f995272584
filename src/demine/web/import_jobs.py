"""Imports started from the web page, run one at a time in the background.

A large file takes minutes to check, longer than a browser should wait on one request:
the upload answers at once with a job, and the page polls the job for its progress and,
at the end, the import's report or every problem found. Jobs live in the server's
memory (a restart forgets them; the imports themselves are in the database).
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demine.errors import DemineError, ImportRejected
from demine.i18n import _
from demine.ingest.importer import ImportReport, import_file
from demine.store.engine import Store

log = logging.getLogger(__name__)

#: Finished jobs kept for their reports; the oldest are forgotten first.
KEPT_JOBS = 100


@dataclass
class ImportJob:
    id: str
    owner: str
    kind: str
    file_name: str
    dry_run: bool
    state: str = "queued"  # queued → running → done | failed
    done: int = 0
    total: int = 0
    report: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    message: str | None = None

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "report": self.report,
            "problems": self.problems,
            "message": self.message,
        }


def report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "file_name": report.file_name,
        "rows": report.rows,
        "inserted": report.counts.inserted,
        "updated": report.counts.updated,
        "unchanged": report.counts.unchanged,
        "dry_run": report.dry_run,
        "batch_id": report.batch_id,
        "notes": report.notes,
    }


class ImportJobs:
    """The jobs of one web application, and the one worker thread that runs them."""

    def __init__(self, max_rows: int | None = None) -> None:
        #: Files of more rows are refused (DEMINE_MAX_IMPORT_ROWS).
        self.max_rows = max_rows
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()
        # One at a time: imports write in one transaction, and SQLite has one writer.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demine-import")

    def start(
        self, store: Store, path: Path, *, kind: str, owner: str, country: str, dry_run: bool
    ) -> ImportJob:
        """Queue the import of ``path`` (whose folder is removed when the job ends)."""
        job = ImportJob(secrets.token_urlsafe(12), owner, kind, path.name, dry_run)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEPT_JOBS:
                self._jobs.pop(next(iter(self._jobs)))
        self._worker.submit(_run, job, store, path, country, self.max_rows)
        return job

    def get(self, job_id: str) -> ImportJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Let queued imports finish, then stop the worker (before the store is closed)."""
        self._worker.shutdown(wait=True)


def _run(job: ImportJob, store: Store, path: Path, country: str, max_rows: int | None) -> None:
    job.state = "running"
    try:
        report = import_file(
            store, job.kind, path, country=country, dry_run=job.dry_run, progress=job.progress,
            max_rows=max_rows,
        )  # fmt: skip
    except ImportRejected as error:
        job.problems = [
            {"file": p.file, "row": p.row, "field": p.field, "reason": p.reason}
            for p in error.problems
        ]
        job.message, job.state = error.message, "failed"
    except DemineError as error:
        job.message, job.state = error.message, "failed"
    except Exception as error:  # a file no reader understands must not kill the worker
        log.exception("import of %s failed", job.file_name)
        job.message = _("The file could not be read: {error}").format(error=error)
        job.state = "failed"
    else:
        job.report, job.state = report_json(report), "done"
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
