"""Record-by-record editing: read, create, update, delete, submit, approve, reject.

Every change is validated exactly as an import row is (same rules, same messages),
checked against the workflow (:mod:`demine.domain.workflow`), guarded by the record's
version (a stale write is refused, never silently applied), kept in the record's
history (with who changed it) and written to the append-only audit log.

Each function takes the caller's :class:`~demine.store.reader.RegisterReader` (see
:func:`demine.store.records_edit.editing_reader`): an editor's reader sees drafts and
deleted rows, anyone else's only live records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.bounds import nul_problem
from demine.domain.crossing import crossing_message
from demine.domain.kinds import KINDS, Kind, Sensitivity
from demine.domain.withheld import free_text_names, is_withheld
from demine.domain.workflow import Ownership, ReviewStatus, WorkflowError, check_edit
from demine.domain.workflow import initial_status as workflow_initial_status
from demine.domain.workflow import review as workflow_review
from demine.domain.workflow import submit as workflow_submit
from demine.errors import (
    Forbidden,
    ImportRejected,
    InvalidRequestError,
    NotFoundError,
    PreconditionFailed,
    Problem,
)
from demine.export.writer import flat_rows
from demine.i18n import _
from demine.ingest.importer import parse_context, validate_table
from demine.ingest.readers import SourceRow, SourceTable
from demine.ingest.specs import EntitySpec, spec_of
from demine.store import audit
from demine.store.mapping import mapping_for
from demine.store.reader import RegisterReader
from demine.store.records_edit import (
    change_row,
    entities_of_rows,
    key_taken,
    mark_draft,
    organisation_of_activity,
    organisation_of_user,
    record_row,
)
from demine.store.refs import load_refs
from demine.store.register import save


@dataclass(frozen=True)
class Editor:
    """Who edits: their principal and organisation (data entry is bound to it)."""

    principal: Principal
    organisation: str | None = None


@dataclass
class StoredRecord:
    kind: str
    key: str
    values: dict[str, Any]
    status: str | None
    version: int
    deleted: bool
    review_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.values,
            "review_status": self.status,
            "review_note": self.review_note,
            "version": self.version,
            "deleted": self.deleted,
        }


def kind_for(kind: str, kinds: Mapping[str, Kind] = KINDS) -> Kind:
    """The kind of record ``kind`` names, if records of it are edited one by one
    (``kinds``: the registry's, as the programme's fields file extends them)."""
    described = kinds.get(kind)
    if described is None or described.sensitivity is Sensitivity.PERSONAL or described.machine_made:
        raise NotFoundError(_("no record kind '{kind}'").format(kind=kind))
    return described


def require_read(principal: Principal) -> None:
    """Refuse unless ``principal`` may read the register's records one by one."""
    require(principal, Permission.VIEW_OPERATIONAL, _("read the register's records"))


def stored_records(
    reader: RegisterReader, kind: str, rows: Sequence[Mapping[str, Any]]
) -> list[StoredRecord]:
    """``rows`` of ``kind`` as records (the keys they refer to read once for all rows)."""
    described = kind_for(kind, reader.kinds)
    spec = spec_of(described)
    entities = entities_of_rows(reader, described, rows)
    values = flat_rows(spec, entities)
    records = []
    for row, entity, flat in zip(rows, entities, values, strict=True):
        geometry = getattr(entity, "geometry", None)
        if geometry is not None:
            flat["wkt"] = shapely.to_wkt(geometry, rounding_precision=-1)
        records.append(
            StoredRecord(
                kind=described.name,
                key=mapping_for(described.entity).key_of(entity),
                values=reader.shown(described, flat),
                status=row.get("review_status"),
                version=int(row.get("version") or 1),
                deleted=row.get("deleted_at") is not None,
                review_note=row.get("review_note"),
            )
        )
    return records


def row_of(reader: RegisterReader, kind: Kind, key: str) -> dict[str, Any]:
    row = record_row(reader, kind, key)
    if row is None:
        raise NotFoundError(_("no {kind} record '{key}'").format(kind=kind.name, key=key))
    return row


def get_record(reader: RegisterReader, kind: str, key: str, principal: Principal) -> StoredRecord:
    """One record; a draft or deleted one is found only by those who may see drafts."""
    require_read(principal)
    described = kind_for(kind, reader.kinds)
    return stored_records(reader, kind, [row_of(reader, described, key)])[0]


