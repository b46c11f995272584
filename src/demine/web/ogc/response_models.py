"""The OGC API – Features documents, as the app's OpenAPI document describes them.

The handlers (:mod:`demine.web.ogc.handlers`) build these as plain dictionaries; the
models only describe them (see :mod:`demine.web.openapi_responses`). Names follow the
standard (``conformsTo``, ``numberMatched``…).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from demine.web.response_models import Geometry


class Link(BaseModel):
    href: str
    rel: str
    type: str | None = None
    title: str | None = None


class LandingPage(BaseModel):
    title: str
    description: str
    links: list[Link]


class Conformance(BaseModel):
    conforms_to: list[str] = Field(alias="conformsTo")


class Collection(BaseModel):
    id: str
    title: str
    description: str
    item_type: Literal["feature"] = Field(alias="itemType")
    crs: list[str]
    links: list[Link]
    extent: dict[str, Any] | None = Field(
        default=None, description="Spatial and temporal extent, when there are features"
    )


class Collections(BaseModel):
    links: list[Link]
    collections: list[Collection]


class Feature(BaseModel):
    type: Literal["Feature"]
    id: int | str
    geometry: Geometry | None
    properties: dict[str, Any] | None
    links: list[Link]


class FeatureSchema(BaseModel):
    """A JSON Schema of a collection's features (OGC API – Features – Part 5)."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(alias="$schema")
    id: str = Field(alias="$id")
    type: Literal["object"]
    title: str
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[Feature]
    number_matched: int = Field(alias="numberMatched")
    number_returned: int = Field(alias="numberReturned")
    time_stamp: str = Field(alias="timeStamp", description="RFC 3339 date-time")
    links: list[Link]
