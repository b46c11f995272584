"""The geometry checks (:mod:`demine.analysis.geometry`) on an imported file, as
warnings: a fault the importer need not refuse (a gap, a placeholder point, a shape in
another district, a duplicate in the file) is noted with its row and a suggested repair,
and the import goes on. Invalid shapes are not among them: those the importer repairs
(noted) or refuses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point

from demine.analysis.geometry import Limits, Located, Places, pair_findings, record_findings
from demine.analysis.geometry.model import PLACEHOLDER_DECIMALS, Finding
from demine.analysis.geometry.pairs import NO_OVERLAP_KINDS
from demine.domain.entities import AdminArea
from demine.domain.kinds import KINDS, FieldType
from demine.domain.places import PlaceIndex
from demine.errors import Problem
from demine.i18n import _
from demine.ingest.gazetteers import builtin_gazetteer

#: Warnings noted per file at most; the rest are counted (``demine check geometry``
#: lists them all once the file is imported).
MAX_WARNINGS = 100


def _repeated_points(xy: Any) -> Any:
    """The points (rows of coordinates) another point is at too (the only ones a
    duplicate can be among), and those without a number for a coordinate: found by
    sorting the coordinates (no copy of them as records, as ``np.unique`` makes)."""
    if not len(xy):
        return np.zeros(0, dtype=np.intp)
    x, y = xy[:, 0], xy[:, 1]
    order = np.lexsort((y, x))
    sorted_x, sorted_y = x[order], y[order]
    same = (sorted_x[1:] == sorted_x[:-1]) & (sorted_y[1:] == sorted_y[:-1])
    repeated_sorted = np.zeros(len(order), dtype=bool)
    repeated_sorted[1:] |= same
    repeated_sorted[:-1] |= same
    repeated = np.zeros(len(order), dtype=bool)
    repeated[order] = repeated_sorted
    return np.flatnonzero(repeated | np.isnan(x) | np.isnan(y))


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
        #: From :meth:`check_columns`: (row, record) to pair, and per batch the rows,
        #: coordinates, batch, index in the batch and district of its points.
        self._paired: list[tuple[int, Located]] = []
        self._points: list[tuple[Any, Any, Any, Any, Any]] = []
        self._key_batches: list[Sequence[str]] = []

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

    def check_columns(
        self,
        keys: Sequence[str],
        geometries: Any,
        districts: Sequence[str | None],
        first_row: int = 1,
    ) -> None:
        """:meth:`check` on whole columns (a file's rows from ``first_row`` on, a batch
        at a time), with the same notes.

        Points are first tested together (country, district, placeholder centres);
        only the rows these tests cannot clear go through the checks one by one, which
        alone decide what is noted. The same point twice is looked for among the whole
        file's points by :meth:`finish`, which keeps their coordinates, not their shapes.
        """
        if not self.active:
            return
        shapes = np.asarray(geometries, dtype=object)
        present = ~shapely.is_missing(shapes) & ~shapely.is_empty(shapes)
        points = shapely.get_type_id(shapes) == shapely.GeometryType.POINT
        district_array = np.empty(len(keys), dtype=object)
        district_array[:] = districts
        if self.kind.name in NO_OVERLAP_KINDS or not points[present].all():
            suspects = np.flatnonzero(present)
            for index in suspects.tolist():
                record = Located(self.kind.name, keys[index], shapes[index], districts[index])
                self._paired.append((first_row + index, record))
        else:
            suspects = np.flatnonzero(present & self._unclear_points(shapes, districts))
            indexes = np.flatnonzero(present)
            # The batch's keys are kept as given (a compact column), read only for the
            # few points another row has too.
            self._key_batches.append(keys)
            self._points.append(
                (
                    first_row + indexes,
                    shapely.get_coordinates(shapes[indexes]),
                    np.full(len(indexes), len(self._key_batches) - 1, dtype=np.int32),
                    indexes,
                    district_array[indexes],
                )
            )
        for index in suspects.tolist():
            record = Located(self.kind.name, keys[index], shapes[index], districts[index])
            self.row_of[record.key] = (self.file_name, first_row + index)
            for finding in record_findings(record, self.places, self.limits):
                self._note(finding)

    def _pair_columns(self) -> None:
        """The rows :meth:`check_columns` saw that may be paired, in row order: every
        shape of a file not all points, and the points another row has too."""
        if self._points:
            parts = zip(*self._points, strict=True)
            rows, xy, batches, indexes, districts = (np.concatenate(part) for part in parts)
            self._points.clear()
            for index in _repeated_points(xy).tolist():
                point = shapely.points(xy[index])
                key = self._key_batches[batches[index]][indexes[index]]
                record = Located(self.kind.name, key, point, districts[index])
                self._paired.append((int(rows[index]), record))
            self._key_batches.clear()
        self._paired.sort(key=lambda paired: paired[0])
        for row, record in self._paired:
            self.located.append(record)
            self.row_of[record.key] = (self.file_name, row)
        self._paired.clear()

    def _unclear_points(self, shapes: Any, districts: Sequence[str | None]) -> Any:
        """Points that may have a finding of their own (the others surely have none)."""
        unclear = ~shapely.is_valid(shapes)
        if self.places.country is not None:
            unclear |= ~shapely.covers(self.places.country, shapes)
        codes = np.asarray(districts, dtype=object)
        for code, shape in self.places.districts.items():
            of_district = codes == code
            unclear[of_district] |= ~shapely.intersects(shape, shapes[of_district])
        # A point near a district's centre, tested exactly one by one.
        near = 2 * 10.0**-PLACEHOLDER_DECIMALS
        x, y = shapely.get_x(shapes), shapely.get_y(shapes)
        for cx, cy in self.places.placeholders:
            unclear |= (np.abs(x - cx) <= near) & (np.abs(y - cy) <= near)
        return unclear

    def finish(self) -> None:
        """Note duplicates (and overlapping hazards) among the file's rows."""
        self._pair_columns()
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
