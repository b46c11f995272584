"""Built-in gazetteers: the administrative areas Demine knows for a country out of the box.

A gazetteer is package data, one JSON file per country (``az.json``): the country's
name and extent, and its districts with their names (canonical, Azerbaijani, Russian),
spellings, reporting order, a centre point and the codes others give them (ISO 3166-2,
OCHA p-code). Azerbaijan's lets an empty database take a published news item at once;
other countries bring their own ``admin-areas`` file.

District boundaries come in a GeoJSON file beside it (``az-districts.geojson``, named by
the JSON's ``boundaries``): published boundaries with their source ids, whose
provenance and licence ``BOUNDARIES.md`` gives. A boundary Demine had to derive (one
published polygon split between two districts) is flagged ``geometry_approximate``.
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
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry

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
    #: Its ISO 3166-2 code and OCHA p-code (None where there is none).
    iso_code: str | None = None
    pcode: str | None = None

    @property
    def short(self) -> str:
        """The code without the country prefix (``TAR``), used in external ids."""
        return self.code.partition("-")[2] or self.code


@dataclass(frozen=True)
class Boundary:
    """A district's boundary and where it comes from."""

    polygon: Polygon
    #: The ids of the published boundaries it was made from (geoBoundaries shapeIDs).
    source_ids: tuple[str, ...]
    #: True when Demine derived it (split a published polygon) rather than took it.
    approximate: bool


@dataclass(frozen=True)
class Gazetteer:
    """A country, its lon/lat extent, its districts and the file of their boundaries."""

    country: str
    name: str
    box: tuple[float, float, float, float]
    districts: tuple[GazetteerDistrict, ...]
    name_az: str | None = None
    name_ru: str | None = None
    #: The package file holding the districts' boundaries (GeoJSON), if any.
    boundaries_file: str | None = None

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

    def boundaries(self) -> Mapping[str, Boundary]:
        """Each district's boundary, keyed by code (districts without one are absent)."""
        return {} if self.boundaries_file is None else _boundaries(self.boundaries_file)

    def polygons(self) -> Mapping[str, Polygon]:
        """Each district's shape, keyed by code, in ``districts`` order."""
        return _polygons(self)

    def outline(self) -> BaseGeometry:
        """The region the districts cover together (their union)."""
        return _outline(self)

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
        boundaries = self.boundaries()
        return tuple(
            _district_area(self.country, district, boundaries.get(district.code))
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


def _district_area(
    country: str, district: GazetteerDistrict, boundary: Boundary | None
) -> AdminArea:
    return AdminArea(
        code=district.code,
        name=district.name,
        level=AdminLevel.DISTRICT,
        country=country,
        parent_code=country,
        aliases=district.aliases,
        reporting_order=district.reporting_order,
        geometry=None if boundary is None else boundary.polygon,
        geometry_approximate=boundary is not None and boundary.approximate,
        name_az=district.name_az,
        name_ru=district.name_ru,
        iso_code=district.iso_code,
        boundary_id=None if boundary is None else ";".join(boundary.source_ids),
        pcode=district.pcode,
    )


def _parsed(data: dict[str, Any]) -> Gazetteer:
    west, south, east, north = (float(v) for v in data["box"])
    return Gazetteer(
        country=str(data["country"]),
        name=str(data["name"]),
        name_az=_optional(data.get("name_az")),
        name_ru=_optional(data.get("name_ru")),
        box=(west, south, east, north),
        boundaries_file=_optional(data.get("boundaries")),
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
                iso_code=_optional(d.get("iso_3166_2")),
                pcode=_optional(d.get("pcode")),
            )
            for d in data["districts"]
        ),
    )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


@cache
def _polygons(gazetteer: Gazetteer) -> Mapping[str, Polygon]:
    # Cached (the demo asks for them in its inner loops); read-only, as it is shared.
    known = gazetteer.boundaries()
    return MappingProxyType(
        {d.code: known[d.code].polygon for d in gazetteer.districts if d.code in known}
    )


@cache
def _outline(gazetteer: Gazetteer) -> BaseGeometry:
    return shapely.union_all(list(gazetteer.polygons().values()))


@cache
def _boundaries(file_name: str) -> Mapping[str, Boundary]:
    """The boundaries of a package GeoJSON file, keyed by district code."""
    source = resources.files(__name__).joinpath(file_name)
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    boundaries: dict[str, Boundary] = {}
    for feature in features:
        polygon = shape(feature["geometry"])
        if not isinstance(polygon, Polygon) or not polygon.is_valid:
            raise ValueError(f"{file_name}: the boundary of {feature['properties']} is not valid")
        properties = feature["properties"]
        boundaries[str(properties["code"])] = Boundary(
            polygon=polygon,
            source_ids=tuple(str(i) for i in properties["shape_ids"]),
            approximate=bool(properties["approximate"]),
        )
    # Read-only: the cached mapping is shared by every caller.
    return MappingProxyType(boundaries)
