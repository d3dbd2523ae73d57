"""Confidence for triage: temperature scaling and the review threshold, fitted on
cross-validation folds of the training rows (never on the held-out split).

The model's probabilities come from ``softmax(scores)``; a logistic regression fitted
with a large C is overconfident, so ``make train`` fits one temperature T on
out-of-fold scores (Guo et al., 2017: the best single-parameter calibration for
multi-class models) and the model serves ``softmax(scores / T)``: the same labels,
probabilities that mean what they say. Then the review threshold: the lowest
confidence at which the out-of-fold predictions at or above it still reach the
target macro-F1, so that flagging everything below it for review leaves accepted
predictions of that quality while accepting as many as possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.model_selection import cross_val_predict

from training.metrics import macro_f1

TARGET_MACRO_F1 = 0.85
"""The macro-F1 that the predictions not flagged for review should reach on real text."""
REAL_TEXT_MARGIN = 0.08
"""How much higher the target is set on cross-validation than on real text.

Out-of-fold rows come from the corpus's own distribution, and every measurement on
real sentences has come out lower: 0.876 held-out against 0.800 on real_dev and 0.72
and 0.68 on the two hidden sets (issue 11). A threshold that reaches 0.85 on the
folds flags almost nothing and leaves real text near 0.80, so the folds must reach
0.85 + this margin. A judgment from those reported gaps, not a fitted value; the
evaluation report shows what it gives on each set (coverage and accepted macro-F1).
"""
MIN_ACCEPTED = 50
"""The threshold is chosen among cut-offs that still accept at least this many rows."""


def out_of_fold_scores(estimator: Any, texts: np.ndarray, labels: np.ndarray, cv: Any,
                       jobs: int, weights: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """The decision function of each training row, from the fold that did not see it."""
    params = {} if weights is None else {"clf__sample_weight": weights}
    return cross_val_predict(clone(estimator), texts, labels, cv=cv, n_jobs=jobs,
                             method="decision_function", params=params)  # fmt: skip


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that minimises the log loss of ``softmax(scores / T)``;
    ``truth`` holds each row's column index."""

    def loss(log_t: float) -> float:
        logp = log_softmax(scores / np.exp(log_t), axis=1)
        return float(-logp[np.arange(len(truth)), truth].mean())

    found = minimize_scalar(loss, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(found.x))


def coverage_curve(confidence: np.ndarray, truth: Sequence[str], predicted: Sequence[str],
                   steps: int = 50) -> list[dict[str, float]]:  # fmt: skip
    """Accepted share, accuracy and macro-F1 of the predictions at or above each
    cut-off (quantiles of ``confidence``), most accepting first."""
    truth_arr, predicted_arr = np.asarray(truth), np.asarray(predicted)
    cuts = np.unique(np.quantile(confidence, np.linspace(0.0, 0.98, steps)))
    curve = []
    for cut in cuts:
        accepted = confidence >= cut
        if accepted.sum() == 0:
            continue
        curve.append({
            "threshold": float(cut),
            "coverage": float(accepted.mean()),
            "accepted": int(accepted.sum()),
            "accuracy": float((truth_arr[accepted] == predicted_arr[accepted]).mean()),
            "macro_f1": macro_f1(truth_arr[accepted], predicted_arr[accepted]),
        })  # fmt: skip
    return curve


def choose_threshold(
    confidence: np.ndarray,
    truth: Sequence[str],
    predicted: Sequence[str],
    target: float = TARGET_MACRO_F1 + REAL_TEXT_MARGIN,
) -> dict[str, float]:
    """The lowest cut-off whose accepted predictions reach ``target`` macro-F1, with
    the coverage and figures there (the most confident cut-off if none reaches it)."""
    curve = [p for p in coverage_curve(confidence, truth, predicted, steps=200)
             if p["accepted"] >= MIN_ACCEPTED]  # fmt: skip
    reaching = [p for p in curve if p["macro_f1"] >= target]
    point = reaching[0] if reaching else max(curve, key=lambda p: p["macro_f1"])
    return {**point, "target_macro_f1": target, "target_reached": bool(reaching)}


def calibrate(estimator: Any, texts: np.ndarray, labels: np.ndarray, cv: Any,
              jobs: int, weights: np.ndarray | None = None) -> dict[str, Any]:  # fmt: skip
    """Temperature and review threshold for ``estimator``'s hyperparameters, from
    out-of-fold scores of the training rows; what the manifest records."""
    scores = out_of_fold_scores(estimator, texts, labels, cv, jobs, weights)
    classes = np.unique(labels)  # scikit-learn's column order
    truth = np.searchsorted(classes, labels)
    temperature = fit_temperature(scores, truth)
    probabilities = softmax(scores / temperature, axis=1)
    confidence = probabilities.max(axis=1)
    predicted = classes[probabilities.argmax(axis=1)]
    point = choose_threshold(confidence, labels, predicted)
    raw_nll = float(-log_softmax(scores, axis=1)[np.arange(len(truth)), truth].mean())
    calibrated_nll = float(-np.log(probabilities[np.arange(len(truth)), truth]).mean())
    return {
        "method": "temperature scaling on out-of-fold scores",
        "temperature": round(temperature, 4),
        "review_threshold": round(point["threshold"], 4),
        "target_macro_f1": TARGET_MACRO_F1,
        "cv_target_macro_f1": round(point["target_macro_f1"], 4),
        "target_reached_in_cv": point["target_reached"],
        "cv_coverage": round(point["coverage"], 4),
        "cv_accepted_macro_f1": round(point["macro_f1"], 4),
        "cv_log_loss_before": round(raw_nll, 4),
        "cv_log_loss_after": round(calibrated_nll, 4),
    }
