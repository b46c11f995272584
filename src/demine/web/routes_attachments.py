"""Scans and photos of minefield records, for those who may read the records.

An attachment is always a download (``Content-Disposition: attachment``), typed by its
content as checked when served — never by the name it was uploaded under — and with
``nosniff``, so no browser renders a file named ``scan.pdf`` that holds a page of script.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response

from demine.domain.access import Principal
from demine.domain.authorization import require_kind_read
from demine.domain.kinds import KINDS
from demine.editing.service import get_record
from demine.store.attachments import attachment_content, list_attachments, media_type_of
from demine.store.records_edit import editing_reader
from demine.web.auth import current_principal
from demine.web.openapi_responses import EVERY_ROUTE, errors

router = APIRouter(prefix="/api/minefield-records", tags=["Register"], responses=EVERY_ROUTE)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]
KIND = "minefield-records"


def _readable(request: Request, key: str, principal: Principal) -> None:
    """Refuse unless the caller may read minefield records and sees this one."""
    require_kind_read(principal, KINDS[KIND])
    with request.app.state.store.read() as connection:
        reader = editing_reader(connection, request.app.state.settings.country, principal)
        get_record(reader, KIND, key, principal)


@router.get(
    "/{key}/attachments",
    summary="A minefield record's attachments (no content)",
    responses=errors(403, 404),
)
def attachments(request: Request, key: str, principal: CallerPrincipal) -> list[dict[str, Any]]:
    _readable(request, key, principal)
    return [
        {"file_name": a.file_name, "media_type": a.media_type, "size": a.size, "sha256": a.sha256}
        for a in list_attachments(request.app.state.store, key)
    ]


@router.get(
    "/{key}/attachments/{sha256}",
    summary="Download one attachment",
    responses={
        200: {
            "description": "The file, typed by its content",
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        },
        **errors(403, 404),
    },
)
def attachment(request: Request, key: str, sha256: str, principal: CallerPrincipal) -> Response:
    _readable(request, key, principal)
    store = request.app.state.store
    content = attachment_content(store, key, sha256)
    name = next((a.file_name for a in list_attachments(store, key) if a.sha256 == sha256), sha256)
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return Response(
        content,
        media_type=media_type_of(content),
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
            ),
            "X-Content-Type-Options": "nosniff",
        },
    )
