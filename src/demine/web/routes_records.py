"""Pages reading the register's memory: a record's versions (who changed what, when) and
the audit log for administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from demine.domain.access import Permission, Principal
from demine.editing.history import RecordVersion, record_versions
from demine.i18n import _
from demine.store.reads.audit_log import AuditFilter, audit_entries
from demine.store.records_edit import editing_reader
from demine.web.pages import PAGES, needs, render

router = APIRouter(tags=[PAGES], include_in_schema=False)

#: Columns every version carries that say nothing about the record itself.
_BOOKKEEPING = {"version", "updated_at", "review_note", "created_by"}


def _changes(earlier: RecordVersion | None, version: RecordVersion) -> list[tuple[str, Any, Any]]:
    """``(field, before, after)`` for each value a version changed."""
    before = earlier.values if earlier else {}
    return [
        (name, before.get(name), value)
        for name, value in version.values.items()
        if name not in _BOOKKEEPING and (earlier is None or before.get(name) != value)
    ]


@router.get("/records/{kind}/{key}/history", response_class=HTMLResponse)
def record_history_page(
    request: Request,
    kind: str,
    key: str,
    principal: Annotated[Principal, Depends(needs(Permission.VIEW_OPERATIONAL))],
) -> HTMLResponse:
    """Every version of one record, oldest first, with who made it and what changed."""
    with request.app.state.store.read() as connection:
        country, kinds = request.app.state.settings.country, request.app.state.kinds
        reader = editing_reader(connection, country, principal, kinds)
        versions = record_versions(reader, kind, key, principal)
    rows = [
        (version, _changes(versions[index - 1] if index else None, version))
        for index, version in enumerate(versions)
    ]
    title = _("History of {kind} record {key}").format(kind=kind, key=key)
    return render(request, "record_history.html.j2", title, rows=rows, kind=kind, key=key)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    principal: Annotated[Principal, Depends(needs(Permission.ADMIN))],
    kind: Annotated[str | None, Query()] = None,
    record: Annotated[str | None, Query()] = None,
    actor: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """The newest changes of records, with the values before and after."""
    where = AuditFilter(kind=kind or None, record=record or None, actor=actor or None, limit=200)
    with request.app.state.store.read() as connection:
        entries = audit_entries(connection, principal, where)
    return render(
        request,
        "audit.html.j2",
        _("Audit log"),
        entries=entries,
        kind=kind or "",
        record=record or "",
        actor=actor or "",
    )
