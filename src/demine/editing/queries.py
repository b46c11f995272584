"""Listing records with filters: district, period, category, status, bbox, paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.workflow import ReviewStatus
from demine.editing.service import StoredRecord, kind_for, require_read, stored_records
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RecordFilter, RegisterReader
from demine.store.reads.editing import REVIEW_STATUSES, district_row_id, record_page
from demine.store.spatial import BBox

MAX_PAGE = 1_000


@dataclass(frozen=True)
class ListFilters:
    district: str | None = None
    start: date | None = None
    end: date | None = None
    category: str | None = None
    status: str | None = None
    bbox: BBox | None = None
    include_deleted: bool = False
    limit: int = 100
    offset: int = 0


def list_records(
    reader: RegisterReader, kind: str, filters: ListFilters, principal: Principal
) -> tuple[list[StoredRecord], int]:
    """One page of records matching ``filters`` and how many match in all.

    Drafts, reports under review and deleted records are listed only for those who may
    edit: anyone else asking for them is refused, not answered with live records.
    """
    require_read(principal)
    if not 1 <= filters.limit <= MAX_PAGE or filters.offset < 0:
        raise InvalidRequestError(_("limit must be 1..{most} and offset ≥ 0").format(most=MAX_PAGE))
    described = kind_for(kind, reader.kinds)
    not_live = REVIEW_STATUSES - {ReviewStatus.APPROVED.value}
    unapproved = described.reviewed and filters.status in not_live
    if filters.include_deleted or unapproved:
        require(principal, Permission.EDIT, _("read drafts and deleted records"))
    district_id = None
    if filters.district is not None:
        if described.district is None:
            raise InvalidRequestError(
                _("{kind} records have no district to filter on").format(kind=kind)
            )
        district_id = district_row_id(reader, filters.district)
    where = RecordFilter(district_id, filters.start, filters.end, filters.category, filters.bbox)
    page = record_page(
        reader,
        described,
        where,
        status=filters.status,
        include_deleted=filters.include_deleted,
        limit=filters.limit,
        offset=filters.offset,
    )
    return stored_records(reader, kind, page.rows), page.total
