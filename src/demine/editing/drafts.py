"""Reports waiting for someone: a person's own drafts, the review queue, an activity's finds."""

from __future__ import annotations

from demine.domain.access import Principal
from demine.domain.permissions_table import FIELD_REPORT_KINDS
from demine.domain.workflow import ReviewStatus
from demine.editing.queries import ListFilters, list_records
from demine.editing.service import StoredRecord, get_record, kind_for, stored_records
from demine.store.reader import RegisterReader
from demine.store.reads.editing import activity_find_rows, own_draft_rows

#: Field-report kinds an information manager reviews, in the order the queue shows them:
#: the most frequent first, then every other from the registry.
_FIRST_REVIEWED = ("activities", "finds", "accidents", "hazards")
REVIEWED_KINDS = (
    *_FIRST_REVIEWED,
    *(name for name in FIELD_REPORT_KINDS if name not in _FIRST_REVIEWED),
)
QUEUE_LIMIT = 200


def own_drafts(reader: RegisterReader, kind: str, principal: Principal) -> list[StoredRecord]:
    """Records of ``kind`` that ``principal`` created and may still change (draft or rejected)."""
    return stored_records(
        reader, kind, own_draft_rows(reader, kind_for(kind, reader.kinds), principal.name)
    )


def review_queue(reader: RegisterReader, principal: Principal) -> dict[str, list[StoredRecord]]:
    """Submitted reports by kind, oldest first (at most ``QUEUE_LIMIT`` of each kind)."""
    filters = ListFilters(status=ReviewStatus.SUBMITTED.value, limit=QUEUE_LIMIT)
    return {kind: list_records(reader, kind, filters, principal)[0] for kind in REVIEWED_KINDS}


def finds_of_activity(
    reader: RegisterReader, activity_key: str, principal: Principal
) -> tuple[StoredRecord, list[StoredRecord]]:
    """An activity and the finds recorded under it (deleted ones left out)."""
    activity = get_record(reader, "activities", activity_key, principal)
    return activity, stored_records(reader, "finds", activity_find_rows(reader, activity_key))
