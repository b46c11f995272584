"""The import of an uploaded file, as a job: checked and written all or nothing.

A large file takes minutes to check, longer than a browser should wait on one request:
the upload answers at once with a job, and the page polls the job for its progress and,
at the end, the import's report or every problem found.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demine.domain.jobs import Job, JobState
from demine.domain.kinds import KINDS, Kind
from demine.errors import DemineError, InvalidRequestError
from demine.i18n import _
from demine.ingest.importer import ImportReport, import_file
from demine.jobs.runner import JobInterrupted, JobRunner, Progress
from demine.store.engine import Store

log = logging.getLogger(__name__)

#: The ``kind`` of an import job.
IMPORT = "import"


def report_json(report: ImportReport) -> dict[str, Any]:
    """What an import did, as a job's report keeps it."""
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


def start_import(
    runner: JobRunner,
    job_id: str,
    path: Path,
    *,
    kind: str,
    owner: str,
    country: str,
    dry_run: bool,
    max_rows: int | None = None,
    kinds: Mapping[str, Kind] = KINDS,
) -> Job:
    """Queue the import of ``path``, an upload saved in the folder of ``job_id``
    (see :meth:`JobRunner.prepare`, perhaps unpacked there from a zip archive), as
    records of ``kind`` (of ``kinds``, as the programme's fields file extends them); a
    file of more than ``max_rows`` rows is refused."""
    job = Job(
        id=job_id,
        kind=IMPORT,
        state=JobState.QUEUED,
        owner=owner,
        country=country,
        created_at=datetime.now(UTC),
        file_name=path.relative_to(runner.folder(job_id)).as_posix(),
        parameters={"kind": kind, "dry_run": dry_run, "max_rows": max_rows},
    )
    return runner.submit(job, functools.partial(run_import, kinds=kinds))


def run_import(
    store: Store,
    job: Job,
    folder: Path,
    progress: Progress,
    kinds: Mapping[str, Kind] = KINDS,
) -> Mapping[str, Any]:
    """Import the job's file from ``folder``; its report (problems are raised)."""
    try:
        report = import_file(
            store,
            str(job.parameters["kind"]),
            folder / str(job.file_name),
            country=job.country,
            dry_run=bool(job.parameters.get("dry_run")),
            progress=progress,
            max_rows=_optional_int(job.parameters.get("max_rows")),
            kinds=kinds,
        )
    except (DemineError, JobInterrupted):
        raise
    except Exception as error:  # a file no reader understands fails its job, with why
        log.exception("import of %s failed", job.file_name)
        raise InvalidRequestError(
            _("The file could not be read: {error}").format(error=error)
        ) from error
    return report_json(report)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)
