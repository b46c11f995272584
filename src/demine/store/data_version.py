"""The version of the data an OGC API answer is made of, for ETags and cached answers.

Triggers (migration 0023) raise a counter in ``data_versions`` for a table on every
insert, update and delete, whoever writes: imports, edits, approvals, soft and hard
deletes. The sum of the counters read with the answer, in the same transaction, changes
whenever any row behind it may have changed.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from demine.store import schema

#: Built once: every OGC answer, fresh or kept, reads it.
_SUM = select(func.coalesce(func.sum(schema.data_versions.c.version), 0))


def data_version(connection: Connection) -> int:
    """The sum of every served table's change counter (it only ever grows)."""
    return int(connection.execute(_SUM).scalar_one())
