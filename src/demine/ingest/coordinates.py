"""Coordinates typed the way field staff give them, one position a line, read into a
point, a line or a polygon.

A line holds one position in any of these forms (latitude first, as a GPS shows it,
unless hemisphere letters say otherwise):

- decimal degrees: ``40.34194 46.93194``, ``40.34194, 46.93194``, ``40,34194 46,93194``,
  ``40.34194°N 46.93194°E``, ``N40.34194 E46.93194``;
- degrees and minutes, or degrees, minutes and seconds: ``40°20'31"N 46°55'55"E``,
  ``40°20.517'N 46°55.917'E``, ``N 40 20 31 E 46 55 55``, ``40:20:31N 46:55:55E``;
- UTM: zone with its latitude band (``38T 578000 4466000``) or ``38N``/``38S`` said in
  words as ``38 north`` (the letter alone is always a latitude band, as on the maps);
- MGRS: ``38TNK7800066000`` or ``38T NK 78000 66000``.

A whole text in WKT (``POLYGON ((…))``) is read as it is. Every problem names its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from demine.errors import ImportRejected, Problem
from demine.i18n import _

if TYPE_CHECKING:
    from pyproj import Transformer
    from shapely.geometry.base import BaseGeometry

#: The field problems are reported against (the page shows them beside the input).
FIELD = "coordinates"
#: The most positions a typed text may hold (a track from a device is uploaded instead).
MAX_POSITIONS = 10_000
#: Up to this many positions, a crossing names the lines of the sides that cross.
MAX_SIDES_NAMED = 400

_PRIMES = str.maketrans({"′": "'", "’": "'", "‘": "'", "`": "'", "´": "'", "″": '"', "”": '"',
                         "“": '"', "º": "°", "˚": "°", "\u00a0": " "})  # fmt: skip
_UTM = re.compile(
    r"^(?P<zone>\d{1,2})\s*(?:(?P<band>[C-HJ-NP-X])\b|(?P<word>NORTH|SOUTH)\b)?\s*,?\s*"
    r"(?P<easting>\d+(?:\.\d+)?)\s*(?:M?E)?\s*[,;]?\s*(?P<northing>\d+(?:\.\d+)?)\s*(?:M?N)?$"
)
_MGRS = re.compile(r"^(\d{1,2}[C-HJ-NP-X])\s*([A-HJ-NP-Z]{2})\s*(\d+)\s*(\d*)$")
_WKT = re.compile(r"^\s*(MULTI)?(POINT|LINESTRING|POLYGON)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[NSEW]|[-+]?\d+(?:\.\d+)?|[°'\":]|[,;]")


class Shape(StrEnum):
    """What the positions make: ``auto`` reads one position as a point, a closed ring
    (last position = first) as a polygon and anything else as a line."""

    AUTO = "auto"
    POINT = "point"
    LINE = "line"
    POLYGON = "polygon"


@dataclass(frozen=True)
class Position:
    """One position read from a line: longitude and latitude in WGS 84 degrees."""

    lon: float
    lat: float
    line: int


class PositionError(ValueError):
    """A line that holds no position Demine can read (the reason is for people)."""


def _number(text: str) -> float:
    return float(text)


def _decimal_commas(line: str) -> str:
    """``40,5 46,9`` is two numbers with decimal commas; ``40.5,46.9`` two separated by
    one. Commas between digits are decimal marks only when nothing else could be."""
    if "." in line or not re.search(r"[\s;]", line.strip()):
        return line
    return re.sub(r"(\d),(\d)", r"\1.\2", line)


def _angle(numbers: list[str], hemisphere: str | None, axis: str) -> float:
    """Degrees from degrees [minutes [seconds]] and a hemisphere letter."""
    if not 1 <= len(numbers) <= 3:
        raise PositionError(_("a coordinate has degrees, minutes and seconds at most"))
    degrees = _number(numbers[0])
    negative = numbers[0].startswith("-")
    parts = [abs(degrees)]
    for number, limit in zip(numbers[1:], (60, 60), strict=False):
        value = _number(number)
        if number.startswith(("-", "+")) or value >= limit:
            raise PositionError(
                _("minutes and seconds run from 0 to 59 (got {value})").format(value=number)
            )
        parts.append(value)
    if any("." in n for n in numbers[:-1]):
        raise PositionError(_("only the last number of a coordinate may have decimals"))
    value = parts[0] + sum(part / float(60**i) for i, part in enumerate(parts[1:], start=1))
    if hemisphere in ("S", "W"):
        if negative:
            raise PositionError(_("a coordinate is negative and also south or west"))
        negative = True
    limit = 90 if axis == "lat" else 180
    if value > limit:
        if axis == "lat":
            raise PositionError(_("latitude {value} is beyond 90°").format(value=numbers[0]))
        raise PositionError(_("longitude {value} is beyond 180°").format(value=numbers[0]))
    return -value if negative else value


def _groups(tokens: list[str]) -> list[tuple[list[str], str | None]]:
    """The line's tokens cut into two coordinates, each its numbers and its letter."""
    letters = [t for t in tokens if t in "NSEW"]
    if letters:
        if len(letters) != 2:
            raise PositionError(_("give one hemisphere letter (N, S, E, W) to each coordinate"))
        prefix = tokens[0] in "NSEW"
        groups: list[tuple[list[str], str | None]] = []
        numbers: list[str] = []
        letter: str | None = None
        for token in tokens:
            if token in "NSEW":
                if prefix:
                    if letter is not None:
                        groups.append((numbers, letter))
                    numbers, letter = [], token
                else:
                    groups.append((numbers, token))
                    numbers = []
            elif token[0].isdigit() or token[0] in "+-":
                numbers.append(token)
        if prefix:
            groups.append((numbers, letter))
        elif numbers:
            raise PositionError(_("numbers after the last hemisphere letter"))
        return groups
    if "," in tokens or ";" in tokens:
        cut = next(i for i, t in enumerate(tokens) if t in ",;")
        parts = [tokens[:cut], tokens[cut + 1 :]]
        return [([t for t in part if t[0].isdigit() or t[0] in "+-"], None) for part in parts]
    numbers = [t for t in tokens if t[0].isdigit() or t[0] in "+-"]
    if "°" in tokens:
        # Each coordinate starts with its degrees.
        starts = [i for i, t in enumerate(tokens) if t == "°"]
        if len(starts) == 2:
            second = tokens.index("°", starts[0] + 1) - 1
            first = [t for t in tokens[:second] if t[0].isdigit() or t[0] in "+-"]
            rest = [t for t in tokens[second:] if t[0].isdigit() or t[0] in "+-"]
            return [(first, None), (rest, None)]
    if len(numbers) in (2, 4, 6):
        half = len(numbers) // 2
        return [(numbers[:half], None), (numbers[half:], None)]
    raise PositionError(_("cannot tell where the latitude ends and the longitude begins"))


