"""Reports waiting for someone: a person's own drafts, the review queue, an activity's finds."""

from __future__ import annotations

from sqlalchemy import Connection, select

from demine.domain.access import Principal
from demine.domain.workflow import ReviewStatus
from demine.editing.queries import ListFilters, list_records
from demine.editing.service import StoredRecord, get_record, spec_for, stored
from demine.store import schema
from demine.store.mapping import mapping_for

#: Field-report kinds an information manager reviews, in the order the queue shows them.
REVIEWED_KINDS = ("activities", "finds", "accidents", "hazards")
QUEUE_LIMIT = 200


def own_drafts(connection: Connection, kind: str, principal: Principal) -> list[StoredRecord]:
    """Records of ``kind`` that ``principal`` created and may still change (draft or rejected)."""
    spec = spec_for(kind)
    table = mapping_for(spec.entity_type).table
    rows = connection.execute(
        select(table)
        .where(table.c.created_by == principal.name)
        .where(table.c.review_status.in_([ReviewStatus.DRAFT.value, ReviewStatus.REJECTED.value]))
        .where(table.c.deleted_at.is_(None))
        .order_by(table.c.id.desc())
    )
    return [stored(connection, spec, dict(row._mapping)) for row in rows]


def review_queue(
    connection: Connection, principal: Principal, country: str
) -> dict[str, list[StoredRecord]]:
    """Submitted reports by kind, oldest first (at most ``QUEUE_LIMIT`` of each kind)."""
    filters = ListFilters(status=ReviewStatus.SUBMITTED.value, limit=QUEUE_LIMIT)
    return {
        kind: list_records(connection, kind, filters, principal, country)[0]
        for kind in REVIEWED_KINDS
    }


def finds_of_activity(
    connection: Connection, activity_key: str, principal: Principal
) -> tuple[StoredRecord, list[StoredRecord]]:
    """An activity and the finds recorded under it (deleted ones left out)."""
    activity = get_record(connection, "activities", activity_key, principal)
    finds, activities = schema.device_finds, schema.activities
    rows = connection.execute(
        select(finds)
        .join(activities, finds.c.activity_id == activities.c.id)
        .where(activities.c.external_id == activity_key)
        .where(finds.c.deleted_at.is_(None))
        .order_by(finds.c.id)
    )
    spec = spec_for("finds")
    return activity, [stored(connection, spec, dict(row._mapping)) for row in rows]
