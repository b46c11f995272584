"""Gradient boosting with a calibrated probability, its contributions, and its file.

The model is LightGBM with fixed parameters, one thread and a seed, so the same inputs
give the same file byte for byte. Its raw score is turned into a probability by logistic
scaling (Platt: a logistic regression on the raw score) fitted on out-of-fold scores
(folds by group when there are groups), so a risk of 0.3 means about 30 % of such cells
were positive among cells the fold never saw. Platt keeps the booster's order of cells;
isotonic regression, also tried, calibrated no better on held-out municipalities and
tied cells into steps (see ``docs/risk-model.md``).

The calibrated log-odds are then averaged, with equal weights, with those of a logistic
regression on the log of the distance to the nearest earlier event (the baseline's
feature): the *distance anchor*. Held out by municipality, the booster alone ranks some
municipalities' cells on another scale than others'; the anchor, one slope learnt from
every cell, steadies the pooled ranking (0.8117 → 0.8200 ROC AUC, see the model card).

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

from demine.analysis.risk.features import BASELINE_FEATURE
from demine.errors import InvalidRequestError
from demine.i18n import _

FORMAT = "demine-risk-model"
#: Version 2 adds the distance anchor; version 1 files (no anchor) are still read.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
#: The anchor's feature, the weight of the booster's log-odds (the anchor has the rest),
#: and the kilometres added before the logarithm (a distance may be 0).
ANCHOR_FEATURE = BASELINE_FEATURE
ANCHOR_WEIGHT = 0.5
ANCHOR_OFFSET_KM = 0.1
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
class Anchor:
    """A logistic regression on the log of one distance, averaged into the log-odds."""

    feature: str
    slope: float
    intercept: float
    #: The mean of log(distance + offset) over the training cells: a cell's contribution
    #: is measured from it, as SHAP values are from the booster's mean.
    mean_log: float
    weight: float = ANCHOR_WEIGHT
    offset_km: float = ANCHOR_OFFSET_KM

    def log_distance(self, column: FloatArray) -> FloatArray:
        return np.asarray(np.log(np.maximum(column, 0.0) + self.offset_km), dtype=float)

    def as_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "slope": self.slope,
            "intercept": self.intercept,
            "mean_log": self.mean_log,
            "weight": self.weight,
            "offset_km": self.offset_km,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Anchor:
        return cls(
            str(data["feature"]),
            float(data["slope"]),
            float(data["intercept"]),
            float(data["mean_log"]),
            float(data["weight"]),
            float(data["offset_km"]),
        )


@dataclass(frozen=True)
class Scorer:
    """A trained booster, the calibration of its raw score, and its distance anchor."""

    features: list[str]
    booster_text: str
    #: Platt scaling: risk = 1 / (1 + exp(-(slope * raw + intercept))).
    calibration_slope: float
    calibration_intercept: float
    #: Without an anchor (version 1 files) the calibrated booster is the risk.
    anchor: Anchor | None = None
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
        if self.anchor is not None:
            column = matrix[:, self.features.index(self.anchor.feature)]
            anchored = self.anchor.slope * self.anchor.log_distance(column) + self.anchor.intercept
            logit = self.anchor.weight * logit + (1.0 - self.anchor.weight) * anchored
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=float)

    def contributions(self, matrix: FloatArray) -> FloatArray:
        """Each feature's contribution to each row's log-odds.

        Without an anchor: the booster's SHAP values (its raw score). With one: the SHAP
        values scaled as the risk's log-odds scale them (calibration slope times the
        booster's weight), and the anchor's share added to its feature — the anchor's
        slope times the row's log distance less the training mean, times its weight.
        """
        values = np.asarray(self.booster().predict(matrix, pred_contrib=True), dtype=float)
        values = values[:, : len(self.features)]
        if self.anchor is None:
            return values
        anchor = self.anchor
        position = self.features.index(anchor.feature)
        scaled = values * (anchor.weight * self.calibration_slope)
        linear = anchor.slope * (anchor.log_distance(matrix[:, position]) - anchor.mean_log)
        scaled[:, position] += (1.0 - anchor.weight) * linear
        return np.asarray(scaled, dtype=float)

    def as_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "booster": self.booster_text,
            "calibration": {
                "slope": self.calibration_slope,
                "intercept": self.calibration_intercept,
            },
            "anchor": None if self.anchor is None else self.anchor.as_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        calibration = data["calibration"]
        anchor = data.get("anchor")
        return cls(
            list(data["features"]),
            str(data["booster"]),
            float(calibration["slope"]),
            float(calibration["intercept"]),
            None if anchor is None else Anchor.from_json(anchor),
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
        _anchor(matrix, labels, features),
        booster,
    )


def _anchor(matrix: FloatArray, labels: FloatArray, features: Sequence[str]) -> Anchor | None:
    """The logistic regression on the log distance, if the features hold the distance."""
    from sklearn.linear_model import LogisticRegression

    if ANCHOR_FEATURE not in features:
        return None
    log_distance = np.log(
        np.maximum(matrix[:, list(features).index(ANCHOR_FEATURE)], 0.0) + ANCHOR_OFFSET_KM
    )
    # sklearn's default L2 penalty (C = 1): one slope, learnt from every cell.
    fitted = LogisticRegression().fit(log_distance[:, None], labels)
    return Anchor(
        ANCHOR_FEATURE,
        float(fitted.coef_[0][0]),
        float(fitted.intercept_[0]),
        float(np.mean(log_distance)),
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
        if document.get("version") not in READABLE_VERSIONS:
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
