"""The liberated districts of Azerbaijan as the demo uses them: Demine's built-in gazetteer.

The data (names, aliases, reporting order, centres, codes) and the boundaries come from
:mod:`demine.ingest.gazetteers` (``az.json`` and ``az-districts.geojson``, geoBoundaries'
ADM2); this module gives the demo's modules short names for them.
"""

from __future__ import annotations

from collections.abc import Mapping

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from demine.domain.entities import AdminArea
from demine.ingest.gazetteers import Gazetteer, GazetteerDistrict, builtin_gazetteer


def _azerbaijan() -> Gazetteer:
    known = builtin_gazetteer("AZ")
    if known is None:
        raise RuntimeError("the built-in gazetteer of Azerbaijan (az.json) is missing")
    return known


AZERBAIJAN = _azerbaijan()

COUNTRY = AZERBAIJAN.country
COUNTRY_NAME = AZERBAIJAN.name

#: Azerbaijan's approximate lon/lat extent; also the demo's rule-checking extent.
COUNTRY_BOX = AZERBAIJAN.box

#: What we know of a district before drawing it: names, centre and bulletin rank.
DistrictSpec = GazetteerDistrict

#: In ANAMA's bulletin order. Centres are GeoNames town points (CC-BY 4.0).
DISTRICTS: tuple[DistrictSpec, ...] = AZERBAIJAN.districts


def district_by_code(code: str) -> DistrictSpec:
    """The district spec with ``code``; raises ``KeyError`` for an unknown code."""
    return AZERBAIJAN.district(code)


def district_polygons() -> Mapping[str, Polygon]:
    """Each district's boundary, keyed by code, in ``DISTRICTS`` order."""
    return AZERBAIJAN.polygons()


def region() -> BaseGeometry:
    """The region the 14 districts cover together."""
    return AZERBAIJAN.outline()


def country_area() -> AdminArea:
    """Azerbaijan, with its extent box as an (explicitly approximate) geometry."""
    return AZERBAIJAN.country_area()


def district_areas() -> tuple[AdminArea, ...]:
    """The 14 districts as admin areas, in ANAMA's reporting order."""
    return AZERBAIJAN.district_areas()
