"""A factor of ``demine analyse projects``: predicted high-risk ground no hazard covers.

The risk layer is a prediction file of ``demine risk predict`` (each cell's centre and
``risk``). A project *crosses* a cell when the cell's square (its side the cells' grid
spacing, see :mod:`demine.analysis.risk.cells`) meets the project's footprint. A cell
counts when its risk is at least the threshold and its centre lies in no hazard area
recorded by the as-of day (open or already released: the register knows that ground).
A project crossing any such cell is flagged: contamination may lie where no survey has
looked yet. The flag does not change the ranking; the explanation says it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from demine.analysis.projects.defaults import DEFAULT_RISK_THRESHOLD
from demine.analysis.projects.footprint import Footprint
from demine.analysis.records.projection import project_xy
from demine.errors import InvalidRequestError, Problem
from demine.i18n import _
from demine.store.reader import RegisterReader

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RiskLayer:
    """Cells of a prediction file: centres (degrees), risk, and the cells' half side."""

    source: str
    lon: FloatArray
    lat: FloatArray
    risk: FloatArray
    half_size_m: float
    threshold: float
    #: Read from the register's stored layer (``source`` names its model), not a file.
    stored: bool = False


def read_risk_layer(path: Path, threshold: float = DEFAULT_RISK_THRESHOLD) -> RiskLayer:
    """A prediction file of ``demine risk predict`` as a risk layer."""
    from demine.analysis.risk.cells import LocalProjection, cell_half_size_m, read_cells

    if not 0.0 <= threshold <= 1.0:
        raise InvalidRequestError(_("the risk threshold must be between 0 and 1"))
    cells = read_cells(path)
    if "risk" not in cells.header:
        raise InvalidRequestError(
            _("{file}: no risk column (write it with demine risk predict)").format(file=cells.name)
        )
    risk = np.empty(len(cells))
    for index, value in enumerate(cells.column("risk")):
        try:
            risk[index] = float(value)
        except ValueError:
            risk[index] = np.nan
        if not 0.0 <= risk[index] <= 1.0:
            raise InvalidRequestError(
                str(
                    Problem(
                        cells.name,
                        index + 2,
                        "risk",
                        _("{value!r} is not a risk from 0 to 1").format(value=value),
                    )
                )
            )
    projection = LocalProjection.around(cells.lon, cells.lat)
    half_size = cell_half_size_m(projection.metres(cells.lon, cells.lat))
    return RiskLayer(cells.name, cells.lon, cells.lat, risk, half_size, threshold)


def stored_risk_layer(
    reader: RegisterReader, model: str, threshold: float = DEFAULT_RISK_THRESHOLD
) -> RiskLayer:
    """The reader's country's stored layer of ``model`` (``demine risk predict
    --store``) as a risk layer; its cells' extent is found from their spacing, as a
    file's is."""
    from demine.analysis.risk.cells import LocalProjection, cell_half_size_m
    from demine.store.risk_layer import layer_centres, stored_layers

    if not 0.0 <= threshold <= 1.0:
        raise InvalidRequestError(_("the risk threshold must be between 0 and 1"))
    country = reader.country or ""
    cells = layer_centres(reader.connection, country, model)
    if not cells:
        stored = ", ".join(layer.model for layer in stored_layers(reader.connection, country))
        raise InvalidRequestError(
            _("no stored risk layer of model '{model}' in {country} (stored: {stored})").format(
                model=model, country=country, stored=stored or _("none")
            )
        )
    lon, lat, risk = (np.array(values, dtype=float) for values in zip(*cells, strict=True))
    projection = LocalProjection.around(lon, lat)
    half_size = cell_half_size_m(projection.metres(lon, lat))
    return RiskLayer(model, lon, lat, risk, half_size, threshold, stored=True)


@dataclass(frozen=True)
class RiskCrossing:
    """The high-risk cells outside every hazard that a project's footprint crosses."""

    cells: int
    highest_risk: float | None


def hazard_cover(hazards: Sequence[BaseGeometry]) -> BaseGeometry | None:
    """The ground the hazards cover (lon/lat), or ``None`` without hazards."""
    shapes = [shape for shape in hazards if shape is not None and not shape.is_empty]
    return shapely.union_all(shapes) if shapes else None


def crossing(footprint: Footprint, layer: RiskLayer, cover: BaseGeometry | None) -> RiskCrossing:
    """What of ``layer`` the footprint crosses outside ``cover``."""
    west, south, east, north = footprint.search_box(2 * layer.half_size_m)
    near = (
        (layer.risk >= layer.threshold)
        & (layer.lon >= west)
        & (layer.lon <= east)
        & (layer.lat >= south)
        & (layer.lat <= north)
    )
    if cover is not None and near.any():
        near[near] = ~shapely.contains_xy(cover, layer.lon[near], layer.lat[near])
    if not near.any():
        return RiskCrossing(0, None)
    x, y = project_xy(layer.lon[near], layer.lat[near], footprint.epsg)
    half = layer.half_size_m
    squares = shapely.box(x - half, y - half, x + half, y + half)
    crossed = shapely.intersects(squares, footprint.shape)
    risks = layer.risk[near][crossed]
    return RiskCrossing(int(crossed.sum()), float(risks.max()) if len(risks) else None)
