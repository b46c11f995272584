"""The liberated districts of Azerbaijan as admin areas, with approximate shapes.

Real district boundaries are not bundled. Each district's shape is its cell in a
Voronoi tessellation of the district centres (GeoNames town points, CC-BY 4.0),
clipped to a hand-drawn outline of the region: the cells tile the region with no gaps
or overlaps and each contains its centre, which is all the demo needs. Every shape is
flagged ``geometry_approximate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box

from demine.domain.entities import AdminArea
from demine.domain.vocab import AdminLevel

COUNTRY = "AZ"
COUNTRY_NAME = "Azerbaijan"

#: Azerbaijan's approximate lon/lat extent; also the demo's rule-checking extent.
COUNTRY_BOX = (44.76, 38.39, 50.37, 41.91)


@dataclass(frozen=True)
class DistrictSpec:
    """What we know of a district before drawing it: names, centre and bulletin rank."""

    code: str
    name: str
    lat: float
    lon: float
    reporting_order: int
    aliases: tuple[str, ...]

    @property
    def short(self) -> str:
        """The code without the country prefix (``TAR``), used in external ids."""
        return self.code.removeprefix(f"{COUNTRY}-")


#: In ANAMA's bulletin order. Centres are GeoNames town points (CC-BY 4.0).
DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec("AZ-TAR", "Tartar", 40.342, 46.932, 1, ("Terter", "Tərtər")),
    DistrictSpec("AZ-AGD", "Aghdam", 39.991, 46.927, 2, ("Agdam", "Ağdam")),
    DistrictSpec("AZ-AGR", "Aghdara", 40.212, 46.821, 3, ("Agdere", "Ağdərə")),
    DistrictSpec("AZ-LAC", "Lachin", 39.599, 46.550, 4, ("Laçın",)),
    DistrictSpec("AZ-FUZ", "Fuzuli", 39.601, 47.145, 5, ("Fizuli", "Füzuli")),
    DistrictSpec("AZ-SHU", "Shusha", 39.760, 46.750, 6, ("Shushi", "Şuşa")),
    DistrictSpec("AZ-KHJ", "Khojaly", 39.913, 46.790, 7, ("Khojali", "Xocalı")),
    DistrictSpec(
        "AZ-KHN", "Khankendi", 39.818, 46.753, 8, ("Khankandi", "Xankəndi", "Stepanakert")
    ),
    DistrictSpec("AZ-KAL", "Kalbajar", 40.110, 46.044, 9, ("Kelbajar", "Kəlbəcər")),
    DistrictSpec("AZ-KHV", "Khojavend", 39.795, 47.110, 10, ("Khojavand", "Xocavənd")),
    DistrictSpec("AZ-JAB", "Jabrayil", 39.399, 47.028, 11, ("Jabrail", "Cəbrayıl")),
    DistrictSpec("AZ-GUB", "Gubadli", 39.344, 46.582, 12, ("Qubadli", "Qubadlı")),
    DistrictSpec("AZ-ZAN", "Zangilan", 39.088, 46.651, 13, ("Zengilan", "Zəngilan")),
    DistrictSpec("AZ-GOR", "Goranboy", 40.610, 46.790, 14, ("Goranboi",)),
)

#: A hand-drawn (lon, lat) outline of the region: Kalbajar in the west, the Araz river
#: in the south, the plain east of Aghdam and Fuzuli, Goranboy in the north.
REGION_OUTLINE: tuple[tuple[float, float], ...] = (
    (45.60, 40.25),
    (45.85, 40.45),
    (46.30, 40.60),
    (46.60, 40.80),
    (46.95, 40.78),
    (47.15, 40.55),
    (47.20, 40.25),
    (47.25, 40.00),
    (47.45, 39.75),
    (47.50, 39.50),
    (47.30, 39.38),
    (47.05, 39.22),
    (46.80, 39.08),
    (46.55, 38.87),
    (46.45, 38.95),
    (46.40, 39.20),
    (46.40, 39.45),
    (46.15, 39.60),
    (45.85, 39.75),
    (45.65, 39.95),
)


def district_by_code(code: str) -> DistrictSpec:
    """The district spec with ``code``; raises ``KeyError`` for an unknown code."""
    for spec in DISTRICTS:
        if spec.code == code:
            return spec
    raise KeyError(code)


@cache
def district_polygons() -> Mapping[str, Polygon]:
    """Each district's approximate shape, keyed by code, in ``DISTRICTS`` order."""
    outline = Polygon(REGION_OUTLINE)
    centres = [Point(spec.lon, spec.lat) for spec in DISTRICTS]
    cells = shapely.voronoi_polygons(MultiPoint(centres), extend_to=outline)
    polygons: dict[str, Polygon] = {}
    for spec, centre in zip(DISTRICTS, centres, strict=True):
        # Match cells to centres by containment: GEOS does not promise input order.
        (cell,) = [c for c in cells.geoms if c.contains(centre)]
        clipped = cell.intersection(outline)
        if not isinstance(clipped, Polygon):
            raise ValueError(f"district {spec.code} is not a single polygon")
        polygons[spec.code] = clipped
    # Read-only: the cached mapping is shared by every caller.
    return MappingProxyType(polygons)


def country_area() -> AdminArea:
    """Azerbaijan, with its extent box as an (explicitly approximate) geometry."""
    return AdminArea(
        code=COUNTRY,
        name=COUNTRY_NAME,
        level=AdminLevel.COUNTRY,
        country=COUNTRY,
        geometry=box(*COUNTRY_BOX),
        geometry_approximate=True,
    )


def district_areas() -> tuple[AdminArea, ...]:
    """The 14 districts as admin areas, in ANAMA's reporting order."""
    polygons = district_polygons()
    return tuple(
        AdminArea(
            code=spec.code,
            name=spec.name,
            level=AdminLevel.DISTRICT,
            country=COUNTRY,
            parent_code=COUNTRY,
            aliases=spec.aliases,
            reporting_order=spec.reporting_order,
            geometry=polygons[spec.code],
            geometry_approximate=True,
        )
        for spec in DISTRICTS
    )
