"""REST API over every record kind: list, read, create, update, delete, review.

Thin: it turns requests into calls of :mod:`demine.editing` and answers with JSON.
Reads carry an ETag (the record's version); updates and deletes need If-Match with it
and get 412 when the record changed meanwhile — never a silent overwrite.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from demine.domain.access import Principal
from demine.domain.kinds import KINDS, Sensitivity
from demine.editing.history import record_versions
from demine.editing.queries import ListFilters, list_records
from demine.editing.service import (
    Editor,
    StoredRecord,
    create,
    delete_record,
    get_record,
    transition,
    update_record,
)
from demine.errors import InvalidRequestError, PreconditionFailed
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.records_edit import editing_reader
from demine.store.spatial import BBox
from demine.web.auth import current_principal
from demine.web.openapi_responses import EVERY_ROUTE, body, errors, header
from demine.web.response_models import Record, RecordHistory, RecordPage

#: The kinds served record by record (personal data never are, nor machine-made layers).
Kind = StrEnum(  # type: ignore[misc]
    "Kind",
    {
        name.replace("-", "_"): name
        for name, kind in KINDS.items()
        if kind.sensitivity is not Sensitivity.PERSONAL and not kind.machine_made
    },
)

router = APIRouter(prefix="/api", tags=["Register"], responses=EVERY_ROUTE)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]


def _editor(request: Request, principal: Principal) -> Editor:
    user = getattr(request.state, "user", None)
    return Editor(principal, user.organisation if user is not None else None)


def _country(request: Request) -> str:
    return str(request.app.state.settings.country)


def _reader(request: Request, connection: Any, principal: Principal) -> RegisterReader:
    """The caller's reader: drafts and deleted rows for editors, live records otherwise."""
    return editing_reader(connection, _country(request), principal, request.app.state.kinds)


def _etag(record: StoredRecord) -> str:
    return f'W/"{record.version}"'


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    try:
        return int(text)
    except ValueError:
        raise PreconditionFailed(
            _("If-Match '{if_match}' is not an ETag of this API").format(if_match=if_match)
        ) from None


def _answer(record: StoredRecord, status: int = 200) -> JSONResponse:
    return JSONResponse(record.to_json(), status_code=status, headers={"ETag": _etag(record)})


#: How a record is answered: its values and state, its version as the ETag.
RECORD = body(Record, "The record", headers={"ETag": header("The record's version")})


@router.get(
    "/{kind}",
    summary="List records",
    response_model=None,
    responses={200: body(RecordPage, "A page of records"), **errors(400, 403, 422)},
)
def list_kind(
    request: Request,
    kind: Kind,
    principal: CallerPrincipal,
    district: str | None = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    category: str | None = None,
    status: str | None = None,
    bbox: str | None = None,
    include_deleted: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    try:
        box = BBox.parse(bbox) if bbox else None
    except ValueError as exc:
        raise InvalidRequestError(f"bbox: {exc}") from exc
    filters = ListFilters(
        district, start, end, category, status, box, include_deleted, limit, offset
    )
    with request.app.state.store.read() as connection:
        reader = _reader(request, connection, principal)
        records, total = list_records(reader, kind.value, filters, principal)
    return {
        "items": [r.to_json() for r in records],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/{kind}/{key}", summary="Read a record", responses={200: RECORD, **errors(403, 404, 422)}
)
def read(request: Request, kind: Kind, key: str, principal: CallerPrincipal) -> Response:
    with request.app.state.store.read() as connection:
        reader = _reader(request, connection, principal)
        return _answer(get_record(reader, kind.value, key, principal))


@router.get(
    "/{kind}/{key}/history",
    summary="A record's versions, oldest first",
    response_model=None,
    responses={200: body(RecordHistory, "The record's versions"), **errors(403, 404, 422)},
)
def history(request: Request, kind: Kind, key: str, principal: CallerPrincipal) -> dict[str, Any]:
    with request.app.state.store.read() as connection:
        reader = _reader(request, connection, principal)
        versions = record_versions(reader, kind.value, key, principal)
    return {"kind": kind.value, "key": key, "versions": [v.to_json() for v in versions]}


@router.post(
    "/{kind}",
    summary="Create a record (field reports start as drafts)",
    status_code=201,
    responses={201: RECORD, **errors(400, 403, 404, 422)},
)
def create_kind(
    request: Request,
    kind: Kind,
    principal: CallerPrincipal,
    payload: Annotated[dict[str, Any], Body(description="The import columns, and wkt")],
) -> Response:
    with request.app.state.store.write() as connection:
        record = create(
            _reader(request, connection, principal), kind.value, payload,
            _editor(request, principal), _country(request),
        )  # fmt: skip
    return _answer(record, 201)


@router.put(
    "/{kind}/{key}",
    summary="Replace a record (If-Match required)",
    responses={200: RECORD, **errors(400, 403, 404, 412, 422, 428)},
)
def replace(
    request: Request,
    kind: Kind,
    key: str,
    principal: CallerPrincipal,
    payload: Annotated[dict[str, Any], Body()],
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    with request.app.state.store.write() as connection:
        record = update_record(
            _reader(request, connection, principal), kind.value, key, payload,
            _editor(request, principal), _version(if_match), _country(request),
        )  # fmt: skip
    return _answer(record)


@router.delete(
    "/{kind}/{key}",
    summary="Delete a record (kept with its history)",
    status_code=204,
    responses=errors(400, 403, 404, 412, 422, 428),
)
def remove(
    request: Request,
    kind: Kind,
    key: str,
    principal: CallerPrincipal,
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    with request.app.state.store.write() as connection:
        delete_record(
            _reader(request, connection, principal), kind.value, key,
            _editor(request, principal), _version(if_match),
        )  # fmt: skip
    return Response(status_code=204)


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"


@router.post(
    "/{kind}/{key}/{action}",
    summary="Submit, approve or reject a field report",
    responses={200: RECORD, **errors(400, 403, 404, 422)},
)
def review(
    request: Request,
    kind: Kind,
    key: str,
    action: Action,
    principal: CallerPrincipal,
    reason: Annotated[str | None, Body(embed=True)] = None,
) -> Response:
    with request.app.state.store.write() as connection:
        record = transition(
            _reader(request, connection, principal), kind.value, key, action.value,
            _editor(request, principal), reason,
        )  # fmt: skip
    return _answer(record)