def parse_geographic(line: str) -> tuple[float, float]:
    """Longitude and latitude of a line in decimal degrees, degrees and minutes, or
    degrees, minutes and seconds."""
    text = _decimal_commas(line.translate(_PRIMES).upper())
    text = text.replace("''", '"')
    tokens = _TOKEN.findall(text)
    leftover = _TOKEN.sub(" ", text).strip()
    if leftover:
        raise PositionError(_("unexpected text '{text}'").format(text=leftover.split()[0]))
    if not any(re.search(r"\d", t) for t in tokens):
        raise PositionError(_("no coordinates on the line"))
    groups = _groups(tokens)
    if len(groups) != 2 or not all(numbers for numbers, _letter in groups):
        raise PositionError(_("a position is a latitude and a longitude"))
    axes = [
        "lat" if letter in ("N", "S") else "lon" if letter in ("E", "W") else None
        for _numbers, letter in groups
    ]
    if axes == [None, None]:
        axes = ["lat", "lon"]
    if sorted(a or "" for a in axes) != ["lat", "lon"]:
        raise PositionError(_("give one latitude (N or S) and one longitude (E or W)"))
    values = {
        axis: _angle(numbers, letter, axis)
        for (numbers, letter), axis in zip(groups, axes, strict=True)
        if axis is not None
    }
    return values["lon"], values["lat"]


