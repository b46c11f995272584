"""Lists of records for the people editing them: REST listings, own drafts, review queue."""

from __future__ import annotations

from typing import Any

from demine.domain.entities import AdminArea
from demine.domain.kinds import Kind
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel
from demine.domain.workflow import ReviewStatus
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import Page, RecordFilter, RegisterReader
from demine.store.refs import load_area_refs
from demine.store.register import load_all

#: The values of ``review_status``: a ``status`` filter naming one filters on it.
REVIEW_STATUSES = frozenset(status.value for status in ReviewStatus)


def district_row_id(reader: RegisterReader, text: str) -> int:
    """The row id of the district named or coded ``text`` in the reader's country."""
    refs = load_area_refs(reader.connection)
    areas = load_all(reader.connection, AdminArea, refs, reader.country)
    places = PlaceIndex(reader.country or "", areas)
    try:
        code = places.resolve(text, AdminLevel.DISTRICT)
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from exc
    return refs.areas.id_by_key[code]


def record_page(
    reader: RegisterReader,
    kind: Kind,
    where: RecordFilter,
    *,
    status: str | None,
    include_deleted: bool,
    limit: int,
    offset: int,
) -> Page:
    """One page of the rows of ``kind`` the reader sees, matching ``where`` and
    ``status`` (a review status, or the kind's own status column), by row id.

    Deleted rows are left out unless ``include_deleted`` (and the reader sees them).
    """
    table = reader.table(kind)
    extra: list[Any] = []
    if status is not None:
        if kind.reviewed and status in REVIEW_STATUSES:
            extra.append(table.c.review_status == status)
        elif "status" in table.c:
            extra.append(table.c.status == status)
        else:
            raise InvalidRequestError(
                _("{kind} records have no status '{status}'").format(kind=kind.name, status=status)
            )
    if kind.soft_delete and not include_deleted:
        extra.append(table.c.deleted_at.is_(None))
    return reader.page(kind, where, limit=limit, offset=offset, extra=extra)


def own_draft_rows(reader: RegisterReader, kind: Kind, created_by: str) -> list[dict[str, Any]]:
    """Undeleted drafts and rejected reports of ``kind`` made by ``created_by``, newest first."""
    table = reader.table(kind)
    statement = (
        reader.select(kind)
        .where(table.c.created_by == created_by)
        .where(table.c.review_status.in_([ReviewStatus.DRAFT.value, ReviewStatus.REJECTED.value]))
        .where(table.c.deleted_at.is_(None))
        .order_by(table.c.id.desc())
    )
    return [dict(row._mapping) for row in reader.connection.execute(statement)]


def activity_find_rows(reader: RegisterReader, activity_key: str) -> list[dict[str, Any]]:
    """The undeleted finds recorded under the activity ``activity_key``, by row id."""
    finds, activities = reader.table("finds"), reader.table("activities")
    statement = (
        reader.select("finds")
        .join(activities, finds.c.activity_id == activities.c.id)
        .where(activities.c.external_id == activity_key)
        .where(finds.c.deleted_at.is_(None))
        .order_by(finds.c.id)
    )
    return [dict(row._mapping) for row in reader.connection.execute(statement)]
