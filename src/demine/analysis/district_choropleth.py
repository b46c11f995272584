"""A week's figures by district for a choropleth map: the public district figures, the
class each district falls in, and where its name is written.

The figures are :func:`~demine.analysis.public_districts.public_district_figures` for the
period, nothing more: aggregates anyone may see, with the disclosure rule already applied
(devices and hectares describe no person and are exact). No record or coordinate of a
record leaves here; the only coordinates are a point inside each district's own shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demine.analysis.public_districts import public_district_figures
from demine.analysis.summary import Summariser
from demine.domain.class_breaks import ValueClass, class_of, natural_breaks
from demine.domain.entities import AdminArea
from demine.domain.periods import Period
from demine.domain.vocab import AdminLevel

#: What the map can show, as the public figures name them.
MEASURES = ("devices_found", "hectares_cleared")
#: The figures a district's popup gives beside the measures.
DETAILS = ("ap_mines", "at_mines", "uxo", "other_devices")
#: A district with nothing reported in the period, and one that reported zero.
NO_DATA = "no-data"
ZERO = "zero"


def class_key(index: int) -> str:
    """The key of the ``index``-th class (0: the lowest values)."""
    return f"class-{index}"


@dataclass(frozen=True)
class DistrictShade:
    """One district on the map: its figures, and its class for each measure."""

    code: str
    #: The name in the reader's language.
    name: str
    #: Longitude and latitude of a point inside the district's shape (None: no shape).
    label_point: tuple[float, float] | None
    #: Larger districts first (0), so that a name that does not fit gives way.
    label_rank: int
    reported: bool
    figures: dict[str, float]
    shades: dict[str, str]


@dataclass(frozen=True)
class Choropleth:
    period: Period
    districts: list[DistrictShade]
    #: Per measure, the classes of its positive values, lowest first.
    classes: dict[str, list[ValueClass]]


def _label_point(area: AdminArea) -> tuple[float, float] | None:
    if area.geometry is None or area.geometry.is_empty:
        return None
    # Inside the shape even where the centroid is not (a crescent, a district in pieces).
    point = area.geometry.point_on_surface()
    return (round(point.x, 6), round(point.y, 6))


def _shade(reported: bool, value: float, classes: list[ValueClass]) -> str:
    if not reported:
        return NO_DATA
    index = class_of(value, classes)
    return ZERO if index is None else class_key(index)


def district_choropleth(summariser: Summariser, period: Period, language: str) -> Choropleth:
    """The public figures of ``period`` by district, classed per measure over the
    districts drawn (those with a shape), names in ``language``."""
    figures = public_district_figures(
        summariser.reader, period.start, period.end, summariser=summariser
    )
    areas = {
        code: area
        for code, area in summariser.places.areas.items()
        if area.level is AdminLevel.DISTRICT
    }
    rows = [row for row in figures["districts"] if row["code"] in areas]
    drawn = [row for row in rows if areas[row["code"]].geometry is not None]
    classes = {
        measure: natural_breaks([float(row[measure]) for row in drawn if row["reported"]])
        for measure in MEASURES
    }
    by_size = sorted(drawn, key=lambda row: -_area_size(areas[row["code"]]))
    rank = {row["code"]: index for index, row in enumerate(by_size)}
    districts = [
        DistrictShade(
            code=row["code"],
            name=areas[row["code"]].name_in(language),
            label_point=_label_point(areas[row["code"]]),
            label_rank=rank.get(row["code"], len(rank)),
            reported=bool(row["reported"]),
            figures={name: row[name] for name in (*MEASURES, *DETAILS)},
            shades={
                measure: _shade(row["reported"], float(row[measure]), classes[measure])
                for measure in MEASURES
            },
        )
        for row in rows
    ]
    return Choropleth(period, districts, classes)


def _area_size(area: AdminArea) -> float:
    return 0.0 if area.geometry is None else float(area.geometry.area)


def district_rows(choropleth: Choropleth) -> list[dict[str, Any]]:
    """The districts as the page's script reads them (JSON)."""
    return [
        {
            "code": shade.code,
            "name": shade.name,
            "label_point": shade.label_point,
            "label_rank": shade.label_rank,
            "reported": shade.reported,
            **shade.figures,
            "shades": shade.shades,
        }
        for shade in choropleth.districts
    ]
