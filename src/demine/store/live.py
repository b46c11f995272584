"""Which rows count: approved and not deleted.

Field reports entered on the web wait as drafts until an information manager approves
them, and deleted records are kept (with their history) but hidden. Every report,
statistic, map and public figure reads only the rows :func:`counted` lets through.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, true
from sqlalchemy.sql.elements import ColumnElement

APPROVED = "approved"


def counted(table: Table) -> ColumnElement[bool]:
    """The condition a row of ``table`` meets when it feeds figures."""
    conditions: list[Any] = []
    if "review_status" in table.c:
        conditions.append(table.c.review_status == APPROVED)
    if "deleted_at" in table.c:
        conditions.append(table.c.deleted_at.is_(None))
    return and_(*conditions) if conditions else true()
