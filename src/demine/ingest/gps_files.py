"""Geometry uploaded from a GPS device: GPX (waypoints, routes, tracks) and KML or KMZ
(placemarks with a Point, LineString or Polygon, in MultiGeometry too).

A device's file often holds more than the one shape wanted (a track and the waypoints
marked on the way): polygons are taken before lines, and lines before points; two
shapes of the kind taken are refused, named, rather than guessed between. Points make
a point, or the corners of a line or a polygon in the order they were marked.

GPX is read by ``gpxpy``; KML by the standard XML parser behind ``defusedxml`` (KML's
geometry is three elements with one text of coordinates each, which ``fastkml`` would
read with two more dependencies). Every file passes ``defusedxml`` first, which refuses
entity tricks (a "billion laughs" file, an external entity) before anything reads it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from demine.errors import ImportRejected, Problem
from demine.i18n import _
from demine.ingest.coordinates import Position, Shape, shape_of

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: The largest file read (a day's track at one point a second is about 10 MB of GPX).
MAX_BYTES = 20 * 1024 * 1024
KML_NS = "{http://www.opengis.net/kml/2.2}"


@dataclass(frozen=True)
class Part:
    """One shape of a file: its name, what it is and its positions (a polygon's outer
    ring first, then its holes)."""

    name: str
    kind: str  # polygon, line or points
    rings: tuple[tuple[Position, ...], ...]


def _refuse(file_name: str, reason: str) -> ImportRejected:
    return ImportRejected([Problem(file_name, None, "file", reason)])


def _safe_xml(file_name: str, data: bytes) -> Any:
    """The parsed XML tree, or a clear refusal (entities and DTDs refused)."""
    import defusedxml
    import defusedxml.ElementTree as SafeTree

    try:
        return SafeTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise _refuse(file_name, _("the file declares entities or a DTD; refused")) from None
    except SafeTree.ParseError as error:
        raise _refuse(
            file_name, _("the file is not readable XML: {reason}").format(reason=error)
        ) from None


def gpx_parts(file_name: str, data: bytes) -> list[Part]:
    """The tracks (one part a segment), routes and waypoints of a GPX file."""
    import gpxpy
    import gpxpy.gpx

    _safe_xml(file_name, data)
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except gpxpy.gpx.GPXException as error:
        raise _refuse(
            file_name, _("the file is not readable GPX: {reason}").format(reason=error)
        ) from None
    parts: list[Part] = []
    for t, track in enumerate(gpx.tracks, start=1):
        for s, segment in enumerate(track.segments, start=1):
            name = track.name or _("track {number}").format(number=t)
            if len(track.segments) > 1:
                name = f"{name} / {s}"
            parts.append(Part(name, "line", (_positions(segment.points),)))
    for r, route in enumerate(gpx.routes, start=1):
        name = route.name or _("route {number}").format(number=r)
        parts.append(Part(name, "line", (_positions(route.points),)))
    if gpx.waypoints:
        parts.append(Part(_("waypoints"), "points", (_positions(gpx.waypoints),)))
    return [part for part in parts if part.rings[0]]


def _positions(points: Any) -> tuple[Position, ...]:
    return tuple(
        Position(float(p.longitude), float(p.latitude), number)
        for number, p in enumerate(points, start=1)
    )


def _kml_positions(file_name: str, text: str | None) -> tuple[Position, ...]:
    """Positions of a KML ``coordinates`` text: ``lon,lat[,alt]`` tuples split by spaces."""
    positions = []
    for number, item in enumerate((text or "").split(), start=1):
        values = item.split(",")
        try:
            lon, lat = float(values[0]), float(values[1])
        except (ValueError, IndexError):
            raise _refuse(
                file_name,
                _("coordinates '{text}' are not longitude,latitude[,altitude]").format(text=item),
            ) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _refuse(file_name, _("coordinates '{text}' are off the globe").format(text=item))
        positions.append(Position(lon, lat, number))
    return tuple(positions)


def kml_parts(file_name: str, data: bytes) -> list[Part]:
    """The points, lines and polygons of a KML file's placemarks (or of a KMZ's KML)."""
    if data[:2] == b"PK":
        data = _kml_of_kmz(file_name, data)
    root = _safe_xml(file_name, data)
    # KML 2.2 has its namespace; Google Earth's older files another; some none at all.
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    parts: list[Part] = []
    points: list[Position] = []
    for p, placemark in enumerate(root.iter(f"{namespace}Placemark"), start=1):
        name = (placemark.findtext(f"{namespace}name") or "").strip() or _(
            "placemark {number}"
        ).format(number=p)
        for polygon in placemark.iter(f"{namespace}Polygon"):
            rings = [
                _kml_positions(file_name, ring.text)
                for boundary in ("outerBoundaryIs", "innerBoundaryIs")
                for ring in polygon.iterfind(
                    f"{namespace}{boundary}/{namespace}LinearRing/{namespace}coordinates"
                )
            ]
            parts.append(Part(name, "polygon", tuple(rings)))
        for line in placemark.iter(f"{namespace}LineString"):
            coordinates = line.findtext(f"{namespace}coordinates")
            parts.append(Part(name, "line", (_kml_positions(file_name, coordinates),)))
        for point in placemark.iter(f"{namespace}Point"):
            found = _kml_positions(file_name, point.findtext(f"{namespace}coordinates"))
            points += [Position(q.lon, q.lat, len(points) + 1) for q in found]
    if points:
        parts.append(Part(_("points"), "points", (tuple(points),)))
    return [part for part in parts if part.rings and part.rings[0]]


def _kml_of_kmz(file_name: str, data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".kml")]
            if not names:
                raise _refuse(file_name, _("the KMZ file holds no KML"))
            main = "doc.kml" if "doc.kml" in names else names[0]
            if archive.getinfo(main).file_size > MAX_BYTES:
                raise _refuse(file_name, _("the file is too large"))
            return archive.read(main)
    except zipfile.BadZipFile:
        raise _refuse(file_name, _("the KMZ file is not a readable ZIP archive")) from None


def read_gps_file(file_name: str, data: bytes, shape: Shape = Shape.AUTO) -> BaseGeometry:
    """The one shape of a GPX, KML or KMZ file (``shape`` says what is wanted)."""
    if len(data) > MAX_BYTES:
        raise _refuse(file_name, _("the file is too large"))
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix == "gpx":
        parts = gpx_parts(file_name, data)
    elif suffix in ("kml", "kmz"):
        parts = kml_parts(file_name, data)
    else:
        raise _refuse(file_name, _("a GPS file is GPX, KML or KMZ"))
    return _one_shape(file_name, parts, shape)


def _one_shape(file_name: str, parts: list[Part], shape: Shape) -> BaseGeometry:
    from shapely.geometry import Polygon

    if not parts:
        raise _refuse(file_name, _("the file holds no point, line or polygon"))
    wanted = [p for p in parts if p.kind == "polygon"] or [p for p in parts if p.kind == "line"]
    if shape is Shape.POINT:
        wanted = [p for p in parts if p.kind == "points"] or wanted
    wanted = wanted or parts
    if len(wanted) > 1:
        names = ", ".join(part.name for part in wanted)
        raise _refuse(
            file_name,
            _("the file holds {count} shapes ({names}); keep only the one wanted").format(
                count=len(wanted), names=names
            ),
        )
    part = wanted[0]
    if part.kind == "polygon" and shape in (Shape.AUTO, Shape.POLYGON):
        outer = shape_of(part.rings[0], Shape.POLYGON, file_name)
        if len(part.rings) == 1:
            return outer
        holes = [[(p.lon, p.lat) for p in ring] for ring in part.rings[1:]]
        return Polygon(outer.exterior.coords, holes)
    if shape is Shape.AUTO:
        shape = Shape.POINT if len(part.rings[0]) == 1 else Shape.AUTO
    return shape_of(part.rings[0], shape, file_name)
