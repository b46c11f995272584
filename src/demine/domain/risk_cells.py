"""Risk cells: the predictive risk layer as the register keeps it.

A risk cell is one cell of a prediction (``demine risk predict --store``): its square,
the calibrated probability that it holds mines, and the three features that pushed that
probability most (SHAP contributions, in log-odds). It is machine-made, not a field
report: the command that computes a layer stores it whole, replacing the country's
previous layer of the same model, so it has no drafts and no approval of its own (see
``docs/risk-model.md``). Where mines are likely is as sensitive as where they were laid:
like minefield records, risk cells are never public.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from demine.domain.custom_values import Extensible
from demine.domain.rules import POLYGONAL, FieldProblem, RuleContext, check_geometry

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: How many of a cell's strongest factors are kept.
FACTORS = 3


class RiskScorer(StrEnum):
    """Which of a model's two scorers gave the risk (``docs/risk-model.md``)."""

    #: Register features and the cells file's covariates.
    FULL = "full"
    #: Register features only: the cells file lacked a covariate the model learnt from.
    REGISTER_ONLY = "register-only"


@dataclass(frozen=True)
class RiskCell(Extensible):
    """One stored cell of a risk layer."""

    #: ``country/model/cell``: unique in the register, stable across re-stores.
    external_id: str
    country: str
    #: The cell's id in the cells file (or its row number when the file has none).
    cell: str
    model: str
    #: SHA-256 of the model file: which training of ``model`` computed the layer.
    model_sha256: str
    scorer: RiskScorer
    #: The cut-off: only events surely before this day were measured.
    events_before: date
    predicted_on: date
    risk: float
    district: str | None = None
    factor_1: str | None = None
    factor_1_contribution: float | None = None
    factor_2: str | None = None
    factor_2_contribution: float | None = None
    factor_3: str | None = None
    factor_3_contribution: float | None = None
    geometry: BaseGeometry | None = None

    @property
    def factors(self) -> list[tuple[str, float]]:
        """The strongest factors, strongest first, as ``(feature, contribution)``."""
        pairs = (
            (self.factor_1, self.factor_1_contribution),
            (self.factor_2, self.factor_2_contribution),
            (self.factor_3, self.factor_3_contribution),
        )
        return [(name, value) for name, value in pairs if name is not None and value is not None]


def risk_cell_key(country: str, model: str, cell: str) -> str:
    """The stored key of ``cell`` of ``model``'s layer in ``country``."""
    return f"{country}/{model}/{cell}"


def check_risk_cell(cell: RiskCell, context: RuleContext) -> list[FieldProblem]:
    """A risk is a probability; a contribution is a finite number; the cut-off is not
    after the prediction; the cell is an area (its square)."""
    problems: list[FieldProblem] = []
    if not (math.isfinite(cell.risk) and 0.0 <= cell.risk <= 1.0):
        problems.append(("risk", f"risk {cell.risk!r} is not between 0 and 1"))
    for rank in range(1, FACTORS + 1):
        value = getattr(cell, f"factor_{rank}_contribution")
        if value is not None and not math.isfinite(value):
            problems.append((f"factor_{rank}_contribution", f"{value!r} is not a number"))
    if cell.predicted_on > context.today:
        problems.append(("predicted_on", f"date {cell.predicted_on.isoformat()} is in the future"))
    if cell.geometry is None:
        problems.append(("geometry", f"geometry is required ({' or '.join(POLYGONAL)})"))
    else:
        problems += check_geometry("geometry", cell.geometry, context, POLYGONAL)
    return problems
