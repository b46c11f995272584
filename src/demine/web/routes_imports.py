"""Uploading a file to import (information managers), and following the import's progress."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed, require
from demine.errors import NotFoundError, UploadTooLarge
from demine.i18n import _
from demine.web.auth import current_principal
from demine.web.import_jobs import ImportJobs
from demine.web.openapi_responses import EVERY_ROUTE, body, errors, header
from demine.web.response_models import ImportJob, ImportStarted
from demine.web.routes_api import Kind

router = APIRouter(prefix="/api/imports", tags=["Imports"], responses=EVERY_ROUTE)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def jobs(request: Request) -> ImportJobs:
    registry = request.app.state.import_jobs
    assert isinstance(registry, ImportJobs)
    return registry


def safe_file_name(name: str | None) -> str:
    """The upload's own name without any folder, kept because readers go by its extension
    and the import's provenance records it."""
    base = _UNSAFE.sub("_", Path(name or "").name).strip("._")
    return base[:120] or "upload"


def _save(upload: UploadFile) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="demine-import-"))
    target = folder / safe_file_name(upload.filename)
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > MAX_UPLOAD_BYTES:
                out.close()
                target.unlink()
                folder.rmdir()
                raise UploadTooLarge(
                    _("the file is larger than {size} MB").format(size=MAX_UPLOAD_BYTES // 2**20)
                )
            out.write(chunk)
    return target


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
    job = jobs(request).start(
        request.app.state.store,
        _save(file),
        kind=kind.value,
        owner=principal.name,
        country=str(request.app.state.settings.country),
        dry_run=dry_run,
    )
    return JSONResponse(
        {**job.to_json(), "status_url": f"/api/imports/{job.id}"},
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
    job = jobs(request).get(job_id)
    # Someone else's job answers as if it did not exist: its file name is theirs.
    if job is None or (job.owner != principal.name and not allowed(principal, Permission.ADMIN)):
        raise NotFoundError(_("no import job '{job}'").format(job=job_id))
    return job.to_json()
