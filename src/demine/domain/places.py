"""Finding administrative areas by code, name or any recorded spelling."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from demine.domain.entities import AdminArea
from demine.domain.names import name_key
from demine.domain.rules import Extent
from demine.domain.vocab import AdminLevel
from demine.i18n import current_locale

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Country extents (lon/lat boxes) used when a country has no geometry of its own.
#: Rounded outward from Natural Earth 1:10m admin-0 bounds (public domain).
KNOWN_COUNTRY_EXTENTS: dict[str, Extent] = {
    "AZ": Extent(44.76, 38.38, 50.63, 41.91),
    "CO": Extent(-81.8, -4.3, -66.8, 13.6),
}


class AreaNames(Mapping[str, str]):
    """The areas' names by code.

    As a mapping it gives the canonical names, which machine outputs (JSON, CSV,
    GeoJSON) keep; :meth:`shown` gives a name as the reader's language writes it.
    """

    def __init__(self, areas: Iterable[AdminArea]) -> None:
        self._areas = {area.code: area for area in areas}

    def __getitem__(self, code: str) -> str:
        return self._areas[code].name

    def __iter__(self) -> Iterator[str]:
        return iter(self._areas)

    def __len__(self) -> int:
        return len(self._areas)

    def shown(self, code: str, language: str | None = None) -> str:
        """The name of ``code`` in ``language`` (default: the current one); an unknown
        code is shown as it is."""
        area = self._areas.get(code)
        if area is None:
            return code
        return area.name_in(language or current_locale())


def shown_names(names: Mapping[str, str], language: str | None = None) -> dict[str, str]:
    """Code -> name as a text for people in ``language`` (default: the current one)
    writes it: the one function every report, page and map reads names through."""
    if isinstance(names, AreaNames):
        return {code: names.shown(code, language) for code in names}
    return dict(names)


def shown_by_canonical(names: Mapping[str, str], language: str | None = None) -> dict[str, str]:
    """Canonical name -> name in ``language`` (default: the current one), for texts
    drawn from figures that carry canonical names (casualty statistics' JSON)."""
    shown = shown_names(names, language)
    return {names[code]: shown[code] for code in names}


class PlaceIndex:
    """The administrative areas of one country, searchable by any spelling."""

    def __init__(self, country: str, areas: Iterable[AdminArea]) -> None:
        self.country = country
        self.areas: dict[str, AdminArea] = {}
        self._by_key: dict[tuple[AdminLevel, str], set[str]] = {}
        for area in areas:
            if area.country == country:
                self.add(area)

    def add(self, area: AdminArea) -> None:
        self.areas[area.code] = area
        for spelling in area.spellings:
            self._by_key.setdefault((area.level, name_key(spelling)), set()).add(area.code)

    def names(self, codes: Iterable[str] | None = None) -> AreaNames:
        """The names of every area (or of ``codes``, in that order) by code: canonical
        as a mapping, per language through ``shown``."""
        chosen = self.areas if codes is None else codes
        return AreaNames(self.areas[code] for code in chosen)

    def resolve(self, text: str, level: AdminLevel, parent: str | None = None) -> str:
        """The code of the area of ``level`` named ``text``.

        Raises ``ValueError`` for an unknown or ambiguous name.
        """
        codes = self._by_key.get((level, name_key(text)), set())
        if parent is not None:
            codes = {c for c in codes if self.areas[c].parent_code == parent}
        if len(codes) == 1:
            return next(iter(codes))
        if not codes:
            raise ValueError(f"unknown {level.value} '{text}' in {self.country}")
        raise ValueError(f"'{text}' names several {level.value}s: {', '.join(sorted(codes))}")

    def district_containing(self, point: BaseGeometry) -> str | None:
        """The district whose geometry contains ``point``, if exactly one does."""
        import shapely

        found = [
            area.code
            for area in self.areas.values()
            if area.level is AdminLevel.DISTRICT
            and area.geometry is not None
            and shapely.covers(area.geometry, point)
        ]
        return found[0] if len(found) == 1 else None

    def extent(self) -> Extent | None:
        """The box coordinates of this country must fall in."""
        country = self.areas.get(self.country)
        if country is not None and country.geometry is not None:
            min_x, min_y, max_x, max_y = country.geometry.bounds
            return Extent(min_x, min_y, max_x, max_y)
        return KNOWN_COUNTRY_EXTENTS.get(self.country)

    def in_reporting_order(self, codes: Iterable[str]) -> list[str]:
        """``codes`` sorted by the configured reporting order, then by name."""

        def order(code: str) -> tuple[int, str]:
            area = self.areas[code]
            rank = area.reporting_order if area.reporting_order is not None else 10**6
            return (rank, area.name)

        return sorted(codes, key=order)
