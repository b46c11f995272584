"""Which database a read goes to when the store has a read replica.

A store opened with a read replica (a PostgreSQL hot standby fed by streaming
replication) writes to the primary, always, and reads from the primary unless the code
serving a request says that this request may read the replica
(:func:`replica_reads`): the web application does so for GET and HEAD requests of a
client that has not changed anything in the last few seconds (``web.read_routing``).
Nothing else does: commands, jobs and imports read the primary.

A replica is behind the primary by its replication lag (usually well under a second on
one network): a read routed there may miss the last changes. Three rules keep a person
from seeing that: a read inside a write transaction is the write's own connection (on
the primary); once a request has written, its later reads go to the primary
(:func:`primary_from_now`); and the web application sends a client that changed
something to the primary for a while after (see ``web.read_routing``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: Whether reads of the current context (one web request) may go to the replica.
_REPLICA_READS: ContextVar[bool] = ContextVar("demine_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, :meth:`Store.read` may read the replica (when there is one)."""
    token = _REPLICA_READS.set(True)
    try:
        yield
    finally:
        _REPLICA_READS.reset(token)


def replica_reads_allowed() -> bool:
    """Whether reads of the current context may go to the replica."""
    return _REPLICA_READS.get()


def primary_from_now() -> None:
    """The current context wrote: its later reads go to the primary, which holds what it
    wrote (the replica may not yet)."""
    if _REPLICA_READS.get():
        _REPLICA_READS.set(False)
