"""The largest request body the server reads, enforced while it arrives.

Uploads to import may be as large as ``DEMINE_MAX_UPLOAD_MB``; every other request body
(records as JSON, the login form) at most ``MAX_REQUEST_BYTES``. A declared
``Content-Length`` above the limit is refused before a byte of the body is read; a body
sent without one (chunked) is counted as it arrives and refused as soon as it passes
the limit, so a 200 MB upload never reaches memory or disk whole. The refusal is the
413 :class:`~demine.errors.UploadTooLarge` answer, in Demine's error shape.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from demine.errors import UploadTooLarge
from demine.i18n import _
from demine.settings import MB
from demine.submissions.receive import MAX_SUBMISSION_BYTES
from demine.web.errors import error_response, openrosa_error_response
from demine.web.openrosa import is_openrosa

#: Request bodies other than uploads: a record with a detailed polygon fits easily.
MAX_REQUEST_BYTES = 16 * MB
#: Paths that take uploaded files (multipart), with the upload limit.
UPLOAD_PATHS = frozenset({"/api/imports"})
#: Paths with a limit of their own: OpenRosa submissions (the instance and its photos;
#: the multipart framing around them allowed for).
PATH_LIMITS = {"/openrosa/submission": MAX_SUBMISSION_BYTES + MB}


def too_large(limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        _("the request is larger than {size} MB, the most this server accepts here").format(
            size=f"{limit / MB:g}"
        )
    )


def _refusal(scope: Scope, limit: int) -> Response:
    """The 413 answer, in the format of the API the request went to."""
    if is_openrosa(str(scope.get("path", ""))):
        return openrosa_error_response(too_large(MAX_SUBMISSION_BYTES), anonymous=False)
    return error_response(too_large(limit))


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTP exception, so the framework's body
    parsing lets it through and it is answered as Demine's 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large(limit).message)


class RequestSizeLimit:
    """ASGI middleware refusing request bodies larger than the path's limit."""

    def __init__(self, app: ASGIApp, *, upload_bytes: int) -> None:
        self.app = app
        self.upload_bytes = upload_bytes

    def limit(self, path: str) -> int:
        if path in PATH_LIMITS:
            return PATH_LIMITS[path]
        return self.upload_bytes if path in UPLOAD_PATHS else MAX_REQUEST_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(str(scope.get("path", "")))
        declared = Headers(scope=scope).get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            # Answered without reading the body; the server closes the connection.
            await _refusal(scope, limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await _refusal(scope, limit)(scope, receive, send)
