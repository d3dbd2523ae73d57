"""The fitted model behind one interface: predict, probabilities and explanations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from classifier.artifact import load_artifact
from classifier.explain import Explanation, explain_row
from classifier.fastpath import lean_scorer
from classifier.labels import LABELS, LEVELS

LEAN_BATCH = 16
"""Batches up to this size skip the pipeline's per-call overhead (see fastpath)."""


@dataclass(frozen=True)
class Prediction:
    """One statement's label, its level on the scale, and every label's probability."""

    label: str
    level: int
    probabilities: dict[str, float]
    explanation: Explanation | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies, and was most of a batch answer's time
        data: dict[str, Any] = {
            "label": self.label,
            "level": self.level,
            "probabilities": dict(self.probabilities),
        }
        if self.explanation is not None:
            data["explanation"] = asdict(self.explanation)
        return data


class StanceModel:
    """A fitted stancemeter pipeline and its manifest.

    Probabilities are always reported in scale order (:data:`LABELS`), whatever
    order the classifier stored its classes in.
    """

    def __init__(self, pipeline: Any, manifest: dict[str, Any] | None = None) -> None:
        self.pipeline = pipeline
        self.manifest = dict(manifest or {})
        classes = list(pipeline.classes_)
        if sorted(classes) != sorted(LABELS):
            raise ValueError(f"model classes {classes} are not the scale's labels {LABELS}")
        self._order = np.array([classes.index(label) for label in LABELS])
        self._features = pipeline[:-1]
        self._clf = pipeline[-1]
        self._scorer = lean_scorer(pipeline)
        self._feature_names: np.ndarray | None = None
        self._centered_coef: np.ndarray | None = None

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unversioned"))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in :data:`LABELS` order.

        A few texts go through the lean scorer (the same arithmetic without the
        pipeline's per-call overhead); larger batches through the pipeline.
        """
        texts = list(texts)
        if self._scorer is not None and len(texts) <= LEAN_BATCH:
            return self._scorer.predict_proba(texts)[:, self._order]
        return self.pipeline.predict_proba(texts)[:, self._order]

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [_prediction(row) for row in self.predict_proba(texts)]

    def explain(self, text: str, top_k: int = 10) -> Prediction:
        """Predict ``text`` and say which of its terms decided it.

        For a linear model this is exact: each term's weight is its tf-idf value
        times the class coefficient (centered across classes, since softmax only
        sees differences), so the weights plus the bias sum to the predicted
        label's centered score.
        """
        row = self._features.transform([text])
        probabilities = self._clf.predict_proba(row)[0][self._order]
        prediction = _prediction(probabilities)
        names, centered = self._explainer_state()
        class_index = int(self._order[prediction.level])
        explanation = explain_row(
            text,
            row,
            names,
            centered[class_index],
            float(self._clf.intercept_[class_index] - self._clf.intercept_.mean()),
            prediction.label,
            top_k,
        )
        return replace(prediction, explanation=explanation)

    def _explainer_state(self) -> tuple[np.ndarray, np.ndarray]:
        if self._feature_names is None or self._centered_coef is None:
            coef = self._clf.coef_
            self._centered_coef = coef - coef.mean(axis=0, keepdims=True)
            self._feature_names = self._features.get_feature_names_out()
        return self._feature_names, self._centered_coef


def _prediction(probabilities: np.ndarray) -> Prediction:
    level = int(np.argmax(probabilities))
    return Prediction(
        label=LABELS[level],
        level=LEVELS[LABELS[level]],
        probabilities={label: float(p) for label, p in zip(LABELS, probabilities)},
    )


def load_model(path: Path | str | None = None, models_dir: Path | None = None) -> StanceModel:
    """Load and verify a saved model (default: ``$STANCEMETER_MODEL`` or ``models/current``)."""
    pipeline, manifest = load_artifact(path, models_dir)
    return StanceModel(pipeline, manifest)
