"""What the OpenAPI document says a route answers: its bodies, their media types and
headers, and the one error body with the statuses a route can answer it with.

Routes declare these with ``responses=``. The declarations are documentation only: an
answer is not filtered through its model, so a field another change adds does not
vanish silently, and a mismatch is not turned into a server error. What keeps the
document true is ``tests/test_schemathesis.py``, which checks every answer to generated
requests (anonymous and every role) against it: status, media type, headers and body.

Bodies are named by reference (``#/components/schemas/NAME``) under the media type they
are served with, whatever the route's response class; every model named here is added
to the document's components by :func:`component_schemas`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
REF = "#/components/schemas/"

#: Every model some declaration names, by name (filled as routes are declared).
_DOCUMENTED: dict[str, type[BaseModel]] = {}


class GeoJSONResponse(JSONResponse):
    """JSON served as GeoJSON (RFC 7946).

    A route may return one with its answer as it stands: values JSON cannot write (a
    date) go through FastAPI's encoder one by one, as they would have, while a map
    layer's thousands of coordinates are not first copied through it (seconds of the
    event loop at national scale).
    """

    media_type = GEOJSON

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content,
            default=jsonable_encoder,
            ensure_ascii=False,
            allow_nan=False,
            indent=None,
            separators=(",", ":"),
        ).encode("utf-8")


class ErrorProblem(BaseModel):
    """One field at fault in a request (or one reason a row was refused)."""

    model_config = ConfigDict(populate_by_name=True)

    field: str | None = Field(default=None, description="The field, dotted; none for the whole")
    reason: str
    where: str | None = Field(
        default=None, alias="in", description="Where the field was: path, query, header, body"
    )


class ErrorBody(BaseModel):
    """Every error Demine's API answers: a stable code for scripts, a sentence for people
    and, for an invalid request or a rejected import, each field at fault."""

    code: str = Field(examples=["not_found"])
    message: str
    problems: list[ErrorProblem] = Field(default_factory=list)


class OgcException(BaseModel):
    """An OGC API – Features exception (its own shape, as the standard has it)."""

    code: str = Field(examples=["InvalidParameterValue"])
    description: str


#: What each error status means, as the document says it.
ERROR_DESCRIPTIONS = {
    400: "The request cannot be answered as asked (a malformed value, a filter that cannot "
    "be applied, an action the workflow refuses)",
    401: "Wrong credentials, or an invalid or revoked API token",
    403: "The caller may not do this",
    404: "No such record, account, job or collection (or not one this caller may see)",
    409: "The request conflicts with the register's state",
    412: "The record changed since the version named in If-Match",
    413: "The upload is larger than the server accepts",
    422: "A parameter or the body is not valid (each field at fault listed), or an "
    "import's rows were rejected",
    428: "A change needs If-Match with the version it replaces",
    429: "Too many failed logins: wait before trying again",
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    """A reference to ``model``'s schema, which the document's components then include."""
    _DOCUMENTED.setdefault(model.__name__, model)
    return {"$ref": REF + model.__name__}


def header(description: str, *, required: bool = True) -> dict[str, Any]:
    """A response header, documented as a string."""
    return {"description": description, "required": required, "schema": {"type": "string"}}


def body(
    model: type[BaseModel],
    description: str,
    *,
    media_type: str = JSON,
    alternatives: dict[str, dict[str, Any]] | None = None,
    headers: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A response carrying ``model`` as ``media_type`` (and other media types it may be
    served as instead, with their schemas), with ``headers``."""
    content = {media_type: {"schema": _ref(model)}, **(alternatives or {})}
    answer: dict[str, Any] = {"description": description, "content": content}
    if headers:
        answer["headers"] = headers
    return answer


def list_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """A response carrying a JSON array of ``model``."""
    return {
        "description": description,
        "content": {JSON: {"schema": {"type": "array", "items": _ref(model)}}},
    }


#: A page for people, as served to ``f=html`` (or a browser's Accept).
HTML_PAGE = {HTML: {"schema": {"type": "string"}}}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error ``statuses`` a route answers, each with Demine's one error body."""
    return {
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {JSON: {"schema": _ref(ErrorBody)}},
        }
        for status in statuses
    }


def ogc_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error ``statuses`` an OGC API – Features route answers with an OGC exception."""
    return {
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {JSON: {"schema": _ref(OgcException)}},
        }
        for status in statuses
    }


#: Every route may answer these: a request carrying an unknown or revoked API token is
#: refused before it reaches the route.
EVERY_ROUTE = errors(401)


def component_schemas() -> dict[str, Any]:
    """The schemas of every model the declarations name (and of the models those name),
    as the OpenAPI document's components hold them."""
    named: dict[str, type[BaseModel]] = {ErrorBody.__name__: ErrorBody, **_DOCUMENTED}
    models = [named[name] for name in sorted(named)]
    _by_model, top = models_json_schema(
        [(model, "serialization") for model in models], ref_template=REF + "{model}"
    )
    schemas: dict[str, Any] = top.get("$defs", {})
    return schemas