def _entity_from(
    reader: RegisterReader, spec: EntitySpec, payload: Mapping[str, Any], country: str, today: date
) -> Any:
    """Validate ``payload`` exactly as an import row of ``spec`` would be."""
    values = {k: v for k, v in payload.items() if k != "wkt"}
    geometry: BaseGeometry | None = None
    problems_name = f"{spec.kind} record"
    if payload.get("wkt"):
        try:
            geometry = shapely.from_wkt(str(payload["wkt"]))
        except shapely.errors.GEOSException as exc:
            raise ImportRejected(
                [Problem(problems_name, None, "wkt", _("unreadable WKT: {exc}").format(exc=exc))]
            ) from None
        _refuse_crossing(problems_name, geometry)
    table = SourceTable(
        problems_name,
        "",
        [*values],
        [SourceRow(1, {k: (None if v == "" else v) for k, v in values.items()}, geometry)],
    )
    entities = validate_table(spec, table, parse_context(reader.connection, country), today)
    return entities[0]


def _refuse_crossing(problems_name: str, geometry: BaseGeometry) -> None:
    """A polygon that crosses itself is refused with the place of the crossing (a form's
    drawing or a field submission; an import file may have its faults repaired)."""
    reason = crossing_message(geometry)
    if reason is not None:
        raise ImportRejected([Problem(problems_name, None, "geometry", reason)])


def _ownership(reader: RegisterReader, row: Mapping[str, Any], entity: Any) -> Ownership:
    """Whose record this is: an activity's organisation; a find belongs to its activity's
    organisation; anything else to the organisation of the person who created it."""
    organisation = getattr(entity, "organisation", None)
    activity_key = getattr(entity, "activity", None)
    if organisation is None and activity_key is not None:
        organisation = organisation_of_activity(reader, activity_key)
    if organisation is None and row.get("created_by"):
        organisation = organisation_of_user(reader, row["created_by"])
    status = ReviewStatus(row.get("review_status") or ReviewStatus.APPROVED)
    return Ownership(organisation, status)


def _require_edit(editor: Editor) -> None:
    require(editor.principal, Permission.EDIT, _("change records"))


def _require_reference_change(editor: Editor) -> None:
    require(editor.principal, Permission.APPROVE, _("change reference data"))


def create(
    reader: RegisterReader,
    kind: str,
    payload: Mapping[str, Any],
    editor: Editor,
    country: str,
    now: datetime | None = None,
) -> StoredRecord:
    """A new record: a draft for field-report kinds, live at once for reference data."""
    now = now or datetime.now(UTC)
    _require_edit(editor)
    described = kind_for(kind, reader.kinds)
    spec = spec_of(described)
    entity = _entity_from(reader, spec, payload, country, now.date())
    key = mapping_for(described.entity).key_of(entity)
    if key_taken(reader, described, key):
        raise InvalidRequestError(
            _("{kind} record '{key}' already exists").format(kind=spec.kind, key=key)
        )
    if described.workflow:
        try:
            status = workflow_initial_status(editor.principal)
            owner = _ownership(reader, {"created_by": editor.principal.name}, entity)
            check_edit(editor.principal, editor.organisation, Ownership(owner.organisation, status))
        except WorkflowError as exc:
            raise Forbidden(str(exc)) from None
    else:
        _require_reference_change(editor)
    actor = editor.principal.describe()
    save(reader.connection, [entity], load_refs(reader.connection), None, now, changed_by=actor)
    if described.workflow:
        mark_draft(reader, described, key, editor.principal.name)
    row = row_of(reader, described, key)
    _audit(reader, editor, "create", described, key, None, row, now)
    return stored_records(reader, kind, [row])[0]


def _audit(
    reader: RegisterReader,
    editor: Editor,
    action: str,
    kind: Kind,
    key: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    now: datetime,
) -> None:
    audit.record(
        reader.connection,
        actor=editor.principal.describe(),
        action=action,
        table_name=kind.table,
        key=key,
        before=before,
        after=after,
        at=now,
    )


def _check_version(row: Mapping[str, Any], expected: int | None) -> None:
    if expected is None:
        raise PreconditionFailed(_("If-Match with the record's ETag is required to change it"), 428)
    current = int(row.get("version") or 1)
    if current != expected:
        raise PreconditionFailed(
            _(
                "the record changed since you read it (version {current}, you had {expected})"
            ).format(current=current, expected=expected)
        )


