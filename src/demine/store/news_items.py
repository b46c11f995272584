"""Read news items as stored: waiting for review, approved or rejected.

An item is stored once per text (its SHA-256): importing the same text again finds it
and changes nothing. Approving writes the values approved per field and the external
ids of the published summaries made of them, in the approving transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from demine.domain.workflow import ReviewStatus
from demine.store import schema

_items = schema.news_items


@dataclass(frozen=True)
class StoredNewsItem:
    """A read news item as stored."""

    id: int
    text_sha256: str
    country: str
    source_name: str
    source_reference: str
    source_text: str
    #: ``{"fields": [names], "readings": {name: reading}, "warnings": [...]}``.
    reading: Mapping[str, Any]
    status: ReviewStatus
    imported_by: str
    imported_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str | None
    approved: Mapping[str, Any] | None
    summaries: Sequence[str]

    @property
    def fields(self) -> list[str]:
        return list(self.reading.get("fields", []))

    @property
    def readings(self) -> Mapping[str, Mapping[str, Any]]:
        return dict(self.reading.get("readings", {}))

    def read_values(self) -> dict[str, Any]:
        """What the reader gave for each field it read (None where it abstained)."""
        return {name: reading.get("value") for name, reading in self.readings.items()}


def _stored(row: Any) -> StoredNewsItem:
    values = row._mapping
    return StoredNewsItem(
        id=values["id"],
        text_sha256=values["text_sha256"],
        country=values["country"],
        source_name=values["source_name"],
        source_reference=values["source_reference"],
        source_text=values["source_text"],
        reading=dict(values["reading"] or {}),
        status=ReviewStatus(values["status"]),
        imported_by=values["imported_by"],
        imported_at=values["imported_at"],
        reviewed_by=values["reviewed_by"],
        reviewed_at=values["reviewed_at"],
        review_note=values["review_note"],
        approved=dict(values["approved"]) if values["approved"] is not None else None,
        summaries=list(values["summaries"] or []),
    )


@dataclass(frozen=True)
class NewNewsItem:
    """A read item to store for review."""

    text_sha256: str
    country: str
    source_name: str
    source_reference: str
    source_text: str
    reading: Mapping[str, Any]


def stored_digests(connection: Connection, digests: Sequence[str]) -> set[str]:
    """Which of ``digests`` (texts' SHA-256) are stored already."""
    if not digests:
        return set()
    statement = select(_items.c.text_sha256).where(_items.c.text_sha256.in_(sorted(digests)))
    return set(connection.execute(statement).scalars())


def add_items(
    connection: Connection, items: Sequence[NewNewsItem], imported_by: str, now: datetime
) -> None:
    """Store ``items`` as waiting for review."""
    if not items:
        return
    connection.execute(
        insert(_items),
        [
            {
                "text_sha256": item.text_sha256,
                "country": item.country,
                "source_name": item.source_name,
                "source_reference": item.source_reference,
                "source_text": item.source_text,
                "reading": dict(item.reading),
                "status": ReviewStatus.SUBMITTED.value,
                "imported_by": imported_by,
                "imported_at": now,
                "summaries": [],
            }
            for item in items
        ],
    )


def news_item(connection: Connection, item_id: int) -> StoredNewsItem | None:
    row = connection.execute(select(_items).where(_items.c.id == item_id)).first()
    return _stored(row) if row is not None else None


def news_items(
    connection: Connection, country: str, status: ReviewStatus | None = None, limit: int = 200
) -> list[StoredNewsItem]:
    """Items of ``country`` (of one status), oldest first."""
    statement = select(_items).where(_items.c.country == country)
    if status is not None:
        statement = statement.where(_items.c.status == status.value)
    rows = connection.execute(statement.order_by(_items.c.id).limit(limit))
    return [_stored(row) for row in rows]


def approved_items(connection: Connection, country: str) -> list[StoredNewsItem]:
    """Every approved item of ``country``, oldest first."""
    statement = (
        select(_items)
        .where(_items.c.country == country, _items.c.status == ReviewStatus.APPROVED.value)
        .order_by(_items.c.id)
    )
    return [_stored(row) for row in connection.execute(statement)]


def reviewed_summary_ids(connection: Connection, country: str) -> set[str]:
    """External ids of the published summaries made of approved items."""
    statement = select(_items.c.summaries).where(
        _items.c.country == country, _items.c.status == ReviewStatus.APPROVED.value
    )
    return {key for keys in connection.execute(statement).scalars() for key in keys or ()}


def record_review(
    connection: Connection,
    item_id: int,
    *,
    status: ReviewStatus,
    reviewed_by: str,
    now: datetime,
    note: str | None,
    approved: Mapping[str, Any] | None,
    summaries: Sequence[str],
) -> None:
    """Write the review's outcome (only an item still waiting is changed)."""
    connection.execute(
        update(_items)
        .where(_items.c.id == item_id, _items.c.status == ReviewStatus.SUBMITTED.value)
        .values(
            status=status.value,
            reviewed_by=reviewed_by,
            reviewed_at=now,
            review_note=note,
            approved=dict(approved) if approved is not None else None,
            summaries=list(summaries),
        )
    )
