"""Leave-one-group-out validation of the risk model beside a distance-only baseline.

Each group (e.g. municipality) in turn is held out: the model, its calibration
included, is trained on the other groups and scores the held-out cells; the pooled
held-out scores are then judged. The baseline needs no training: it ranks cells by the
distance to the nearest earlier event outside the cell (nearer is riskier), measured
with the same cut-off and own-cell rule as the model's features.

Figures: ROC AUC, average precision, and the share of all positive cells found in the
10 % and 20 % of cells ranked riskiest (ties in rank broken by the input order). For the
model's risk, which is a probability, also the Brier score and the calibration by fifths
of risk (mean risk beside the share of positives).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from demine.analysis.risk.features import BASELINE_FEATURE
from demine.analysis.risk.model import FloatArray, fit_scorer
from demine.analysis.risk.training import Progress, TrainingSet
from demine.errors import InvalidRequestError
from demine.i18n import _

TOP_SHARES = (0.10, 0.20)
CALIBRATION_BINS = 5


@dataclass(frozen=True)
class Figures:
    """How well one score ranks the held-out cells."""

    roc_auc: float
    average_precision: float
    top_10_percent_share: float
    top_20_percent_share: float

    def as_json(self) -> dict[str, float]:
        return {
            "roc_auc": round(self.roc_auc, 4),
            "average_precision": round(self.average_precision, 4),
            "top_10_percent_share": round(self.top_10_percent_share, 4),
            "top_20_percent_share": round(self.top_20_percent_share, 4),
        }


@dataclass(frozen=True)
class GroupFigures:
    """One held-out group: its cells, positives and each score's ROC AUC there."""

    group: str
    cells: int
    positives: int
    model_roc_auc: float | None
    baseline_roc_auc: float | None


@dataclass(frozen=True)
class Evaluation:
    """Pooled held-out figures of the model and the baseline, and per group."""

    model: Figures
    baseline: Figures
    groups: list[GroupFigures]
    held_out_risk: FloatArray
    brier_score: float
    #: (mean risk, share positive, cells) by fifths of held-out risk.
    calibration: list[tuple[float, float, int]]


def figures(labels: FloatArray, scores: FloatArray) -> Figures:
    """ROC AUC, average precision and top-10 %/20 % shares of ``scores``."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    order = np.argsort(-scores, kind="stable")
    positives = labels.sum()

    def share(fraction: float) -> float:
        top = order[: round(fraction * len(labels))]
        return float(labels[top].sum() / positives)

    return Figures(
        float(roc_auc_score(labels, scores)),
        float(average_precision_score(labels, scores)),
        share(TOP_SHARES[0]),
        share(TOP_SHARES[1]),
    )


def _auc_or_none(labels: FloatArray, scores: FloatArray) -> float | None:
    from sklearn.metrics import roc_auc_score

    if len(set(labels.tolist())) < 2:
        return None  # one class only: no ranking to judge
    return round(float(roc_auc_score(labels, scores)), 4)


def evaluate(data: TrainingSet, *, seed: int, progress: Progress | None = None) -> Evaluation:
    """Leave each group out in turn; pooled figures of the model and the baseline."""
    if data.groups is None:
        raise InvalidRequestError(_("evaluation needs a group column (--group)"))
    names = sorted(set(data.groups))
    if len(names) < 3:
        raise InvalidRequestError(_("evaluation needs at least three groups"))
    groups = np.array(data.groups, dtype=object)
    risk = np.zeros(len(data.labels))
    for done, name in enumerate(names):
        if progress is not None:
            progress(done, len(names))
        held: npt.NDArray[np.bool_] = groups == name
        kept_groups: Sequence[str] = [str(g) for g in groups[~held]]
        scorer = fit_scorer(
            data.matrix[~held], data.labels[~held], data.features, kept_groups, seed
        )
        risk[held] = scorer.risk(data.matrix[held])
    if progress is not None:
        progress(len(names), len(names))
    baseline = -data.matrix[:, data.features.index(BASELINE_FEATURE)]
    per_group = [
        GroupFigures(
            name,
            int(np.sum(groups == name)),
            int(data.labels[groups == name].sum()),
            _auc_or_none(data.labels[groups == name], risk[groups == name]),
            _auc_or_none(data.labels[groups == name], baseline[groups == name]),
        )
        for name in names
    ]
    return Evaluation(
        figures(data.labels, risk),
        figures(data.labels, baseline),
        per_group,
        risk,
        float(np.mean((risk - data.labels) ** 2)),
        _calibration(data.labels, risk),
    )


def _calibration(labels: FloatArray, risk: FloatArray) -> list[tuple[float, float, int]]:
    """Mean risk and share of positives in each fifth of cells ranked by risk."""
    order = np.argsort(risk, kind="stable")
    return [
        (float(risk[part].mean()), float(labels[part].mean()), len(part))
        for part in np.array_split(order, CALIBRATION_BINS)
        if len(part)
    ]


def evaluation_json(
    evaluation: Evaluation, data: TrainingSet, context: dict[str, Any]
) -> dict[str, Any]:
    """The evaluation as JSON with stable keys (``context`` adds the run's settings)."""
    return {
        **context,
        "cells": len(data.labels),
        "positives": int(data.labels.sum()),
        "groups": len(evaluation.groups),
        "cell_half_size_m": round(data.half_size_m, 1),
        "events_used": data.events_used,
        "features": data.features,
        "excluded_columns": data.choice.excluded,
        "model": {
            **evaluation.model.as_json(),
            "brier_score": round(evaluation.brier_score, 4),
            "calibration": [
                {"mean_risk": round(mean, 4), "share_positive": round(share, 4), "cells": cells}
                for mean, share, cells in evaluation.calibration
            ],
        },
        "baseline": evaluation.baseline.as_json(),
        "per_group": [
            {
                "group": g.group,
                "cells": g.cells,
                "positives": g.positives,
                "model_roc_auc": g.model_roc_auc,
                "baseline_roc_auc": g.baseline_roc_auc,
            }
            for g in evaluation.groups
        ],
    }
