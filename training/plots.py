"""The report's figures, drawn with matplotlib (Agg) and returned as PNG bytes."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from classifier.labels import LABELS

COLOURS = {"model": "#2f6fba", "keyword rules": "#d98c1f", "majority label": "#9aa3ad",
           "previous model": "#7a5ea8"}  # fmt: skip


def _png(figure: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def confusion_heatmap(matrix: list[list[int]]) -> bytes:
    data = np.array(matrix)
    figure, axes = plt.subplots(figsize=(5.6, 4.6))
    shares = data / np.maximum(data.sum(axis=1, keepdims=True), 1)
    image = axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(LABELS)), LABELS, rotation=30, ha="right")
    axes.set_yticks(range(len(LABELS)), LABELS)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    for (row, col), count in np.ndenumerate(data):
        axes.text(col, row, str(count), ha="center", va="center",
                  color="white" if shares[row, col] > 0.55 else "#1d2433", fontsize=9)  # fmt: skip
    figure.colorbar(image, ax=axes, label="share of the true label")
    axes.set_title("Confusion matrix (counts; colour = row share)")
    return _png(figure)


def per_label_bars(per_label: dict[str, dict[str, dict[str, float]]]) -> bytes:
    """F1 per label for each classifier: ``{classifier: {label: {"f1": ...}}}``."""
    figure, axes = plt.subplots(figsize=(7, 3.6))
    names = list(per_label)
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [per_label[name][label]["f1"] for label in LABELS]
        axes.bar(np.arange(len(LABELS)) + (i - (len(names) - 1) / 2) * width, values, width,
                 label=name, color=COLOURS.get(name))  # fmt: skip
    axes.set_xticks(range(len(LABELS)), LABELS)
    axes.set_ylim(0, 1)
    axes.set_ylabel("F1")
    axes.legend(fontsize=8, ncols=len(names))
    axes.set_title("F1 per label")
    return _png(figure)


def reliability_diagram(bins: list[dict[str, float]]) -> bytes:
    figure, axes = plt.subplots(figsize=(4.6, 4.2))
    axes.plot([0, 1], [0, 1], linestyle="--", color="#9aa3ad", label="perfect calibration")
    centres = [(b["low"] + b["high"]) / 2 for b in bins]
    axes.bar(centres, [b["accuracy"] for b in bins], width=0.09, alpha=0.75,
             color=COLOURS["model"], label="accuracy in bin")  # fmt: skip
    axes.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o-",
              color="#1d2433", label="mean confidence")  # fmt: skip
    for centre, b in zip(centres, bins):
        axes.text(centre, 0.02, str(b["count"]), ha="center", fontsize=7, color="white")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("confidence (top probability)")
    axes.set_ylabel("accuracy")
    axes.legend(fontsize=8, loc="upper left")
    axes.set_title("Reliability diagram")
    return _png(figure)


def learning_curve_plot(points: list[dict[str, Any]]) -> bytes:
    figure, axes = plt.subplots(figsize=(5.6, 3.6))
    sizes = [p["train_rows"] for p in points]
    for key, name, colour in (("train", "training folds", "#9aa3ad"),
                              ("validation", "validation folds", COLOURS["model"])):  # fmt: skip
        means = np.array([p[f"{key}_mean"] for p in points])
        sds = np.array([p[f"{key}_sd"] for p in points])
        axes.plot(sizes, means, "o-", color=colour, label=name)
        axes.fill_between(sizes, means - sds, means + sds, color=colour, alpha=0.2)
    axes.set_xlabel("training rows")
    axes.set_ylabel("macro-F1")
    axes.set_ylim(0, 1.02)
    axes.legend(fontsize=8)
    axes.set_title("Learning curve (cross-validation on data/)")
    return _png(figure)


def coverage_plot(curve: list[dict[str, float]], threshold: float) -> bytes:
    """Accuracy and macro-F1 of the predictions kept, against the share kept."""
    figure, axes = plt.subplots(figsize=(5.6, 3.8))
    coverage = [p["coverage"] for p in curve]
    axes.plot(coverage, [p["accuracy"] for p in curve], "o-", ms=3, color=COLOURS["model"],
              label="accuracy of the kept")  # fmt: skip
    axes.plot(coverage, [p["macro_f1"] for p in curve], "s-", ms=3, color="#d98c1f",
              label="macro-F1 of the kept")  # fmt: skip
    at = [p for p in curve if p["threshold"] >= threshold]
    if at:
        axes.axvline(at[0]["coverage"], color="#1d2433", linestyle="--",
                     label=f"review threshold {threshold:.2f}")  # fmt: skip
    axes.set_xlim(0, 1.02)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("share of predictions kept (the most confident first)")
    axes.set_ylabel("score")
    axes.legend(fontsize=8, loc="lower left")
    axes.set_title("Coverage against accuracy (triage)")
    return _png(figure)
