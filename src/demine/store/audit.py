"""The audit log and the record history: who changed what, when, and what it was before.

``audit_log`` records every change made through the web and the API, with the values
before and after. ``record_history`` keeps every superseded version of a stored row,
with who replaced it and how, so that a record's versions (and the register as it
was known on a past day) can be read back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from demine.domain.access import Principal
from demine.domain.kinds import Kind
from demine.store import schema
from demine.store.geometry import is_geometry
from demine.store.reader import RegisterReader

#: Columns of a stored row that say nothing to a person reading its history.
_INTERNAL = {"id", "min_x", "min_y", "max_x", "max_y", "import_batch_id"}

#: The ``access_log`` action of an export that included drafts and deleted rows.
EXPORT_DRAFTS = "export_drafts"


def json_value(value: Any) -> Any:
    """A stored value as JSON holds it: geometry as WKT, dates in ISO 8601."""
    if is_geometry(value):
        import shapely

        return shapely.to_wkt(value, rounding_precision=-1)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def plain(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A stored row as JSON values (geometry as WKT), without internal columns."""
    if row is None:
        return None
    return {name: json_value(value) for name, value in row.items() if name not in _INTERNAL}


def record(
    connection: Connection,
    *,
    actor: str,
    action: str,
    table_name: str,
    key: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    at: datetime,
) -> None:
    """Append one entry to the audit log."""
    connection.execute(
        insert(schema.audit_log).values(
            at=at,
            actor=actor,
            action=action,
            table_name=table_name,
            record_key=key,
            before=plain(before),
            after=plain(after),
        )
    )


def keep_version(
    connection: Connection,
    table_name: str,
    key: str,
    old: Mapping[str, Any],
    now: datetime,
    *,
    batch_id: int | None = None,
    changed_by: str | None = None,
    action: str | None = None,
) -> None:
    """Keep ``old``, the version of a row about to be replaced, in ``record_history``."""
    connection.execute(
        insert(schema.record_history).values(
            table_name=table_name,
            record_key=key,
            superseded_at=now,
            superseded_by_batch_id=batch_id,
            changed_by=changed_by,
            action=action or ("import" if batch_id is not None else None),
            data={name: json_value(value) for name, value in old.items()},
        )
    )


@dataclass(frozen=True)
class SupersededVersion:
    """A past version of a row, as ``record_history`` keeps it, and what replaced it."""

    data: dict[str, Any]
    superseded_at: datetime
    changed_by: str | None
    action: str | None


def superseded_versions(reader: RegisterReader, kind: Kind, key: str) -> list[SupersededVersion]:
    """The past versions of the record ``key`` of ``kind``, oldest first."""
    history = schema.record_history
    rows = reader.connection.execute(
        select(
            history.c.data,
            history.c.superseded_at,
            history.c.superseded_by_batch_id,
            history.c.changed_by,
            history.c.action,
        )
        .where(history.c.table_name == reader.table(kind).name, history.c.record_key == key)
        .order_by(history.c.id)
    )
    return [
        SupersededVersion(
            dict(row.data),
            row.superseded_at,
            row.changed_by,
            row.action or ("import" if row.superseded_by_batch_id is not None else None),
        )
        for row in rows
    ]


def creator(reader: RegisterReader, kind: Kind, key: str) -> str | None:
    """Who created the record ``key`` of ``kind`` through the web or the API, if anyone."""
    log = schema.audit_log
    return reader.connection.execute(
        select(log.c.actor)
        .where(log.c.table_name == reader.table(kind).name, log.c.record_key == key)
        .where(log.c.action == "create")
        .order_by(log.c.id)
        .limit(1)
    ).scalar()


def log_export(
    connection: Connection,
    principal: Principal,
    table_name: str,
    keys: Sequence[str],
    at: datetime,
) -> None:
    """Log, in ``access_log``, which records not yet live an export wrote out."""
    connection.execute(
        insert(schema.access_log).values(
            at=at,
            actor=principal.describe(),
            action=EXPORT_DRAFTS,
            table_name=table_name,
            record_keys=json.dumps(sorted(keys)),
            purpose=None,
        )
    )
