"""Every error the web layer answers, in one shape: ``{"code", "message", ...}``.

Demine's own errors (:mod:`demine.errors`) carry their code, message and status.
FastAPI's request validation (422) and HTTP errors (404 for an unknown path, 405…) are
answered in the same shape, the fields at fault listed under ``problems`` as an
import's bad rows are. A :class:`~demine.errors.Forbidden` on a page route answers
with a page (see :func:`demine.web.pages.refused`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from demine.errors import (
    DemineError,
    Forbidden,
    ImportRejected,
    InvalidRequestError,
    ThrottledError,
)
from demine.i18n import _
from demine.web.access import caller
from demine.web.auth import COOKIE
from demine.web.openapi_responses import REF, ErrorBody, component_schemas
from demine.web.openrosa import error_answer, is_openrosa
from demine.web.pages import is_page, is_public, refused
from demine.web.security import security_headers

#: Codes of HTTP errors raised by the framework itself, by status.
HTTP_CODES = {
    400: InvalidRequestError.code,
    401: "authentication_failed",
    403: Forbidden.code,
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "upload_too_large",
    415: "unsupported_media_type",
}


def error_response(error: DemineError) -> JSONResponse:
    """The JSON answer to ``error``, with its status."""
    content: dict[str, object] = {"code": error.code, "message": error.message}
    if isinstance(error, ImportRejected):
        content["problems"] = [{"field": p.field, "reason": p.reason} for p in error.problems]
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, ThrottledError) else None
    return JSONResponse(status_code=error.http_status, content=content, headers=headers)


def openrosa_error_response(error: DemineError, *, anonymous: bool) -> Response:
    """``error`` answered as OpenRosa clients read it (an ``OpenRosaResponse`` message)."""
    answer = error_answer(error, anonymous=anonymous)
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers=answer.all_headers(),
    )


def error_response_to(request: Request, error: DemineError) -> Response:
    """The answer to ``error`` in the format of the API ``request`` went to."""
    if is_openrosa(request.url.path):
        # A browser's request (it carries the session cookie: the field forms' page) is
        # never asked for basic credentials, which would pop up the browser's own login
        # dialog: refused before its caller is known (same-origin check) or with a
        # session that has ended, it gets a plain 403.
        anonymous = is_public(caller(request)) and COOKIE not in request.cookies
        return openrosa_error_response(error, anonymous=anonymous)
    return error_response(error)


def _problem(detail: dict[str, Any]) -> dict[str, Any]:
    where = [str(part) for part in detail.get("loc", ())]
    return {
        "field": ".".join(where[1:]) or None,
        "reason": str(detail.get("msg", "")),
        "in": where[0] if where else "request",
    }


def validation_response(error: RequestValidationError) -> JSONResponse:
    """422 naming each field at fault and why."""
    problems = [_problem(detail) for detail in error.errors()]
    said = "; ".join(
        f"{p['field']}: {p['reason']}" if p["field"] else p["reason"] for p in problems
    )
    content = {
        "code": InvalidRequestError.code,
        "message": _("the request is not valid: {problems}").format(problems=said),
        "problems": problems,
    }
    return JSONResponse(status_code=422, content=content)


def http_response(error: HTTPException) -> Response:
    """An HTTP error of the framework (unknown path, wrong method…) in Demine's shape."""
    message = error.detail if isinstance(error.detail, str) else str(error.detail)
    content = {"code": HTTP_CODES.get(error.status_code, "error"), "message": message}
    return JSONResponse(status_code=error.status_code, content=content, headers=error.headers)


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` in Demine's shape, and say so in its OpenAPI."""

    @app.exception_handler(DemineError)
    async def demine_error(request: Request, error: DemineError) -> Response:
        return error_response_to(request, error)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        return refused(request, error) if is_page(request) else error_response_to(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if is_openrosa(request.url.path):
            said = json.loads(bytes(validation_response(error).body))["message"]
            return error_response_to(request, InvalidRequestError(said))
        return validation_response(error)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if is_openrosa(request.url.path):
            said = error.detail if isinstance(error.detail, str) else str(error.detail)
            refusal = DemineError(said)
            refusal.http_status = error.status_code
            return error_response_to(request, refusal)
        return http_response(error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        # Answered outside every middleware (and the error then logged by the server),
        # so the security headers are added here.
        content = {"code": DemineError.code, "message": _("internal server error")}
        headers = security_headers(https=bool(request.app.state.settings.https))
        return JSONResponse(status_code=500, content=content, headers=headers)

    app.openapi = _openapi(app)  # type: ignore[method-assign]


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The app's OpenAPI document, with the models routes name in ``responses=`` and its
    validation errors described as Demine's errors."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(component_schemas())
            # FastAPI's own 422 (on a route declaring none) is answered in the same shape.
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = {"$ref": REF + ErrorBody.__name__}
                schemas.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    return document
