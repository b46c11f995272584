"""A record's versions, oldest first: what it held, from when to when, and who made it.

Each change of a stored row keeps the replaced version in the record history with who
replaced it and how; a version was therefore made by the change that ended the one
before it (the first one by its creation or import). Those who may not see drafts see
only the versions that were live (approved and not deleted); free text is withheld from
those without the victim-data grant, in every version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from demine.domain.access import Principal
from demine.domain.workflow import ReviewStatus
from demine.editing.service import kind_for, require_read, row_of
from demine.store.audit import creator, plain, superseded_versions
from demine.store.reader import RegisterReader, Visibility


@dataclass(frozen=True)
class RecordVersion:
    """One version of a record."""

    version: int
    values: dict[str, Any]
    valid_from: str | None
    valid_to: str | None
    changed_by: str | None
    action: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "changed_by": self.changed_by,
            "action": self.action,
            "values": self.values,
        }


def _live(values: Mapping[str, Any]) -> bool:
    status = values.get("review_status") or ReviewStatus.APPROVED.value
    return status == ReviewStatus.APPROVED.value and values.get("deleted_at") is None


def record_versions(
    reader: RegisterReader, kind: str, key: str, principal: Principal
) -> list[RecordVersion]:
    """The versions of the record ``key`` of ``kind``, oldest first, the current last."""
    require_read(principal)
    described = kind_for(kind, reader.kinds)
    current = row_of(reader, described, key)
    past = superseded_versions(reader, described, key)
    datas = [version.data for version in past] + [dict(current)]
    versions = []
    for index, data in enumerate(datas):
        if index:
            made_by, action = past[index - 1].changed_by, past[index - 1].action
        else:
            imported = data.get("import_batch_id") is not None
            made_by = None if imported else creator(reader, described, key)
            action = "import" if imported else "create"
        values = reader.shown(described, plain(data) or {})
        versions.append(
            RecordVersion(
                version=int(data.get("version") or index + 1),
                values=values,
                valid_from=values.get("updated_at"),
                valid_to=past[index].superseded_at.isoformat() if index < len(past) else None,
                changed_by=made_by,
                action=action,
            )
        )
    if reader.visibility is Visibility.LIVE:
        versions = [version for version in versions if _live(version.values)]
    return versions
