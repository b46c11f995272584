"""Reading the audit log (who changed which record, with the values before and after)
and the access log of victims' personal data: administrators only. Free text in the
values is withheld unless the reader also holds the victim-data grant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection, select

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.kinds import KIND_BY_TABLE, Kind, kind_named
from demine.domain.withheld import Withheld, free_text_names, reads_free_text
from demine.i18n import _
from demine.store import schema

#: Columns that change with every write and say nothing about the record itself.
_BOOKKEEPING = {"version", "updated_at"}


@dataclass(frozen=True)
class AuditFilter:
    kind: str | None = None
    record: str | None = None
    actor: str | None = None
    since: date | None = None
    limit: int = 100


@dataclass(frozen=True)
class AuditEntry:
    """One change of one record."""

    at: datetime
    actor: str
    action: str
    kind: str
    record: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    #: Columns whose values the reader may not see (free text): a change of them is
    #: shown, their values withheld.
    withheld: frozenset[str] = frozenset()

    @property
    def changes(self) -> dict[str, tuple[Any, Any]]:
        """Each value that differs between before and after (bookkeeping left out)."""
        before, after = self.before or {}, self.after or {}
        return {
            name: (self._shown(name, before.get(name)), self._shown(name, after.get(name)))
            for name in sorted(set(before) | set(after))
            if name not in _BOOKKEEPING and before.get(name) != after.get(name)
        }

    def _shown(self, name: str, value: Any) -> Any:
        return Withheld() if name in self.withheld and value not in (None, "") else value

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "actor": self.actor,
            "action": self.action,
            "kind": self.kind,
            "record": self.record,
            "changes": {name: {"before": b, "after": a} for name, (b, a) in self.changes.items()},
        }


@dataclass(frozen=True)
class AccessEntry:
    """One read (or refused read, or export) of victims' personal data."""

    at: datetime
    actor: str
    action: str
    records: str
    purpose: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "actor": self.actor,
            "action": self.action,
            "records": self.records,
            "purpose": self.purpose,
        }


def audit_entries(
    connection: Connection, principal: Principal | None, where: AuditFilter
) -> list[AuditEntry]:
    """The newest changes matching ``where`` (newest first)."""
    require(principal, Permission.ADMIN, _("read the audit log"))
    log = schema.audit_log
    statement = select(log).order_by(log.c.at.desc(), log.c.id.desc()).limit(where.limit)
    if where.kind is not None:
        statement = statement.where(log.c.table_name == kind_named(where.kind).table)
    if where.record is not None:
        statement = statement.where(log.c.record_key == where.record)
    if where.actor is not None:
        statement = statement.where(log.c.actor.contains(where.actor))
    if where.since is not None:
        statement = statement.where(log.c.at >= datetime.combine(where.since, time.min, tzinfo=UTC))
    return [
        AuditEntry(
            row.at,
            row.actor,
            row.action,
            kind.name if (kind := KIND_BY_TABLE.get(row.table_name)) else row.table_name,
            row.record_key,
            row.before,
            row.after,
            _withheld(kind, principal),
        )
        for row in connection.execute(statement)
    ]


def _withheld(kind: Kind | None, principal: Principal | None) -> frozenset[str]:
    """The columns of ``kind`` whose values ``principal`` may not read (free text)."""
    if kind is None or reads_free_text(principal):
        return frozenset()
    return free_text_names(kind)


def access_entries(
    connection: Connection, principal: Principal | None, where: AuditFilter
) -> list[AccessEntry]:
    """The newest reads of victims' personal data matching ``where`` (newest first)."""
    require(principal, Permission.ADMIN, _("read the access log"))
    log = schema.access_log
    statement = select(log).order_by(log.c.at.desc(), log.c.id.desc()).limit(where.limit)
    if where.actor is not None:
        statement = statement.where(log.c.actor.contains(where.actor))
    if where.record is not None:
        statement = statement.where(log.c.record_keys.contains(where.record))
    if where.since is not None:
        statement = statement.where(log.c.at >= datetime.combine(where.since, time.min, tzinfo=UTC))
    return [
        AccessEntry(row.at, row.actor, row.action, row.record_keys, row.purpose)
        for row in connection.execute(statement)
    ]
