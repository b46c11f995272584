"""Scoring a cells file with a trained model: risk and the three strongest factors.

Columns the model did not see are ignored and named. A covariate the model needs but
the file lacks is never filled in: the cells are scored with the register-only model
trained beside the full one, and the output says so and names the missing columns.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from demine.analysis.risk.cells import CellsFile
from demine.analysis.risk.covariates import covariate_matrix
from demine.analysis.risk.events import RegisterEvent
from demine.analysis.risk.features import measure_cells
from demine.analysis.risk.model import FloatArray, RiskModel, top_factors
from demine.errors import InvalidRequestError
from demine.i18n import _

FULL = "full"
REGISTER_ONLY = "register-only"


@dataclass(frozen=True)
class Prediction:
    """Each cell's risk and strongest factors, and which columns were used or not."""

    risk: FloatArray
    factors: list[list[tuple[str, float]]]
    scorer: str
    missing: list[str]
    ignored: list[str]
    half_size_m: float
    events_used: dict[str, int]
    events_before: date


def predict_cells(
    model: RiskModel, cells: CellsFile, events: Sequence[RegisterEvent], cutoff: date
) -> Prediction:
    """Score every cell of ``cells`` with events before ``cutoff``."""
    present = set(cells.header)
    missing = [column for column in model.covariates if column not in present]
    used = set(model.covariates) | set(cells.location_columns)
    ignored = [column for column in cells.header if column not in used]
    if missing and model.register_only is None:
        raise InvalidRequestError(
            _(
                "{file}: missing covariates {columns} and the model has no register-only part"
            ).format(file=cells.name, columns=", ".join(missing))
        )
    # One cell has no spacing to measure: it is taken to be as large as training cells.
    trained_half_size = float(model.trained_on["cell_half_size_m"])
    measured = measure_cells(
        cells.lon, cells.lat, events, cutoff, trained_half_size if len(cells) < 2 else None
    )
    if missing:
        assert model.register_only is not None
        scorer, name, matrix = model.register_only, REGISTER_ONLY, measured.features.values
    else:
        import numpy as np

        scorer, name = model.full, FULL
        matrix = np.hstack([measured.features.values, covariate_matrix(cells, model.covariates)])
    return Prediction(
        risk=scorer.risk(matrix),
        factors=top_factors(scorer.contributions(matrix), scorer.features),
        scorer=name,
        missing=missing,
        ignored=ignored,
        half_size_m=measured.half_size_m,
        events_used=measured.features.events_used,
        events_before=cutoff,
    )


def factor_columns(count: int) -> list[str]:
    """The names of the factor columns added to a prediction file."""
    columns = []
    for rank in range(1, count + 1):
        columns += [f"factor_{rank}", f"factor_{rank}_contribution"]
    return columns


def write_predictions(path: Path, cells: CellsFile, prediction: Prediction) -> None:
    """The input rows in their order, with ``risk`` and the factor columns added."""
    count = max((len(f) for f in prediction.factors), default=0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*cells.header, "risk", *factor_columns(count)])
        for row, risk, factors in zip(cells.rows, prediction.risk, prediction.factors, strict=True):
            extra: list[str] = []
            for name, contribution in factors:
                extra += [name, f"{contribution:.4f}"]
            writer.writerow([*row, f"{risk:.4f}", *extra])
