"""Geometry as field staff give it, read for the entry page: coordinates typed one
position a line (decimal degrees, degrees-minutes-seconds, UTM, MGRS, or WKT), or a
GPX/KML/KMZ file from a GPS device. The answer is the WKT the form saves, GeoJSON for
the map and the area on the ground; nothing is stored here (saving goes through the
REST API, which checks the geometry again)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from pydantic import BaseModel, Field

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.errors import UploadTooLarge
from demine.i18n import _
from demine.ingest.coordinates import Shape
from demine.ingest.geometry_input import typed_geometry, uploaded_geometry
from demine.ingest.gps_files import MAX_BYTES
from demine.web.auth import current_principal
from demine.web.openapi_responses import EVERY_ROUTE, body, errors

router = APIRouter(prefix="/api/geometry", tags=["Geometry"], responses=EVERY_ROUTE)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]
MB = 1024 * 1024


class TypedCoordinates(BaseModel):
    """Coordinates typed one position a line, or WKT."""

    text: str = Field(max_length=1_000_000, examples=["40°20'31\"N 46°55'55\"E"])
    shape: Shape = Field(default=Shape.AUTO, description="What the positions make")


class ReadGeometry(BaseModel):
    """A geometry read from typed coordinates or a GPS file."""

    type: Literal["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
                  "MultiPolygon", "GeometryCollection"]  # fmt: skip
    wkt: str
    geojson: dict[str, Any]
    area_m2: float | None = Field(description="Geodesic area (WGS 84) of a polygon")
    length_m: float | None = Field(description="Geodesic length of a line or perimeter")
    positions: int


def _require_entry(principal: Principal) -> None:
    require(principal, Permission.EDIT, _("enter records"))


@router.post(
    "/typed",
    summary="Read typed coordinates (DD, DMS, UTM, MGRS, one a line) or WKT",
    response_model=None,
    responses={200: body(ReadGeometry, "The geometry"), **errors(400, 403, 422)},
)
def read_typed(principal: CallerPrincipal, typed: TypedCoordinates) -> dict[str, Any]:
    _require_entry(principal)
    return typed_geometry(typed.text, typed.shape).to_json()


@router.post(
    "/file",
    summary="Read the shape of a GPX, KML or KMZ file from a GPS device",
    response_model=None,
    responses={200: body(ReadGeometry, "The geometry"), **errors(400, 403, 413, 422)},
)
def read_file(
    request: Request,
    principal: CallerPrincipal,
    file: UploadFile,
    shape: Annotated[Shape, Form()] = Shape.AUTO,
) -> dict[str, Any]:
    _require_entry(principal)
    data = file.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadTooLarge(_("the file is larger than {size} MB").format(size=MAX_BYTES // MB))
    return uploaded_geometry(file.filename or "upload", data, shape).to_json()
