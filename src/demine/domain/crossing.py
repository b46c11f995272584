"""A polygon that crosses itself, said where it does.

A field team drawing a worked area by hand, or a GPS walked round it in the wrong order,
gives a ring whose sides cross (a bow tie): its area means nothing, and no repair can
tell which area was meant. The entry page refuses it as it is drawn; the server refuses
it on saving with the place of the crossing, so it can be found and redrawn.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from demine.i18n import _

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: GEOS's reason for an invalid shape: what is wrong, then where ("Self-intersection[x y]").
_REASON = re.compile(r"^(?P<what>[^\[]+)\[(?P<x>[-\d.eE+]+) (?P<y>[-\d.eE+]+)\]")
#: A ring that only touches itself is no crossing (and some kinds have it repaired).
_CROSSINGS = {"Self-intersection"}


def crossing_at(geometry: BaseGeometry) -> tuple[float, float] | None:
    """Longitude and latitude where a polygon or multipolygon crosses itself, or None
    when it does not (valid, or not polygonal, or invalid for another reason)."""
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        return None
    import shapely

    reason = shapely.is_valid_reason(geometry)
    match = _REASON.match(reason or "")
    if match is None or match["what"].strip() not in _CROSSINGS:
        return None
    return float(match["x"]), float(match["y"])


def crossing_message(geometry: BaseGeometry) -> str | None:
    """Why ``geometry`` is refused, for people, when it crosses itself; else None."""
    place = crossing_at(geometry)
    if place is None:
        return None
    lon, lat = place
    return _(
        "the polygon crosses itself near latitude {lat}, longitude {lon}: "
        "redraw it so that no side crosses another"
    ).format(lat=f"{lat:.5f}", lon=f"{lon:.5f}")
