"""Built-in gazetteers: the administrative areas Demine knows for a country out of the box.

A gazetteer is package data, one JSON file per country (``az.json``): the country's
name and extent, and its districts with their names (canonical, Azerbaijani, Russian),
spellings, reporting order and a centre point. Azerbaijan's lets an empty database take
a published news item at once; other countries bring their own ``admin-areas`` file.

Real district boundaries are not bundled. Each district's shape is its cell in a
Voronoi tessellation of the district centres, clipped to a hand-drawn outline of the
region: the cells tile the region with no gaps or overlaps and each contains its
centre, which is all a bulletin or a demo needs. Every shape is flagged
``geometry_approximate``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box

from demine.domain.entities import AdminArea
from demine.domain.vocab import AdminLevel


@dataclass(frozen=True)
class GazetteerDistrict:
    """What a gazetteer knows of a district: names, centre and bulletin rank."""

    code: str
    name: str
    lat: float
    lon: float
    reporting_order: int
    aliases: tuple[str, ...]
    #: Its name in Azerbaijani and in Russian (shown to readers of those languages).
    name_az: str | None = None
    name_ru: str | None = None

    @property
    def short(self) -> str:
        """The code without the country prefix (``TAR``), used in external ids."""
        return self.code.partition("-")[2] or self.code


@dataclass(frozen=True)
class Gazetteer:
    """A country, its lon/lat extent, the outline of its districts, and the districts."""

    country: str
    name: str
    box: tuple[float, float, float, float]
    outline: tuple[tuple[float, float], ...]
    districts: tuple[GazetteerDistrict, ...]
    name_az: str | None = None
    name_ru: str | None = None

    def district(self, code: str) -> GazetteerDistrict:
        """The district with ``code``; raises ``KeyError`` for an unknown code."""
        for district in self.districts:
            if district.code == code:
                return district
        raise KeyError(code)

    def names_by_language(self, code: str) -> dict[str, str]:
        """The Azerbaijani and Russian names of the country or district ``code``
        (``{"name_az": …, "name_ru": …}``; empty for an area the gazetteer lacks)."""
        known: GazetteerDistrict | Gazetteer | None = self if code == self.country else None
        if known is None:
            known = next((d for d in self.districts if d.code == code), None)
        if known is None:
            return {}
        names = {"name_az": known.name_az, "name_ru": known.name_ru}
        return {field: name for field, name in names.items() if name}

    def polygons(self) -> Mapping[str, Polygon]:
        """Each district's approximate shape, keyed by code, in ``districts`` order."""
        return _polygons(self)

    def country_area(self) -> AdminArea:
        """The country, with its extent box as an (explicitly approximate) geometry."""
        return AdminArea(
            code=self.country,
            name=self.name,
            level=AdminLevel.COUNTRY,
            country=self.country,
            geometry=box(*self.box),
            geometry_approximate=True,
            name_az=self.name_az,
            name_ru=self.name_ru,
        )

    def district_areas(self) -> tuple[AdminArea, ...]:
        """The districts as admin areas, in reporting order."""
        polygons = self.polygons()
        return tuple(
            AdminArea(
                code=district.code,
                name=district.name,
                level=AdminLevel.DISTRICT,
                country=self.country,
                parent_code=self.country,
                aliases=district.aliases,
                reporting_order=district.reporting_order,
                geometry=polygons[district.code],
                geometry_approximate=True,
                name_az=district.name_az,
                name_ru=district.name_ru,
            )
            for district in self.districts
        )

    def areas(self) -> tuple[AdminArea, ...]:
        """The country and its districts."""
        return (self.country_area(), *self.district_areas())


@cache
def builtin_gazetteer(country: str) -> Gazetteer | None:
    """The gazetteer Demine ships for ``country`` (an ISO code), or ``None``."""
    source = resources.files(__name__).joinpath(f"{country.lower()}.json")
    if not country.isalpha() or not source.is_file():
        return None
    return _parsed(json.loads(source.read_text(encoding="utf-8")))


def gazetteer(country: str) -> tuple[AdminArea, ...]:
    """The country and its districts, if Demine ships them; otherwise nothing."""
    known = builtin_gazetteer(country.upper())
    return () if known is None else known.areas()


def _parsed(data: dict[str, Any]) -> Gazetteer:
    west, south, east, north = (float(v) for v in data["box"])
    return Gazetteer(
        country=str(data["country"]),
        name=str(data["name"]),
        name_az=_optional(data.get("name_az")),
        name_ru=_optional(data.get("name_ru")),
        box=(west, south, east, north),
        outline=tuple((float(lon), float(lat)) for lon, lat in data["outline"]),
        districts=tuple(
            GazetteerDistrict(
                code=str(d["code"]),
                name=str(d["name"]),
                lat=float(d["lat"]),
                lon=float(d["lon"]),
                reporting_order=int(d["reporting_order"]),
                aliases=tuple(str(a) for a in d["aliases"]),
                name_az=_optional(d.get("name_az")),
                name_ru=_optional(d.get("name_ru")),
            )
            for d in data["districts"]
        ),
    )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


@cache
def _polygons(gazetteer: Gazetteer) -> Mapping[str, Polygon]:
    outline = Polygon(gazetteer.outline)
    centres = [Point(d.lon, d.lat) for d in gazetteer.districts]
    cells = shapely.voronoi_polygons(MultiPoint(centres), extend_to=outline)
    polygons: dict[str, Polygon] = {}
    for district, centre in zip(gazetteer.districts, centres, strict=True):
        # Match cells to centres by containment: GEOS does not promise input order.
        (cell,) = [c for c in cells.geoms if c.contains(centre)]
        clipped = cell.intersection(outline)
        if not isinstance(clipped, Polygon):
            raise ValueError(f"district {district.code} is not a single polygon")
        polygons[district.code] = clipped
    # Read-only: the cached mapping is shared by every caller.
    return MappingProxyType(polygons)
