"""The geometry checks (:mod:`demine.analysis.geometry`) on an imported file, as
warnings: a fault the importer need not refuse (a gap, a placeholder point, a shape in
another district, a duplicate in the file) is noted with its row and a suggested repair,
and the import goes on. Invalid shapes are not among them: those the importer repairs
(noted) or refuses."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point

from demine.analysis.geometry import Limits, Located, Places, pair_findings, record_findings
from demine.analysis.geometry.model import Finding
from demine.domain.entities import AdminArea
from demine.domain.kinds import KINDS, FieldType
from demine.domain.places import PlaceIndex
from demine.errors import Problem
from demine.i18n import _
from demine.ingest.gazetteers import builtin_gazetteer

#: Warnings noted per file at most; the rest are counted (``demine check geometry``
#: lists them all once the file is imported).
MAX_WARNINGS = 100


def gazetteer_centres(country: str) -> dict[str, Point]:
    """The district centres of the gazetteer Demine ships for ``country`` (if any)."""
    known = builtin_gazetteer(country.upper())
    if known is None:
        return {}
    return {district.code: Point(district.lon, district.lat) for district in known.districts}


class GeometryWarnings:
    """Checks each accepted row's geometry, then the file's rows against each other."""

    def __init__(
        self, kind: str, file_name: str, places: PlaceIndex, notes: list[str] | None
    ) -> None:
        described = KINDS[kind]
        self.kind = described
        self.file_name = file_name
        self.notes = notes
        self.active = notes is not None and described.spatial and described.entity is not AdminArea
        self.district = next(
            (
                f.entity_attribute
                for f in described.fields
                if f.type is FieldType.REFERENCE and f.level == "district"
            ),
            None,
        )
        self.limits = Limits()
        self.places = (
            Places.of(places.country, places.areas.values(), gazetteer_centres(places.country))
            if self.active
            else Places()
        )
        self.located: list[Located] = []
        #: Where each record is: its file (or file:layer) and row.
        self.row_of: dict[str, tuple[str, int]] = {}
        self.warned = 0

    def check(self, entity: Any, row: int, source: str | None = None) -> None:
        """Note the faults of one accepted row's geometry (``source``: the file:layer the
        row is in, when a file's rows come from several layers)."""
        geometry = getattr(entity, "geometry", None) if self.active else None
        if geometry is None or geometry.is_empty:
            return
        key = str(getattr(entity, self.kind.key_field.entity_attribute))
        district = getattr(entity, self.district) if self.district else None
        record = Located(self.kind.name, key, geometry, district)
        self.located.append(record)
        self.row_of[key] = (source or self.file_name, row)
        for finding in record_findings(record, self.places, self.limits):
            self._note(finding)

    def finish(self) -> None:
        """Note duplicates (and overlapping hazards) among the file's rows."""
        for finding in pair_findings(self.located, self.limits):
            self._note(finding)
        if self.warned > MAX_WARNINGS:
            assert self.notes is not None
            self.notes.append(
                _("{file}: {count} more geometry warnings (run demine check geometry)").format(
                    file=self.file_name, count=self.warned - MAX_WARNINGS
                )
            )

    def _note(self, finding: Finding) -> None:
        assert self.notes is not None
        self.warned += 1
        if self.warned > MAX_WARNINGS:
            return
        message = _("warning: {detail}; suggested repair: {repair}").format(
            detail=finding.detail, repair=finding.repair
        )
        file_name, row = self.row_of.get(finding.key, (self.file_name, None))
        problem = Problem(file_name, row, "geometry", message)
        self.notes.append(str(problem))
