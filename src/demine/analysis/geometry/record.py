"""The checks of one record's shape: validity, vertices, gaps, country, district and
placeholder points. The importer runs them on every row, as warnings."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import pairwise

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from demine.analysis.geometry.model import (
    Finding,
    GeometryProblem,
    Limits,
    Located,
    Places,
)
from demine.domain.repair import repair_polygonal
from demine.i18n import _

P = GeometryProblem
EARTH_RADIUS_M = 6_371_008.8
Coordinates = Sequence[tuple[float, ...]]


def record_findings(record: Located, places: Places, limits: Limits) -> list[Finding]:
    """Every fault of ``record``'s own shape (comparisons with others: :mod:`.pairs`)."""
    geometry = record.geometry
    if geometry.is_empty:
        return []
    findings = [*_shape(record), *_gap(record, limits)]
    # Spatial predicates need a valid shape: an invalid one is tested as mended.
    usable = geometry if geometry.is_valid else shapely.make_valid(geometry)
    outside = _outside_country(record, usable, places)
    findings += outside or _outside_district(record, usable, places)
    findings += _placeholder(record, places)
    return findings


def _finding(record: Located, problem: GeometryProblem, detail: str, repair: str,
             spot: BaseGeometry | None = None) -> Finding:  # fmt: skip
    return Finding(record.kind, record.key, problem, detail, repair, record.geometry, spot)


def _rings(geometry: BaseGeometry) -> Iterator[tuple[Coordinates, bool]]:
    """The coordinate sequences of ``geometry`` and whether each is a polygon's ring."""
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type == "Polygon":
            yield list(part.exterior.coords), True
            for ring in part.interiors:
                yield list(ring.coords), True
        elif part.geom_type == "LineString":
            yield list(part.coords), False


def _shape(record: Located) -> list[Finding]:
    """Too few distinct vertices, else an invalid (self-intersecting…) shape."""
    for coordinates, closed in _rings(record.geometry):
        needed = 3 if closed else 2
        distinct = len({tuple(c[:2]) for c in coordinates})
        if distinct < needed:
            return [
                _finding(
                    record,
                    P.TOO_FEW_VERTICES,
                    _("{count} distinct vertices; an area needs at least 3, a line 2").format(
                        count=distinct
                    ),
                    _("redraw it with its real corners, or record it as a point"),
                )
            ]
    geometry = record.geometry
    if geometry.is_valid:
        return []
    reason = explain_validity(geometry)
    spot = _reason_point(reason)
    repair = repair_polygonal(geometry)
    if repair is not None and repair.geometry is not None:
        advice = _("shapely.make_valid mends it ({explanation}); re-import the mended shape")
        advice = advice.format(explanation=repair.explanation)
    elif repair is not None:
        advice = _("no unambiguous repair: {explanation}").format(explanation=repair.explanation)
    else:
        advice = _("shapely.make_valid, then check the result against the source map")
    detail = _("invalid geometry: {reason}").format(reason=reason)
    return [_finding(record, P.INVALID, detail, advice, spot)]


def _reason_point(reason: str) -> Point | None:
    """The point GEOS names in its reason (``Self-intersection[47.1 39.6]``)."""
    if "[" not in reason:
        return None
    try:
        x, y = (float(v) for v in reason[reason.index("[") + 1 : reason.index("]")].split()[:2])
    except ValueError:
        return None
    return Point(x, y)


def distance_m(a: Sequence[float], b: Sequence[float]) -> float:
    """The great-circle distance in metres between two (longitude, latitude) points."""
    lon1, lat1, lon2, lat2 = (math.radians(v) for v in (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _gap(record: Located, limits: Limits) -> list[Finding]:
    """The widest gap between consecutive vertices of an area's rings, if wider than the
    limit."""
    widest, segment = 0.0, None
    # Lines (planned roads, power lines) are often drawn with long straight runs.
    for coordinates, closed in _rings(record.geometry):
        if not closed:
            continue
        for a, b in pairwise(coordinates):
            gap = distance_m(a, b)
            if gap > widest:
                widest, segment = gap, (a, b)
    if segment is None or widest <= limits.max_gap_m:
        return []
    (x1, y1), (x2, y2) = segment[0][:2], segment[1][:2]
    return [
        _finding(
            record,
            P.VERTEX_GAP,
            _("vertices ({x1:.5f}, {y1:.5f}) and ({x2:.5f}, {y2:.5f}) are {km:.1f} km apart "
              "(more than {limit:.1f} km)").format(
                x1=x1, y1=y1, x2=x2, y2=y2, km=widest / 1000, limit=limits.max_gap_m / 1000
            ),
            _("check both coordinates for a typo (a digit, a sign, degrees and minutes), or "
              "add the vertices missing between them"),
            LineString([segment[0][:2], segment[1][:2]]),
        )
    ]  # fmt: skip


def _swapped(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy[:, ::-1])


def _outside_country(record: Located, usable: BaseGeometry, places: Places) -> list[Finding]:
    country = places.country
    if country is None or country.covers(usable):
        return []
    if country.covers(_swapped(usable)):
        advice = _("latitude and longitude are swapped: swap them back")
    else:
        advice = _("check the coordinates and their reference system (CRS): the country's "
                   "records are in WGS 84 longitude, latitude")  # fmt: skip
    if country.intersects(usable):
        share = 1 - country.intersection(usable).area / usable.area if usable.area else 0.0
        detail = _("reaches outside the country ({share:.0%} of it outside)").format(share=share)
    else:
        detail = _("lies outside the country")
    return [_finding(record, P.OUTSIDE_COUNTRY, detail, advice, usable.difference(country))]


def _outside_district(record: Located, usable: BaseGeometry, places: Places) -> list[Finding]:
    district = record.district
    shape = places.districts.get(district) if district is not None else None
    if shape is None:
        return []
    # Shapes crossing a district boundary are common (lines, large areas): only one
    # wholly in another district is recorded in the wrong one.
    if shape.intersects(usable):
        return []
    point = usable.representative_point()
    actual = places.district_at(point)
    if actual is None:
        advice = _("correct the district or the coordinates")
        detail = _("recorded in district {district}, but lies outside it").format(district=district)
    else:
        advice = _("set its district to {actual}, or correct the coordinates").format(actual=actual)
        detail = _("recorded in district {district}, but lies in {actual}").format(
            district=district, actual=actual
        )
    return [_finding(record, P.OUTSIDE_DISTRICT, detail, advice, point)]


def _placeholder(record: Located, places: Places) -> list[Finding]:
    geometry = record.geometry
    if geometry.geom_type != "Point":
        return []
    district = places.placeholder_district(geometry)
    if district is None:
        return []
    return [
        _finding(
            record,
            P.PLACEHOLDER_POINT,
            _("the point is the centre of district {district}: a placeholder, not a surveyed "
              "location").format(district=district),
            _("record the real location (GPS), or leave the geometry empty"),
        )
    ]  # fmt: skip