@cache
def _from_utm(zone: int, south: bool) -> Transformer:
    from pyproj import Transformer

    epsg = (32700 if south else 32600) + zone
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def parse_utm(match: re.Match[str]) -> tuple[float, float]:
    """Longitude and latitude of a UTM position (zone, band or hemisphere, metres)."""
    zone = int(match["zone"])
    if not 1 <= zone <= 60:
        raise PositionError(_("UTM zones run from 1 to 60 (got {zone})").format(zone=zone))
    band, word = match["band"], match["word"]
    if band is None and word is None:
        raise PositionError(_("say the UTM zone's latitude band (38T) or hemisphere (38 north)"))
    south = word == "SOUTH" if word else band < "N"
    easting, northing = float(match["easting"]), float(match["northing"])
    if not 100_000 <= easting <= 900_000:
        raise PositionError(
            _("a UTM easting lies between 100000 and 900000 m (got {value})").format(
                value=match["easting"]
            )
        )
    if northing > 10_000_000:
        raise PositionError(
            _("a UTM northing is at most 10000000 m (got {value})").format(value=match["northing"])
        )
    lon, lat = _from_utm(zone, south).transform(easting, northing)
    return float(lon), float(lat)


def parse_mgrs(match: re.Match[str]) -> tuple[float, float]:
    """Longitude and latitude of an MGRS reference (the centre of its square)."""
    import mgrs

    digits = match[3] + match[4]
    if len(digits) % 2 or len(digits) > 10:
        raise PositionError(
            _("an MGRS reference has as many easting digits as northing digits (up to 5 each)")
        )
    reference = match[1] + match[2] + digits
    try:
        lat, lon = mgrs.MGRS().toLatLon(reference)
    except Exception as error:  # the library raises bare exceptions with its own words
        raise PositionError(
            _("MGRS reference {reference} does not exist ({reason})").format(
                reference=reference, reason=error
            )
        ) from None
    return float(lon), float(lat)


def parse_position(line: str) -> tuple[float, float]:
    """Longitude and latitude of one typed position, in whatever form it is given."""
    text = " ".join(line.translate(_PRIMES).upper().split())
    compact = text.replace(" ", "")
    mgrs_match = _MGRS.match(compact if re.match(r"^\d{1,2}\s*[C-X]\s*[A-Z]{2}", text) else "")
    if mgrs_match:
        return parse_mgrs(mgrs_match)
    utm_match = _UTM.match(text)
    if utm_match and float(utm_match["easting"]) >= 1000:
        return parse_utm(utm_match)
    return parse_geographic(line)


def read_positions(text: str) -> list[Position]:
    """Every non-empty line of ``text`` as a position; all bad lines reported at once."""
    positions: list[Position] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            lon, lat = parse_position(line)
        except PositionError as error:
            problems.append(_problem(number, str(error)))
            continue
        positions.append(Position(lon, lat, number))
    if problems:
        raise ImportRejected(problems)
    if not positions:
        raise ImportRejected([_problem(None, _("no coordinates given"))])
    if len(positions) > MAX_POSITIONS:
        reason = _("more than {limit} positions: upload the file from the device instead")
        raise ImportRejected([_problem(None, reason.format(limit=MAX_POSITIONS))])
    return positions


def _problem(line: int | None, reason: str, source: str | None = None) -> Problem:
    """A problem of typed coordinates (or of a file's points): the line (or point) is in
    its reason too, as the page shows the reason alone beside the input."""
    if line is not None:
        where = _("line {line}") if source is None else _("point {line}")
        reason = _("{where}: {reason}").format(where=where.format(line=line), reason=reason)
    return Problem(source or _("typed coordinates"), line, FIELD, reason)


def shape_of(
    positions: Sequence[Position], shape: Shape = Shape.AUTO, source: str | None = None
) -> BaseGeometry:
    """The point, line or polygon the positions make (a polygon's ring is closed here).
    ``source`` names the file they come from (typed coordinates when None): problems
    name its points, or the lines typed."""
    from shapely.geometry import LineString, Point, Polygon

    points = [(p.lon, p.lat) for p in positions]
    closed = len(points) >= 4 and points[0] == points[-1]
    if shape is Shape.AUTO:
        shape = Shape.POINT if len(points) == 1 else Shape.POLYGON if closed else Shape.LINE
    if shape is Shape.POINT:
        if len(points) != 1:
            reason = _("a point is one position; this is the second")
            raise ImportRejected([_problem(positions[1].line, reason, source)])
        return Point(points[0])
    distinct = len(dict.fromkeys(points))
    if shape is Shape.LINE:
        if distinct < 2:
            reason = _("a line needs two different positions")
            raise ImportRejected([_problem(None, reason, source)])
        return LineString(points)
    if distinct < 3:
        reason = _("a polygon needs three different positions")
        raise ImportRejected([_problem(None, reason, source)])
    polygon = Polygon(points)
    if polygon.is_valid:
        return polygon
    crossing = ring_crossing(positions) if len(positions) <= MAX_SIDES_NAMED else None
    if crossing is None:
        raise ImportRejected([_problem(None, crossing_reason(polygon), source)])
    first, second = crossing
    lines = {"a": first, "b": _next_line(positions, first),
             "c": second, "d": _next_line(positions, second)}  # fmt: skip
    reason = (
        _("the polygon crosses itself: the side from line {a} to line {b} crosses the side "
          "from line {c} to line {d}") if source is None
        else _("the polygon crosses itself: the side from point {a} to point {b} crosses the "
               "side from point {c} to point {d}")
    ).format(**lines)  # fmt: skip
    raise ImportRejected([_problem(first, reason, source)])


