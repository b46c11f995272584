"""Uploading a file to import (information managers), and following the import's progress.

The import is a job (:mod:`demine.jobs.imports`), a row of the database: any server
process answers for it, and after a restart it says it was interrupted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.jobs import Job, JobState, require_job_access
from demine.errors import Forbidden, NotFoundError, UploadTooLarge
from demine.i18n import _
from demine.ingest.uploads import UploadLimits, checked_upload
from demine.jobs import imports
from demine.jobs.runner import JobRunner
from demine.settings import MB
from demine.web.auth import current_principal
from demine.web.openapi_responses import EVERY_ROUTE, body, errors, header
from demine.web.response_models import ImportJob, ImportStarted
from demine.web.routes_api import Kind

router = APIRouter(prefix="/api/imports", tags=["Imports"], responses=EVERY_ROUTE)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]

_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


#: The API has said ``done`` of a finished import since before jobs had rows.
_API_STATES = {JobState.SUCCEEDED: "done"}


def jobs(request: Request) -> JobRunner:
    runner = request.app.state.jobs
    assert isinstance(runner, JobRunner)
    return runner


def import_job_json(job: Job) -> dict[str, Any]:
    """An import job as the API answers it."""
    return {
        "id": job.id,
        "kind": job.parameters.get("kind"),
        "file_name": job.file_name,
        "dry_run": bool(job.parameters.get("dry_run")),
        "state": _API_STATES.get(job.state, job.state.value),
        "done": job.done,
        "total": job.total,
        "report": None if job.report is None else dict(job.report),
        "problems": [
            {"file": p.file, "row": p.row, "field": p.field, "reason": p.reason} for p in job.errors
        ],
        "message": job.explanation(),
        "owner": job.owner,
        "created_at": job.created_at.isoformat(),
        "started_at": None if job.started_at is None else job.started_at.isoformat(),
        "finished_at": None if job.finished_at is None else job.finished_at.isoformat(),
    }


def safe_file_name(name: str | None) -> str:
    """The upload's own name without any folder, kept because readers go by its extension
    and the import's provenance records it."""
    base = _UNSAFE.sub("_", Path(name or "").name).strip("._")
    return base[:120] or "upload"


def upload_limits(request: Request) -> UploadLimits:
    settings = request.app.state.settings
    return UploadLimits(
        max_bytes=settings.max_upload_mb * MB,
        max_unpacked_bytes=settings.max_unpacked_mb * MB,
        max_rows=settings.max_import_rows,
    )


def _save(upload: UploadFile, folder: Path, limits: UploadLimits) -> Path:
    """The uploaded file in its job's folder, checked (type by content, unpacked size)
    and unpacked if it is a zip archive: the file to import."""
    target = folder / safe_file_name(upload.filename)
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > limits.max_bytes:
                raise UploadTooLarge(
                    _("the file is larger than {size} MB").format(size=limits.max_bytes // MB)
                )
            out.write(chunk)
    return checked_upload(target, limits)


@router.post(
    "",
    summary="Upload a file to import; answers at once with a job to follow",
    status_code=202,
    responses={
        202: body(ImportStarted, "The job, queued", headers={"Location": header("The job")}),
        **errors(400, 403, 413, 422),
    },
)
def start_import(
    request: Request,
    principal: CallerPrincipal,
    file: UploadFile,
    kind: Annotated[Kind, Form()],
    dry_run: Annotated[bool, Form()] = False,
) -> JSONResponse:
    require(principal, Permission.APPROVE, _("import files"))
    runner, limits = jobs(request), upload_limits(request)
    job_id, folder = runner.prepare()
    try:
        path = _save(file, folder, limits)
    except BaseException:
        runner.discard(job_id)
        raise
    job = imports.start_import(
        runner,
        job_id,
        path,
        kind=kind.value,
        owner=principal.name,
        country=str(request.app.state.settings.country),
        dry_run=dry_run,
        max_rows=limits.max_rows,
        kinds=request.app.state.kinds,
    )
    return JSONResponse(
        {**import_job_json(job), "status_url": f"/api/imports/{job.id}"},
        status_code=202,
        headers={"Location": f"/api/imports/{job.id}"},
    )


@router.get(
    "/{job_id}",
    summary="An import's progress, and its report or problems",
    response_model=None,
    responses={200: body(ImportJob, "The job"), **errors(404)},
)
def import_status(request: Request, job_id: str, principal: CallerPrincipal) -> dict[str, Any]:
    missing = NotFoundError(_("no import job '{job}'").format(job=job_id))
    job = jobs(request).get(job_id)
    if job is None or job.kind != imports.IMPORT:
        raise missing
    try:
        require_job_access(principal, job)
    except Forbidden:
        # Someone else's job answers as if it did not exist: its file name is theirs.
        raise missing from None
    return import_job_json(job)
