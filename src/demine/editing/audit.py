"""The audit log: who did what, when, with the values before and after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, insert

from demine.store import schema

_INTERNAL = {"id", "min_x", "min_y", "max_x", "max_y", "import_batch_id"}


def plain(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A stored row as JSON values (geometry as WKT), without internal columns."""
    if row is None:
        return None
    result: dict[str, Any] = {}
    for name, value in row.items():
        if name in _INTERNAL:
            continue
        if isinstance(value, BaseGeometry):
            value = shapely.to_wkt(value, rounding_precision=-1)
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        result[name] = value
    return result


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
