"""ODK's geometry answers as WKT: ``geopoint``, ``geotrace`` and ``geoshape`` text.

ODK writes a point as ``lat lon [alt [accuracy]]`` and a trace or shape as points
separated by ``;`` (a shape's last point repeats its first).
"""

from __future__ import annotations

from demine.i18n import _


class GeometryAnswerError(ValueError):
    """A geometry answer that is not ODK's geometry text (message in words)."""


def _point(text: str) -> tuple[float, float]:
    parts = text.split()
    if len(parts) < 2:
        raise GeometryAnswerError(_("'{text}' is not an ODK point (lat lon)").format(text=text))
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        raise GeometryAnswerError(
            _("'{text}' is not an ODK point (lat lon)").format(text=text)
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise GeometryAnswerError(_("'{text}' is outside the Earth").format(text=text))
    return longitude, latitude


def odk_to_wkt(answer: str) -> str:
    """The WKT of an ODK geometry answer (longitude first, as WGS84 WKT is written)."""
    points = [_point(part) for part in answer.split(";") if part.strip()]
    if not points:
        raise GeometryAnswerError(_("the geometry answer is empty"))
    coordinates = ", ".join(f"{x!r} {y!r}" for x, y in points)
    if len(points) == 1:
        return f"POINT ({coordinates})"
    if len(points) >= 4 and points[0] == points[-1]:
        return f"POLYGON (({coordinates}))"
    return f"LINESTRING ({coordinates})"
