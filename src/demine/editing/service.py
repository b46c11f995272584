"""Record-by-record editing: read, list, create, update, delete, submit, approve, reject.

Every change is validated exactly as an import row is (same rules, same messages),
checked against the workflow (:mod:`demine.domain.workflow`), guarded by the record's
version (a stale write is refused, never silently applied), kept in the record's
history and written to the append-only audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, func, select, update

from demine.domain.access import Permission, Principal
from demine.domain.workflow import Ownership, ReviewStatus, WorkflowError, check_edit
from demine.domain.workflow import initial_status as workflow_initial_status
from demine.domain.workflow import review as workflow_review
from demine.domain.workflow import submit as workflow_submit
from demine.editing import audit
from demine.errors import (
    Forbidden,
    ImportRejected,
    InvalidRequestError,
    NotFoundError,
    PreconditionFailed,
)
from demine.export.writer import PROTECTED_KINDS, flat_rows
from demine.ingest.importer import parse_context, validate_table
from demine.ingest.readers import SourceRow, SourceTable
from demine.ingest.specs import SPECS, EntitySpec
from demine.store import schema
from demine.store.mapping import TableMapping, mapping_for
from demine.store.refs import load_refs
from demine.store.register import save

#: Kinds that field reports are made of: they go through the approval workflow.
WORKFLOW_KINDS = ("hazards", "hazard-changes", "activities", "finds", "accidents", "victims")


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


def spec_for(kind: str) -> EntitySpec:
    spec = SPECS.get(kind)
    if spec is None or kind in PROTECTED_KINDS:
        raise NotFoundError(f"no record kind '{kind}'")
    return spec


def _row(connection: Connection, spec: EntitySpec, key: str) -> Mapping[str, Any]:
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    row = connection.execute(
        select(mapping.table).where(mapping.table.c[mapping.key_column] == key)
    ).first()
    if row is None:
        raise NotFoundError(f"no {spec.kind} record '{key}'")
    return dict(row._mapping)


def stored(connection: Connection, spec: EntitySpec, row: Mapping[str, Any]) -> StoredRecord:
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    entity = mapping.from_row(row, load_refs(connection))
    values = flat_rows(spec, [entity])[0]
    geometry = getattr(entity, "geometry", None)
    if geometry is not None:
        values["wkt"] = shapely.to_wkt(geometry, rounding_precision=-1)
    return StoredRecord(
        kind=spec.kind,
        key=mapping.key_of(entity),
        values=values,
        status=row.get("review_status"),
        version=int(row.get("version") or 1),
        deleted=row.get("deleted_at") is not None,
        review_note=row.get("review_note"),
    )


def _can_view(principal: Principal) -> None:
    if not principal.can(Permission.VIEW_OPERATIONAL):
        raise Forbidden("your role may not read operational records")


def get_record(connection: Connection, kind: str, key: str, principal: Principal) -> StoredRecord:
    _can_view(principal)
    spec = spec_for(kind)
    return stored(connection, spec, _row(connection, spec, key))


def _entity_from(
    connection: Connection, spec: EntitySpec, payload: Mapping[str, Any], country: str, today: date
) -> Any:
    """Validate ``payload`` exactly as an import row of ``spec`` would be."""
    values = {k: v for k, v in payload.items() if k != "wkt"}
    geometry: BaseGeometry | None = None
    problems_name = f"{spec.kind} record"
    if payload.get("wkt"):
        try:
            geometry = shapely.from_wkt(str(payload["wkt"]))
        except shapely.errors.GEOSException as exc:
            from demine.errors import Problem

            raise ImportRejected(
                [Problem(problems_name, None, "wkt", f"unreadable WKT: {exc}")]
            ) from None
    table = SourceTable(
        problems_name,
        "",
        [*values],
        [SourceRow(1, {k: (None if v == "" else v) for k, v in values.items()}, geometry)],
    )
    entities = validate_table(spec, table, parse_context(connection, country), today)
    return entities[0]


def _ownership(
    connection: Connection, spec: EntitySpec, row: Mapping[str, Any], entity: Any
) -> Ownership:
    """Whose record this is: an activity's organisation; a find belongs to its activity's
    organisation; anything else to the organisation of the person who created it."""
    organisation = getattr(entity, "organisation", None)
    activity_key = getattr(entity, "activity", None)
    if organisation is None and activity_key is not None:
        organisation = connection.execute(
            select(schema.organisations.c.code)
            .join(
                schema.activities, schema.activities.c.organisation_id == schema.organisations.c.id
            )
            .where(schema.activities.c.external_id == activity_key)
        ).scalar()
    if organisation is None and row.get("created_by"):
        organisation = connection.execute(
            select(schema.organisations.c.code)
            .join(schema.users, schema.users.c.organisation_id == schema.organisations.c.id)
            .where(schema.users.c.username == row["created_by"])
        ).scalar()
    status = ReviewStatus(row.get("review_status") or ReviewStatus.APPROVED)
    return Ownership(organisation, status)


def create(
    connection: Connection,
    kind: str,
    payload: Mapping[str, Any],
    editor: Editor,
    country: str,
    now: datetime | None = None,
) -> StoredRecord:
    """A new record: a draft for field-report kinds, live at once for reference data."""
    now = now or datetime.now(UTC)
    spec = spec_for(kind)
    entity = _entity_from(connection, spec, payload, country, now.date())
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    key = mapping.key_of(entity)
    exists = connection.execute(
        select(func.count()).where(mapping.table.c[mapping.key_column] == key)
    ).scalar_one()
    if exists:
        raise InvalidRequestError(f"{spec.kind} record '{key}' already exists")
    workflow = kind in WORKFLOW_KINDS
    try:
        if workflow:
            status = workflow_initial_status(editor.principal)
            owner = _ownership(connection, spec, {"created_by": editor.principal.name}, entity)
            check_edit(editor.principal, editor.organisation, Ownership(owner.organisation, status))
        elif not editor.principal.can(Permission.APPROVE):
            raise WorkflowError("only information managers change reference data")
    except WorkflowError as exc:
        raise Forbidden(str(exc)) from None
    save(connection, [entity], load_refs(connection), None, now)
    if workflow:
        connection.execute(
            update(mapping.table)
            .where(mapping.table.c[mapping.key_column] == key)
            .values(review_status=ReviewStatus.DRAFT.value, created_by=editor.principal.name)
        )
    row = _row(connection, spec, key)
    _audit(connection, editor, "create", mapping.table.name, key, None, row, now)
    return stored(connection, spec, row)


def _audit(
    connection: Connection,
    editor: Editor,
    action: str,
    table_name: str,
    key: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    now: datetime,
) -> None:
    audit.record(
        connection,
        actor=editor.principal.describe(),
        action=action,
        table_name=table_name,
        key=key,
        before=before,
        after=after,
        at=now,
    )


def _check_version(row: Mapping[str, Any], expected: int | None) -> None:
    if expected is None:
        raise PreconditionFailed("If-Match with the record's ETag is required to change it", 428)
    current = int(row.get("version") or 1)
    if current != expected:
        raise PreconditionFailed(
            f"the record changed since you read it (version {current}, you had {expected})"
        )


def update_record(
    connection: Connection,
    kind: str,
    key: str,
    payload: Mapping[str, Any],
    editor: Editor,
    expected_version: int | None,
    country: str,
    now: datetime | None = None,
) -> StoredRecord:
    now = now or datetime.now(UTC)
    spec = spec_for(kind)
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    before = _row(connection, spec, key)
    _check_version(before, expected_version)
    current = mapping.from_row(before, load_refs(connection))
    entity = _entity_from(connection, spec, {**payload, spec.key_field: key}, country, now.date())
    _authorise_change(connection, kind, spec, before, current, editor)
    save(connection, [entity], load_refs(connection), None, now)
    after = _row(connection, spec, key)
    _audit(connection, editor, "update", mapping.table.name, key, before, after, now)
    return stored(connection, spec, after)


def _authorise_change(
    connection: Connection,
    kind: str,
    spec: EntitySpec,
    row: Mapping[str, Any],
    entity: Any,
    editor: Editor,
) -> None:
    try:
        if kind in WORKFLOW_KINDS:
            check_edit(
                editor.principal, editor.organisation, _ownership(connection, spec, row, entity)
            )
        elif not editor.principal.can(Permission.APPROVE):
            raise WorkflowError("only information managers change reference data")
    except WorkflowError as exc:
        raise Forbidden(str(exc)) from None


def delete_record(
    connection: Connection,
    kind: str,
    key: str,
    editor: Editor,
    expected_version: int | None,
    now: datetime | None = None,
) -> None:
    """Soft delete: the record is hidden from figures but kept with its history."""
    now = now or datetime.now(UTC)
    spec = spec_for(kind)
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    if "deleted_at" not in mapping.table.c:
        raise InvalidRequestError(f"{kind} records cannot be deleted, only corrected")
    before = _row(connection, spec, key)
    _check_version(before, expected_version)
    _authorise_change(
        connection, kind, spec, before, mapping.from_row(before, load_refs(connection)), editor
    )
    connection.execute(
        update(mapping.table)
        .where(mapping.table.c.id == before["id"])
        .values(deleted_at=now, version=mapping.table.c.version + 1, updated_at=now)
    )
    _audit(
        connection,
        editor,
        "delete",
        mapping.table.name,
        key,
        before,
        _row(connection, spec, key),
        now,
    )


def transition(
    connection: Connection,
    kind: str,
    key: str,
    action: str,
    editor: Editor,
    reason: str | None = None,
    now: datetime | None = None,
) -> StoredRecord:
    """``submit``, ``approve`` or ``reject`` (with a reason) a field report."""
    now = now or datetime.now(UTC)
    if kind not in WORKFLOW_KINDS:
        raise InvalidRequestError(f"{kind} records are not reviewed")
    spec = spec_for(kind)
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    before = _row(connection, spec, key)
    entity = mapping.from_row(before, load_refs(connection))
    ownership = _ownership(connection, spec, before, entity)
    try:
        if action == "submit":
            status = workflow_submit(editor.principal, editor.organisation, ownership)
        elif action in ("approve", "reject"):
            status = workflow_review(editor.principal, ownership, action == "approve", reason)
        else:
            raise InvalidRequestError(f"unknown action '{action}'")
    except WorkflowError as exc:
        raise Forbidden(str(exc)) from None
    connection.execute(
        update(mapping.table)
        .where(mapping.table.c.id == before["id"])
        .values(review_status=status.value, review_note=reason, version=mapping.table.c.version + 1,
                updated_at=now)
    )  # fmt: skip
    after = _row(connection, spec, key)
    _audit(connection, editor, action, mapping.table.name, key, before, after, now)
    return stored(connection, spec, after)
