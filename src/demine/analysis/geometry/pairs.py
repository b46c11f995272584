"""The checks comparing the records of one kind: the same shape in two records, and
hazardous areas overlapping each other by more than a share of the smaller one."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.strtree import STRtree

from demine.analysis.geometry.model import Finding, GeometryProblem, Limits, Located
from demine.i18n import _

#: Kinds whose records must not overlap: a hazardous area recorded twice counts its
#: remaining area twice. (Activities do overlap: a clearance works a surveyed area.)
NO_OVERLAP_KINDS = frozenset({"hazards"})


def pair_findings(records: Sequence[Located], limits: Limits) -> list[Finding]:
    """Duplicates and overlaps among ``records`` (all of one kind). A finding is on the
    later record in key order and names the earlier one."""
    ordered = sorted(records, key=lambda r: r.key)
    findings, duplicates = _duplicates(ordered)
    if ordered and ordered[0].kind in NO_OVERLAP_KINDS:
        findings += _overlaps(ordered, limits, duplicates)
    return findings


def _duplicates(ordered: Sequence[Located]) -> tuple[list[Finding], set[tuple[str, str]]]:
    first_of: dict[bytes, Located] = {}
    findings: list[Finding] = []
    pairs: set[tuple[str, str]] = set()
    for record in ordered:
        shape = record.geometry
        if shape.is_empty:
            continue
        # The same shape drawn from another vertex or in the other direction is the same.
        fingerprint = shapely.to_wkb(shapely.normalize(shape), output_dimension=2)
        first = first_of.setdefault(fingerprint, record)
        if first is record:
            continue
        pairs.add((first.key, record.key))
        findings.append(
            Finding(
                record.kind,
                record.key,
                GeometryProblem.DUPLICATE,
                _("the same geometry as {other}").format(other=first.key),
                _("keep one record: merge the two, or correct the geometry copied by mistake"),
                shape,
                other=first.key,
                other_geometry=first.geometry,
            )
        )
    return findings, pairs


def _overlaps(
    ordered: Sequence[Located], limits: Limits, duplicates: set[tuple[str, str]]
) -> list[Finding]:
    areas = [r for r in ordered if r.geometry.area > 0 and r.geometry.is_valid]
    if not areas:  # a file of points only (STRtree.query refuses an empty list)
        return []
    tree = STRtree([r.geometry for r in areas])
    findings: list[Finding] = []
    for i, j in sorted(zip(*tree.query([r.geometry for r in areas], "intersects"), strict=True)):
        if i >= j:
            continue
        first, later = areas[int(i)], areas[int(j)]
        if (first.key, later.key) in duplicates:
            continue
        shared = first.geometry.intersection(later.geometry)
        share = shared.area / min(first.geometry.area, later.geometry.area)
        if share <= limits.overlap_share:
            continue
        findings.append(
            Finding(
                later.kind,
                later.key,
                GeometryProblem.OVERLAP,
                _("overlaps {other} by {share:.0%} of the smaller area (more than "
                  "{limit:.0%})").format(other=first.key, share=share, limit=limits.overlap_share),
                _("if both record one area, merge them; otherwise cut the shared part from "
                  "one of them (shapely difference)"),
                later.geometry,
                shared,
                first.key,
                first.geometry,
            )
        )  # fmt: skip
    return findings
