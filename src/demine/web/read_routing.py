"""Serving reads from a read replica: which requests may, and reading one's own writes.

With a read replica (``DEMINE_READ_REPLICA_URL``), a GET or HEAD request reads the
replica — the OGC API, map layers, dashboards, public pages, the REST API's lists —
and every other request reads and writes the primary. A replica lags the primary by a
fraction of a second, which a person would notice only right after changing
something: the record just saved missing from the list it returns to. So a response to
any other request (a change) sets a cookie that sends its client's reads to the primary
for ``read_replica_sticky_seconds``; a script without cookies reads the replica at once
(the authentication itself looks up an unknown session or token again on the primary,
see :func:`demine.web.auth.resolve_caller`).
"""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from demine.store.replica import replica_reads

#: Until when (Unix time) the client reads the primary.
COOKIE = "demine_primary_until"
#: Requests that change nothing, answered from the replica.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReplicaReads:
    """ASGI middleware: reads of reading requests go to the replica, except for a client
    that changed something in the last ``sticky_seconds``."""

    def __init__(self, app: ASGIApp, *, sticky_seconds: int, https: bool) -> None:
        self.app = app
        self.sticky_seconds = sticky_seconds
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        now = time.time()
        if scope["method"] in READING_METHODS:
            if _primary_until(scope) > now:
                await self.app(scope, receive, send)
                return
            with replica_reads():
                await self.app(scope, receive, send)
            return
        cookie = self._cookie(int(now) + self.sticky_seconds)

        async def marking(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, marking)

    def _cookie(self, until: int) -> str:
        secure = "; Secure" if self.https else ""
        return (
            f"{COOKIE}={until}; Max-Age={self.sticky_seconds}; Path=/; HttpOnly; "
            f"SameSite=Lax{secure}"
        )


def _primary_until(scope: Scope) -> float:
    """The time the request's cookie names (0 without one); a forged one only sends its
    client to the primary."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            until = cookie_parser(value.decode("latin-1")).get(COOKIE, "")
            return float(until) if until.isdigit() else 0.0
    return 0.0
