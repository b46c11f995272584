"""A prediction as the register stores it: one risk cell per row of the cells file.

Each cell is stored as its square (the cell extent the features were measured with,
:mod:`.cells`), or as the polygon the cells file gave; its district is the one whose
polygon covers the cell's centre (none when no district or several do). Every cell is
checked before anything is written; one bad cell refuses the whole layer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from demine.analysis.risk.cells import GEOMETRY_NAMES, CellsFile, LocalProjection
from demine.analysis.risk.prediction import Prediction
from demine.domain.entities import AdminArea
from demine.domain.risk_cells import FACTORS, RiskCell, RiskScorer, check_risk_cell, risk_cell_key
from demine.domain.rules import RuleContext
from demine.domain.vocab import AdminLevel
from demine.errors import ImportRejected, InvalidRequestError, Problem
from demine.i18n import _

#: Columns naming a cell, in the order they are looked for (the last: a file written
#: by pandas with its index, as RELand's, whose first column has no name).
CELL_ID_NAMES = ("cell_id", "cell", "id", "")


@dataclass(frozen=True)
class ModelIdentity:
    """Which model computed a layer: its name and the digest of its file."""

    name: str
    sha256: str

    @classmethod
    def of_file(cls, path: Path, name: str | None = None) -> ModelIdentity:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return cls(name or path.stem, digest)


def cell_ids(cells: CellsFile, column: str | None = None) -> list[str]:
    """Each row's cell id: ``column``, else the first of :data:`CELL_ID_NAMES` the file
    has, else the row's number (1 for the first cell); ids must be unique."""
    lowered = {name.strip().lower(): name for name in cells.header}
    if column is not None and column not in cells.header:
        raise InvalidRequestError(
            _("{file}: no column '{column}'").format(file=cells.name, column=column)
        )
    chosen = column or next((lowered[n] for n in CELL_ID_NAMES if n in lowered), None)
    ids = (
        [value.strip() for value in cells.column(chosen)]
        if chosen is not None
        else [str(number) for number in range(1, len(cells) + 1)]
    )
    seen: set[str] = set()
    for number, value in enumerate(ids, start=2):
        if not value or value in seen:
            reason = _("empty cell id") if not value else _("cell id {id} repeated")
            raise InvalidRequestError(
                str(Problem(cells.name, number, chosen, reason.format(id=value)))
            )
        seen.add(value)
    return ids


def _squares(cells: CellsFile, half_size_m: float) -> list[BaseGeometry]:
    """Each cell's square, or the polygon its file gave (corners projected all at once:
    a transformer per cell would cost more than storing the layer)."""
    from shapely import polygons, wkt

    projection = LocalProjection.around(cells.lon, cells.lat)
    centres = projection.metres(cells.lon, cells.lat)
    offsets = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]) * half_size_m
    corners = (centres[:, None, :] + offsets[None, :, :]).reshape(-1, 2)
    lon, lat = projection.degrees(corners[:, 0], corners[:, 1])
    rings = np.round(np.column_stack([lon, lat]), 7).reshape(len(cells), len(offsets), 2)
    shapes: list[BaseGeometry] = list(polygons(rings))
    given = next((c for c in cells.location_columns if c.strip().lower() in GEOMETRY_NAMES), None)
    if given is not None:
        for index, text in enumerate(cells.column(given)):
            shape = wkt.loads(text)
            if shape.geom_type in ("Polygon", "MultiPolygon"):
                shapes[index] = shape
    return shapes


def districts_of(areas: Sequence[AdminArea], cells: CellsFile) -> list[str | None]:
    """The district covering each cell's centre (None: no district or several)."""
    from shapely import STRtree, points

    districts = [a for a in areas if a.level is AdminLevel.DISTRICT and a.geometry is not None]
    found: list[str | None] = [None] * len(cells)
    if not districts:
        return found
    tree = STRtree([a.geometry for a in districts])
    centres = points(np.column_stack([cells.lon, cells.lat]))
    covering: dict[int, list[str]] = {}
    cell_at, area_at = tree.query(centres, predicate="covered_by")
    for cell, area in zip(cell_at, area_at, strict=True):
        covering.setdefault(int(cell), []).append(districts[int(area)].code)
    for cell, codes in covering.items():
        found[cell] = codes[0] if len(codes) == 1 else None
    return found


def layer_cells(
    cells: CellsFile,
    prediction: Prediction,
    model: ModelIdentity,
    *,
    country: str,
    districts: Sequence[str | None],
    today: date,
    cell_id_column: str | None = None,
) -> list[RiskCell]:
    """The stored cells of ``prediction``; :class:`ImportRejected` lists every bad one."""
    ids = cell_ids(cells, cell_id_column)
    shapes = _squares(cells, prediction.half_size_m)
    scorer = RiskScorer(prediction.scorer)
    context = RuleContext(today)
    stored: list[RiskCell] = []
    problems: list[Problem] = []
    for index, cell_id in enumerate(ids):
        factors: dict[str, Any] = {}
        for rank, (name, value) in enumerate(prediction.factors[index][:FACTORS], start=1):
            factors[f"factor_{rank}"] = name
            factors[f"factor_{rank}_contribution"] = round(float(value), 6)
        cell = RiskCell(
            external_id=risk_cell_key(country, model.name, cell_id),
            country=country,
            cell=cell_id,
            model=model.name,
            model_sha256=model.sha256,
            scorer=scorer,
            events_before=prediction.events_before,
            predicted_on=today,
            risk=round(float(prediction.risk[index]), 6),
            district=districts[index],
            geometry=shapes[index],
            **factors,
        )
        problems += [
            Problem(cells.name, index + 2, field, reason)
            for field, reason in check_risk_cell(cell, context)
        ]
        stored.append(cell)
    if problems:
        raise ImportRejected(problems)
    return stored