def update_record(
    reader: RegisterReader,
    kind: str,
    key: str,
    payload: Mapping[str, Any],
    editor: Editor,
    expected_version: int | None,
    country: str,
    now: datetime | None = None,
) -> StoredRecord:
    now = now or datetime.now(UTC)
    _require_edit(editor)
    described = kind_for(kind, reader.kinds)
    spec = spec_of(described)
    before = row_of(reader, described, key)
    _check_version(before, expected_version)
    current = entities_of_rows(reader, described, [before])[0]
    payload = _withheld_kept(described, payload, flat_rows(spec, [current])[0])
    entity = _entity_from(reader, spec, {**payload, spec.key_field: key}, country, now.date())
    _authorise_change(reader, described, before, current, editor)
    actor = editor.principal.describe()
    save(reader.connection, [entity], load_refs(reader.connection), None, now, changed_by=actor)
    after = row_of(reader, described, key)
    _audit(reader, editor, "update", described, key, before, after, now)
    return stored_records(reader, kind, [after])[0]


def _withheld_kept(
    kind: Kind, payload: Mapping[str, Any], stored: Mapping[str, Any]
) -> dict[str, Any]:
    """``payload`` with the stored value of each free-text field it sends back as the
    withheld marker: a record read without the victim-data grant and written back keeps
    the text its writer could not see."""
    free_text = free_text_names(kind)
    return {
        name: stored.get(name) if name in free_text and is_withheld(value) else value
        for name, value in payload.items()
    }


def _authorise_change(
    reader: RegisterReader, kind: Kind, row: Mapping[str, Any], entity: Any, editor: Editor
) -> None:
    if not kind.workflow:
        _require_reference_change(editor)
        return
    try:
        check_edit(editor.principal, editor.organisation, _ownership(reader, row, entity))
    except WorkflowError as exc:
        raise Forbidden(str(exc)) from None


def delete_record(
    reader: RegisterReader,
    kind: str,
    key: str,
    editor: Editor,
    expected_version: int | None,
    now: datetime | None = None,
) -> None:
    """Soft delete: the record is hidden from figures but kept with its history."""
    now = now or datetime.now(UTC)
    _require_edit(editor)
    described = kind_for(kind, reader.kinds)
    if not described.soft_delete:
        raise InvalidRequestError(
            _("{kind} records cannot be deleted, only corrected").format(kind=kind)
        )
    before = row_of(reader, described, key)
    _check_version(before, expected_version)
    _authorise_change(
        reader, described, before, entities_of_rows(reader, described, [before])[0], editor
    )
    change_row(
        reader, described, before, {"deleted_at": now},
        changed_by=editor.principal.describe(), action="delete", now=now,
    )  # fmt: skip
    _audit(reader, editor, "delete", described, key, before, row_of(reader, described, key), now)


def transition(
    reader: RegisterReader,
    kind: str,
    key: str,
    action: str,
    editor: Editor,
    reason: str | None = None,
    now: datetime | None = None,
) -> StoredRecord:
    """``submit``, ``approve`` or ``reject`` (with a reason) a field report."""
    now = now or datetime.now(UTC)
    _require_edit(editor)
    problem = nul_problem(reason) if reason is not None else None
    if problem is not None:
        raise InvalidRequestError(_("reason: {problem}").format(problem=problem))
    described = kind_for(kind, reader.kinds)
    if not described.workflow:
        raise InvalidRequestError(_("{kind} records are not reviewed").format(kind=kind))
    before = row_of(reader, described, key)
    entity = entities_of_rows(reader, described, [before])[0]
    ownership = _ownership(reader, before, entity)
    try:
        if action == "submit":
            status = workflow_submit(editor.principal, editor.organisation, ownership)
        elif action in ("approve", "reject"):
            status = workflow_review(editor.principal, ownership, action == "approve", reason)
        else:
            raise InvalidRequestError(_("unknown action '{action}'").format(action=action))
    except WorkflowError as exc:
        raise Forbidden(str(exc)) from None
    change_row(
        reader, described, before, {"review_status": status.value, "review_note": reason},
        changed_by=editor.principal.describe(), action=action, now=now,
    )  # fmt: skip
    after = row_of(reader, described, key)
    _audit(reader, editor, action, described, key, before, after, now)
    return stored_records(reader, kind, [after])[0]
