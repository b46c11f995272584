"""Gradient boosting with a calibrated probability, its contributions, and its file.

The model is LightGBM with fixed parameters, one thread and a seed, so the same inputs
give the same file byte for byte. Its raw score is turned into a probability by logistic
scaling (Platt: a logistic regression on the raw score) fitted on out-of-fold scores
(folds by group when there are groups), so a risk of 0.3 means about 30 % of such cells
were positive among cells the fold never saw. Platt keeps the booster's order of cells;
isotonic regression, also tried, calibrated no better on held-out municipalities and
tied cells into steps (see ``docs/risk-model.md``).

A model file is JSON (never a pickle: opening it runs no code). It holds two scorers: the
full one (register features and covariates) and, when there are covariates, a reduced
one trained on the register features only, used when a prediction file lacks a
covariate — stated in the output, never filled in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from demine.errors import InvalidRequestError
from demine.i18n import _

FORMAT = "demine-risk-model"
FORMAT_VERSION = 1
DEFAULT_SEED = 20
ROUNDS = 200
#: Small trees and strong sampling: cells of one municipality are alike, and a model
#: that memorises them does worse on municipalities it never saw.
PARAMETERS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.03,
    "num_leaves": 7,
    "min_data_in_leaf": 50,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.5,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbosity": -1,
}
CALIBRATION_FOLDS = 5
TOP_FACTORS = 3

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Scorer:
    """A trained booster and the calibration of its raw score."""

    features: list[str]
    booster_text: str
    #: Platt scaling: risk = 1 / (1 + exp(-(slope * raw + intercept))).
    calibration_slope: float
    calibration_intercept: float
    _booster: Any = field(default=None, compare=False, repr=False)

    def booster(self) -> Any:
        import lightgbm

        if self._booster is None:
            object.__setattr__(self, "_booster", lightgbm.Booster(model_str=self.booster_text))
        return self._booster

    def raw(self, matrix: FloatArray) -> FloatArray:
        return np.asarray(self.booster().predict(matrix, raw_score=True), dtype=float)

    def risk(self, matrix: FloatArray) -> FloatArray:
        """Calibrated probability (0–1) of each row."""
        logit = self.calibration_slope * self.raw(matrix) + self.calibration_intercept
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=float)

    def contributions(self, matrix: FloatArray) -> FloatArray:
        """Each feature's SHAP contribution to each row's raw score (log-odds)."""
        values = np.asarray(self.booster().predict(matrix, pred_contrib=True), dtype=float)
        return values[:, : len(self.features)]

    def as_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "booster": self.booster_text,
            "calibration": {
                "slope": self.calibration_slope,
                "intercept": self.calibration_intercept,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        calibration = data["calibration"]
        return cls(
            list(data["features"]),
            str(data["booster"]),
            float(calibration["slope"]),
            float(calibration["intercept"]),
        )


def _booster(matrix: FloatArray, labels: FloatArray, features: Sequence[str], seed: int) -> Any:
    import lightgbm

    parameters = {**PARAMETERS, "seed": seed}
    # LightGBM refuses some characters in names (commas, quotes, brackets) that covariate
    # columns may hold: it sees positions; the scorer keeps the names.
    positions = [f"feature_{index}" for index in range(len(features))]
    data = lightgbm.Dataset(matrix, labels, feature_name=positions, free_raw_data=True)
    return lightgbm.train(parameters, data, num_boost_round=ROUNDS)


def _folds(labels: FloatArray, groups: Sequence[str] | None, seed: int) -> list[npt.NDArray[Any]]:
    """Indices of the held-out rows of each calibration fold."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    rows = np.zeros(len(labels))
    if groups is not None and len(set(groups)) >= 2:
        splitter = GroupKFold(n_splits=min(CALIBRATION_FOLDS, len(set(groups))))
        return [held for _kept, held in splitter.split(rows, labels, list(groups))]
    stratified = StratifiedKFold(n_splits=CALIBRATION_FOLDS, shuffle=True, random_state=seed)
    return [held for _kept, held in stratified.split(rows, labels)]


def fit_scorer(
    matrix: FloatArray,
    labels: FloatArray,
    features: Sequence[str],
    groups: Sequence[str] | None,
    seed: int,
) -> Scorer:
    """Train a booster on every row and calibrate it on out-of-fold raw scores."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels.tolist())) < 2:
        raise InvalidRequestError(_("the label must have both positive and negative cells"))
    out_of_fold = np.zeros(len(labels))
    for held in _folds(labels, groups, seed):
        kept = np.setdiff1d(np.arange(len(labels)), held)
        booster = _booster(matrix[kept], labels[kept], features, seed)
        out_of_fold[held] = booster.predict(matrix[held], raw_score=True)
    platt = LogisticRegression(C=1e6).fit(out_of_fold[:, None], labels)
    booster = _booster(matrix, labels, features, seed)
    return Scorer(
        list(features),
        booster.model_to_string(),
        float(platt.coef_[0][0]),
        float(platt.intercept_[0]),
        booster,
    )


@dataclass(frozen=True)
class RiskModel:
    """What ``demine risk train`` writes: scorers and what they were trained on."""

    label: str
    group: str | None
    events_before: str
    register_features: list[str]
    covariates: list[str]
    excluded: dict[str, str]
    full: Scorer
    #: Register features only; ``None`` when the model has no covariates.
    register_only: Scorer | None
    seed: int
    trained_on: dict[str, Any]

    def write(self, path: Path) -> None:
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "label": self.label,
            "group": self.group,
            "events_before": self.events_before,
            "register_features": self.register_features,
            "covariates": self.covariates,
            "excluded_columns": self.excluded,
            "seed": self.seed,
            "parameters": {**PARAMETERS, "rounds": ROUNDS},
            "trained_on": self.trained_on,
            "full": self.full.as_json(),
            "register_only": None if self.register_only is None else self.register_only.as_json(),
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> RiskModel:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidRequestError(
                _("{file}: cannot read the model: {error}").format(file=path.name, error=error)
            ) from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise InvalidRequestError(
                _("{file}: not a model written by demine risk train").format(file=path.name)
            )
        if document.get("version") != FORMAT_VERSION:
            raise InvalidRequestError(
                _("{file}: model format version {version} is not supported").format(
                    file=path.name, version=document.get("version")
                )
            )
        reduced = document.get("register_only")
        return cls(
            label=str(document["label"]),
            group=document.get("group"),
            events_before=str(document["events_before"]),
            register_features=list(document["register_features"]),
            covariates=list(document["covariates"]),
            excluded=dict(document["excluded_columns"]),
            full=Scorer.from_json(document["full"]),
            register_only=None if reduced is None else Scorer.from_json(reduced),
            seed=int(document["seed"]),
            trained_on=dict(document["trained_on"]),
        )


def top_factors(
    contributions: FloatArray, features: Sequence[str], count: int = TOP_FACTORS
) -> list[list[tuple[str, float]]]:
    """For each row, the ``count`` features with the largest contributions in absolute
    value (ties: the earlier feature), with their signed contributions."""
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :count]
    return [
        [(features[j], float(contributions[row, j])) for j in order[row]]
        for row in range(len(contributions))
    ]
