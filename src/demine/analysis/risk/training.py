"""Training a risk model on a labelled cells file and the register's earlier events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from demine.analysis.risk.cells import CellsFile
from demine.analysis.risk.covariates import CovariateChoice, choose_covariates, covariate_matrix
from demine.analysis.risk.events import RegisterEvent
from demine.analysis.risk.features import measure_cells
from demine.analysis.risk.model import FloatArray, RiskModel, fit_scorer
from demine.errors import InvalidRequestError, Problem
from demine.i18n import _

POSITIVE = frozenset({"1", "1.0", "true", "yes"})
NEGATIVE = frozenset({"0", "0.0", "false", "no"})

#: Called with (steps done, steps in all) as work goes on.
Progress = Callable[[int, int], None]


def labels_of(cells: CellsFile, column: str) -> FloatArray:
    """The 0/1 label of each cell; any other value is refused with its row."""
    if column not in cells.header:
        raise InvalidRequestError(
            _("{file}: no label column {column}").format(file=cells.name, column=column)
        )
    labels = np.empty(len(cells))
    for index, value in enumerate(cells.column(column)):
        text = value.strip().lower()
        if text in POSITIVE:
            labels[index] = 1.0
        elif text in NEGATIVE:
            labels[index] = 0.0
        else:
            raise InvalidRequestError(
                str(
                    Problem(
                        cells.name,
                        index + 2,
                        column,
                        _("{value!r} is not 0 or 1").format(value=value),
                    )
                )
            )
    return labels


def groups_of(cells: CellsFile, column: str | None) -> list[str] | None:
    """Each cell's group (e.g. municipality), or ``None`` without a group column."""
    if column is None:
        return None
    if column not in cells.header:
        raise InvalidRequestError(
            _("{file}: no group column {column}").format(file=cells.name, column=column)
        )
    return [value.strip() for value in cells.column(column)]


@dataclass(frozen=True)
class TrainingSet:
    """Everything a model learns from: features, labels, groups, and their provenance."""

    matrix: FloatArray
    features: list[str]
    register_count: int
    labels: FloatArray
    groups: list[str] | None
    choice: CovariateChoice
    half_size_m: float
    events_used: dict[str, int]


def training_set(
    cells: CellsFile,
    events: Sequence[RegisterEvent],
    *,
    label: str,
    group: str | None,
    cutoff: date,
    exclude: Iterable[str] = (),
    include_leaking: bool = False,
    use_covariates: bool = True,
) -> TrainingSet:
    """Measure the cells and gather labels, groups and covariates."""
    labels = labels_of(cells, label)
    groups = groups_of(cells, group)
    choice = choose_covariates(
        cells,
        label=label,
        group=group,
        exclude=exclude,
        include_leaking=include_leaking,
        use_covariates=use_covariates,
    )
    measured = measure_cells(cells.lon, cells.lat, events, cutoff)
    matrix = np.hstack([measured.features.values, covariate_matrix(cells, choice.covariates)])
    return TrainingSet(
        matrix,
        [*measured.features.names, *choice.covariates],
        len(measured.features.names),
        labels,
        groups,
        choice,
        measured.half_size_m,
        measured.features.events_used,
    )


def train_model(
    data: TrainingSet,
    *,
    label: str,
    group: str | None,
    cutoff: date,
    seed: int,
    cells_name: str,
    progress: Progress | None = None,
) -> RiskModel:
    """Train the full scorer and, with covariates, the register-only one."""
    steps = 2 if data.choice.covariates else 1
    if progress is not None:
        progress(0, steps)
    full = fit_scorer(data.matrix, data.labels, data.features, data.groups, seed)
    register_only = None
    if data.choice.covariates:
        if progress is not None:
            progress(1, steps)
        count = data.register_count
        register_only = fit_scorer(
            data.matrix[:, :count], data.labels, data.features[:count], data.groups, seed
        )
    if progress is not None:
        progress(steps, steps)
    return RiskModel(
        label=label,
        group=group,
        events_before=cutoff.isoformat(),
        register_features=data.features[: data.register_count],
        covariates=data.choice.covariates,
        excluded=data.choice.excluded,
        full=full,
        register_only=register_only,
        seed=seed,
        trained_on={
            "cells_file": cells_name,
            "cells": len(data.labels),
            "positives": int(data.labels.sum()),
            "cell_half_size_m": round(data.half_size_m, 1),
            "events_used": data.events_used,
        },
    )