def crossing_reason(polygon: BaseGeometry) -> str:
    """Why a polygon is refused, for people: where it crosses itself."""
    from demine.domain.crossing import crossing_message

    return crossing_message(polygon) or _("the polygon is not valid")


def _next_line(positions: Sequence[Position], line: int) -> int:
    index = next(i for i, p in enumerate(positions) if p.line == line)
    return positions[(index + 1) % len(positions)].line


def ring_crossing(positions: Sequence[Position]) -> tuple[int, int] | None:
    """The lines starting two sides of the ring that cross or touch, or None: each side
    runs from a position to the next (the last back to the first)."""
    from shapely import LineString

    if (positions[0].lon, positions[0].lat) == (positions[-1].lon, positions[-1].lat):
        positions = positions[:-1]
    n = len(positions)
    sides = [
        LineString([(a.lon, a.lat), (b.lon, b.lat)])
        for a, b in zip(positions, [*positions[1:], positions[0]], strict=True)
    ]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # the two sides meeting at the first position
            if sides[i].intersects(sides[j]):
                return positions[i].line, positions[j].line
    return None


def read_coordinates(text: str, shape: Shape = Shape.AUTO) -> BaseGeometry:
    """The geometry typed in ``text``: WKT as it is, or one position a line."""
    if _WKT.match(text):
        import numpy
        import shapely

        try:
            geometry = shapely.from_wkt(text.strip())
        except shapely.errors.GEOSException as error:
            raise ImportRejected(
                [_problem(None, _("unreadable WKT: {reason}").format(reason=error))]
            ) from None
        from demine.domain.crossing import crossing_message

        coordinates = shapely.get_coordinates(geometry)
        if geometry.is_empty or not bool(numpy.isfinite(coordinates).all()):
            raise ImportRejected([_problem(None, _("the WKT holds no position that can be used"))])
        lon, lat = coordinates[:, 0], coordinates[:, 1]
        if (abs(lon) > 180).any() or (abs(lat) > 90).any():
            raise ImportRejected(
                [_problem(None, _("the WKT has positions off the globe (longitude first)"))]
            )
        crossing = crossing_message(geometry)
        if crossing is not None:
            raise ImportRejected([_problem(None, crossing)])
        return geometry
    return shape_of(read_positions(text), shape)


def read_odk_geometry(text: str, shape: Shape = Shape.AUTO) -> BaseGeometry:
    """The geometry of an ODK ``geopoint``, ``geotrace`` or ``geoshape`` answer: points
    ``lat lon [altitude [accuracy]]`` separated by ``;`` (a geoshape repeats its first
    point last). Problems name the point (1 = the first)."""
    positions: list[Position] = []
    problems: list[Problem] = []
    source = _("the form's geometry")
    for number, item in enumerate((p for p in text.split(";") if p.strip()), start=1):
        values = item.split()
        try:
            if not 2 <= len(values) <= 4:
                raise ValueError
            lat, lon = float(values[0]), float(values[1])
        except ValueError:
            problems.append(
                _problem(
                    number,
                    _("'{text}' is not 'latitude longitude [altitude [accuracy]]'").format(
                        text=item.strip()
                    ),
                    source,
                )
            )
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            problems.append(
                _problem(number, _("'{text}' is off the globe").format(text=item.strip()), source)
            )
            continue
        positions.append(Position(lon, lat, number))
    if problems:
        raise ImportRejected(problems)
    if not positions:
        raise ImportRejected([_problem(None, _("no coordinates given"), source)])
    return shape_of(positions, shape, source)
