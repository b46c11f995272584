"""Checking the register's geometries: every live record of the kinds asked for, read
through a :class:`~demine.store.reader.RegisterReader` the caller may use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from demine.analysis.geometry.model import Finding, GeometryProblem, Limits, Located, Places
from demine.analysis.geometry.pairs import pair_findings
from demine.analysis.geometry.record import record_findings
from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed, require, require_kind_read
from demine.domain.kinds import Kind, geometry_checked_kinds
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reads.areas import country_areas
from demine.store.reads.geometry import record_shapes

if TYPE_CHECKING:
    from shapely.geometry import Point

    from demine.store.reader import RegisterReader


def readable_kinds(principal: Principal, named: Sequence[str]) -> tuple[Kind, ...]:
    """The kinds to check: those ``named`` (each refused unless ``principal`` may read
    it), else every checked kind ``principal`` may read (at least one)."""
    spatial = {kind.name: kind for kind in geometry_checked_kinds()}
    unknown = [name for name in named if name not in spatial]
    if unknown:
        raise InvalidRequestError(
            _("no geometries to check in '{kind}' (accepted: {kinds})").format(
                kind=unknown[0], kinds=", ".join(spatial)
            )
        )
    for name in named:
        require_kind_read(principal, spatial[name])
    if named:
        return tuple(spatial[name] for name in dict.fromkeys(named))
    chosen = [kind for kind in spatial.values() if allowed(principal, kind.read_permission)]
    if not chosen:
        require(principal, Permission.VIEW_OPERATIONAL, _("check geometries"))
    return tuple(chosen)


@dataclass(frozen=True)
class GeometryCheck:
    """The findings of one check of the register."""

    country: str
    limits: Limits
    #: Records with a geometry checked, by kind.
    records: Mapping[str, int]
    findings: tuple[Finding, ...]
    places: Places

    def counts(self) -> dict[str, int]:
        """Findings by problem (every problem listed, zeros included)."""
        return {
            problem.value: sum(1 for f in self.findings if f.problem is problem)
            for problem in GeometryProblem
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "max_gap_m": self.limits.max_gap_m,
            "overlap_share": self.limits.overlap_share,
            "records": dict(self.records),
            "counts": self.counts(),
            "findings": [finding.to_json() for finding in self.findings],
        }


def check_register(
    reader: RegisterReader,
    kinds: Sequence[Kind],
    limits: Limits | None = None,
    known_centres: Mapping[str, Point] | None = None,
) -> GeometryCheck:
    """Check the live records of ``kinds`` of the reader's country (the caller has made
    sure its principal may read them)."""
    limits = limits or Limits()
    country = reader.country or ""
    _refs, areas = country_areas(reader)
    places = Places.of(country, areas, known_centres)
    order = {problem: i for i, problem in enumerate(GeometryProblem)}
    records: dict[str, int] = {}
    findings: list[Finding] = []
    for kind in kinds:
        located = [
            Located(kind.name, key, geometry, district)
            for key, geometry, district in record_shapes(reader, kind)
        ]
        records[kind.name] = len(located)
        found = [f for record in located for f in record_findings(record, places, limits)]
        found += pair_findings(located, limits)
        findings += sorted(found, key=lambda f: (f.key, order[f.problem]))
    return GeometryCheck(country, limits, records, tuple(findings), places)
