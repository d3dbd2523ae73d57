"""Evaluation figures for an ordered five-level scale: classification, ordinal, calibration."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.metrics import log_loss as sklearn_log_loss
from sklearn.metrics import precision_recall_fscore_support as prfs

from classifier.labels import LABELS

BOOTSTRAP_ROUNDS = 1000
ECE_BINS = 10


def levels(labels: Sequence[str]) -> np.ndarray:
    index = {label: level for level, label in enumerate(LABELS)}
    return np.array([index[label] for label in labels])


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return float(f1_score(truth, predicted, labels=list(LABELS), average="macro", zero_division=0))


def bootstrap_interval(
    truth: Sequence[str], predicted: Sequence[str], rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> tuple[float, float]:
    """95% percentile interval of macro-F1 over rows resampled with replacement."""
    truth_arr, predicted_arr = np.asarray(truth), np.asarray(predicted)
    rng = np.random.default_rng(seed)
    n = len(truth_arr)
    scores = [
        macro_f1(truth_arr[sample], predicted_arr[sample])
        for sample in (rng.integers(0, n, n) for _ in range(rounds))
    ]
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


def expected_calibration_error(
    truth: Sequence[str], probabilities: np.ndarray, bins: int = ECE_BINS
) -> tuple[float, list[dict[str, float]]]:
    """ECE over equal-width bins of the top probability, and the bins for a reliability diagram.

    ECE = sum over bins of (rows in bin / rows) * |accuracy in bin - mean confidence in bin|.
    """
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == levels(truth)
    edges = np.linspace(0.0, 1.0, bins + 1)
    table, ece = [], 0.0
    for low, high in pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if low == 0.0:
            inside |= confidence == 0.0
        count = int(inside.sum())
        if count:
            accuracy, mean_confidence = (
                float(correct[inside].mean()),
                float(confidence[inside].mean()),
            )
            ece += count / len(confidence) * abs(accuracy - mean_confidence)
            table.append(
                {"low": float(low), "high": float(high), "count": count,
                 "accuracy": accuracy, "confidence": mean_confidence}
            )  # fmt: skip
    return float(ece), table


def log_loss(truth: Sequence[str], probabilities: np.ndarray) -> float:
    """Mean negative log probability of the true label (columns in scale order):
    scikit-learn's ``log_loss``, which expects the columns in sorted label order."""
    ordered = sorted(LABELS)
    columns = [LABELS.index(label) for label in ordered]
    return float(sklearn_log_loss(truth, probabilities[:, columns], labels=ordered))


def brier_score(truth: Sequence[str], probabilities: np.ndarray) -> float:
    """Multi-class Brier score: mean over rows of the squared distance to the one-hot truth."""
    onehot = np.eye(len(LABELS))[levels(truth)]
    return float(((probabilities - onehot) ** 2).sum(axis=1).mean())


def classification_figures(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label figures, confusion matrix and ordinal errors."""
    precision, recall, f1, support = prfs(truth, predicted, labels=list(LABELS), zero_division=0)
    distance = np.abs(levels(truth) - levels(predicted))
    return {
        "rows": len(truth),
        "accuracy": float(accuracy_score(truth, predicted)),
        "macro_f1": macro_f1(truth, predicted),
        "per_label": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(LABELS, precision, recall, f1, support)
        },
        "confusion_matrix": {
            "labels": list(LABELS),
            "rows_are": "true label",
            "matrix": confusion_matrix(truth, predicted, labels=list(LABELS)).tolist(),
        },
        "mean_absolute_level_error": float(distance.mean()),
        "share_two_or_more_levels_off": float((distance >= 2).mean()),
    }


def evaluate_predictions(
    truth: Sequence[str],
    predicted: Sequence[str],
    probabilities: np.ndarray | None = None,
    bootstrap_rounds: int = BOOTSTRAP_ROUNDS,
) -> dict[str, Any]:
    """All figures for one classifier on one set of rows. Probabilities (columns in
    scale order) add the calibration figures."""
    figures = classification_figures(truth, predicted)
    low, high = bootstrap_interval(truth, predicted, bootstrap_rounds)
    figures["macro_f1_ci95"] = [low, high]
    if probabilities is not None:
        ece, bins = expected_calibration_error(truth, probabilities)
        figures["calibration"] = {
            "log_loss": log_loss(truth, probabilities),
            "brier": brier_score(truth, probabilities),
            "ece": ece,
            "reliability_bins": bins,
        }
    return figures


def pair_agreement(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """For minimal pairs (rows 0-1, 2-3, ...): the share whose two predicted levels
    differ in the gold direction (the same member higher), and the share with both
    labels exact."""
    gold_levels, predicted_levels = levels(gold), levels(predicted)
    pairs = len(gold_levels) // 2
    if pairs == 0 or len(gold_levels) % 2:
        raise ValueError("pair_agreement needs an even, non-zero number of rows")
    differ = exact = 0
    for i in range(0, 2 * pairs, 2):
        gold_gap = gold_levels[i] - gold_levels[i + 1]
        differ += bool(gold_gap * (predicted_levels[i] - predicted_levels[i + 1]) > 0)
        exact += bool(predicted_levels[i] == gold_levels[i]
                      and predicted_levels[i + 1] == gold_levels[i + 1])  # fmt: skip
    return {"pairs": pairs, "differ": differ / pairs, "exact": exact / pairs}
