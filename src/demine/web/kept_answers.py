"""OGC API answers sent again from the response cache, without the framework's round.

An answer the OGC routes made and kept (:class:`~demine.web.http_cache.ResponseCache`)
is found by its tag: the data version read now, the caller's roles, the reader's
language and the request (:func:`demine.web.routes_ogc.answer_tag`). Finding it needs
only who is calling and the data version, so this ASGI layer, in front of the
application, answers a ``GET`` under ``/ogc/`` whose answer is kept at once: the caller
is resolved by the very function the authentication layer uses
(:func:`demine.web.auth.resolve_caller`, a revoked token or disabled account refused
there as everywhere), the language chosen as for every request, and the kept bytes sent
with the headers the routes and the authentication layer give them.

Everything else goes through the application as before: answers not kept (made there,
then kept; the caller resolved here is not looked up again), refusals (the application
answers them in its own words), and a token whose use is due to be recorded (the
authentication layer records it). An answer is kept only after the route's permission
and the caller's collections allowed it for those roles, and its tag starts with the
data version, so an answer is never sent to callers of other roles nor after a write.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from demine.errors import DemineError
from demine.i18n import using_locale
from demine.store.engine import Store
from demine.web import auth, csrf, language
from demine.web.access import caller
from demine.web.http_cache import ResponseCache
from demine.web.routes_ogc import answer_tag, kept_response


class KeptAnswers:
    """Answer ``GET`` requests under ``prefix`` from ``cache`` when it holds the answer."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        cache: ResponseCache,
        default_locale: str,
        https: bool = False,
        prefix: str = "/ogc/",
    ) -> None:
        self.app = app
        self.store = store
        self.cache = cache
        self.default_locale = default_locale
        self.https = https
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].startswith(self.prefix)
        ):
            # Database reads: in a worker thread, as the routes' own.
            kept = await anyio.to_thread.run_sync(self.kept, scope)
            if kept is not None:
                await kept(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def kept(self, scope: Scope) -> Response | None:
        """The kept answer to the request ``scope`` describes, with every header the
        application would give it; None when the application must answer."""
        request = Request(scope)
        with self.store.read() as connection:
            try:
                csrf.check_same_origin(request, https=self.https)
                if auth.resolve_caller(request, connection) is not None:
                    return None  # the token's use is to be recorded: the application does
            except DemineError:
                return None  # refused: in the application's words
            auth.keep_resolved(request)  # not looked up again if the application answers
            principal = caller(request)
            chosen = language.reader_language(request, self.default_locale)
            with using_locale(chosen):
                tag = answer_tag(request, principal, connection)
        found = self.cache.get(tag)
        if found is None:
            return None
        response = kept_response(request, principal, tag, found)
        language.mark_language(response, chosen)
        return response
