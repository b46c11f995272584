"""Scans and photos of minefield records, stored in the database with their checksum.

Attachments live in the database, not beside it, so that a backup holds them and the
record's access rules cover them. Each is stored once per record: attaching the same
bytes again (under any name) changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select

from demine.domain.records import RecordAttachment
from demine.errors import InvalidRequestError, NotFoundError, StoreError
from demine.i18n import _
from demine.store import schema
from demine.store.engine import Store

#: Larger files are refused: a scanned sheet is a few MB, and the whole file is read.
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024

_table = schema.record_attachments

#: What a file is, by its first bytes: scans and photos of records. Anything else is
#: served as opaque bytes, whatever its name says.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
OPAQUE = "application/octet-stream"


def media_type_of(content: bytes) -> str:
    """The media type ``content`` is by its first bytes (never by its file name)."""
    for signature, media_type in _SIGNATURES:
        if content.startswith(signature):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return OPAQUE


@dataclass(frozen=True)
class Attached:
    """What attaching one file did."""

    attachment: RecordAttachment
    #: False when the record already held the same bytes.
    added: bool


def _record_id(connection: Connection, record: str) -> int:
    row_id = connection.execute(
        select(schema.minefield_records.c.id).where(
            schema.minefield_records.c.external_id == record
        )
    ).scalar()
    if row_id is None:
        raise NotFoundError(_("no minefield record '{record}'").format(record=record))
    return int(row_id)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InvalidRequestError(_("{path}: no such file").format(path=path))
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        raise InvalidRequestError(
            _("{path}: larger than {limit} MB").format(path=path.name, limit=limit)
        )
    return path.read_bytes()


def attach_files(
    store: Store, record: str, paths: Sequence[Path], now: datetime | None = None
) -> list[Attached]:
    """Store each file of ``paths`` with ``record`` (by external id), all or none."""
    contents = [(path.name, _read(path)) for path in paths]
    moment = now or datetime.now(UTC)
    results: list[Attached] = []
    with store.write() as connection:
        record_id = _record_id(connection, record)
        stored = {
            sha: name
            for sha, name in connection.execute(
                select(_table.c.sha256, _table.c.file_name).where(_table.c.record_id == record_id)
            )
        }
        for name, content in contents:
            sha256 = hashlib.sha256(content).hexdigest()
            media_type = media_type_of(content)
            if sha256 in stored:
                kept = RecordAttachment(record, stored[sha256], media_type, len(content), sha256)
                results.append(Attached(kept, added=False))
                continue
            connection.execute(
                insert(_table).values(
                    record_id=record_id,
                    file_name=name,
                    media_type=media_type,
                    size=len(content),
                    sha256=sha256,
                    content=content,
                    attached_at=moment,
                )
            )
            stored[sha256] = name
            new = RecordAttachment(record, name, media_type, len(content), sha256)
            results.append(Attached(new, added=True))
    return results


def list_attachments(store: Store, record: str) -> list[RecordAttachment]:
    """The attachments of ``record``, in the order they were attached (content left out)."""
    with store.read() as connection:
        record_id = _record_id(connection, record)
        rows = connection.execute(
            select(_table.c.file_name, _table.c.media_type, _table.c.size, _table.c.sha256)
            .where(_table.c.record_id == record_id)
            .order_by(_table.c.id)
        ).all()
    return [RecordAttachment(record, name, media, size, sha) for name, media, size, sha in rows]


def attachment_content(store: Store, record: str, sha256: str) -> bytes:
    """The stored bytes of one attachment, checked against their checksum."""
    with store.read() as connection:
        record_id = _record_id(connection, record)
        content = connection.execute(
            select(_table.c.content).where(
                _table.c.record_id == record_id, _table.c.sha256 == sha256
            )
        ).scalar()
    if content is None:
        raise NotFoundError(
            _("record '{record}' has no attachment {sha256}").format(record=record, sha256=sha256)
        )
    data = bytes(content)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoreError(
            _("attachment {sha256} of '{record}' is corrupt").format(sha256=sha256, record=record)
        )
    return data
