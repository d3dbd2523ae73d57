"""The fitted model behind one interface: predict, probabilities and explanations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from classifier.artifact import load_artifact, load_scorer
from classifier.explain import Explanation, explain_row
from classifier.fastpath import LinearScorer, lean_scorer, softmax
from classifier.labels import LABELS

LEAN_BATCH = 16
"""With a pipeline loaded, batches up to this size skip its per-call overhead."""


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
    """A fitted stancemeter model and its manifest.

    It holds a :class:`LinearScorer` (always) and the scikit-learn pipeline (when
    loaded for training or evaluation; the service loads the scorer alone).
    Probabilities are reported in scale order (:data:`LABELS`), whatever order
    the classifier stored its classes in.
    """

    def __init__(
        self,
        pipeline: Any = None,
        manifest: dict[str, Any] | None = None,
        scorer: LinearScorer | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.manifest = dict(manifest or {})
        scorer = scorer or (lean_scorer(pipeline) if pipeline is not None else None)
        if scorer is None:
            raise ValueError("a model needs a linear scorer or a pipeline that gives one")
        self._scorer = scorer
        classes = list(scorer.classes)
        if sorted(classes) != sorted(LABELS):
            raise ValueError(f"model classes {classes} are not the scale's labels {LABELS}")
        self._order = np.array([classes.index(label) for label in LABELS])
        coef = scorer.coef
        # softmax only sees differences between classes: center across classes
        self._centered_coef = coef - coef.mean(axis=0, keepdims=True)
        self._centered_bias = scorer.intercept - scorer.intercept.mean()

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unversioned"))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in :data:`LABELS` order.

        The lean scorer answers (the same arithmetic without the pipeline's per-call
        overhead); a pipeline, when loaded, takes large batches, where its sparse
        matrix products win.
        """
        texts = list(texts)
        if self.pipeline is not None and len(texts) > LEAN_BATCH:
            return self.pipeline.predict_proba(texts)[:, self._order]
        return self._scorer.predict_proba(texts)[:, self._order]

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [_prediction(row) for row in self.predict_proba(texts).tolist()]

    def explain(self, text: str, top_k: int = 10) -> Prediction:
        """Predict ``text`` and say which of its terms decided it.

        For a linear model this is exact: each term's weight is its tf-idf value
        times the class coefficient (centered across classes, since softmax only
        sees differences), so the weights plus the bias sum to the predicted
        label's centered score.
        """
        index, values = self._scorer.features(text)  # once, for the label and the terms
        scores = self._scorer.score_features(index, values).reshape(1, -1)
        prediction = _prediction(softmax(scores)[0][self._order].tolist())
        class_index = int(self._order[prediction.level])
        explanation = explain_row(
            text,
            [self._scorer.feature_name(int(i)) for i in index],
            values * self._centered_coef[class_index, index],
            float(self._centered_bias[class_index]),
            prediction.label,
            top_k,
        )
        return replace(prediction, explanation=explanation)


def _prediction(probabilities: Sequence[float]) -> Prediction:
    """The prediction for one row of probabilities in scale order (floats, not NumPy
    scalars: a list from ``ndarray.tolist()`` makes this several times faster)."""
    level = max(range(len(LABELS)), key=probabilities.__getitem__)  # first of ties, as argmax
    return Prediction(
        label=LABELS[level],
        level=level,
        probabilities={label: float(p) for label, p in zip(LABELS, probabilities)},
    )


def load_model(
    path: Path | str | None = None, models_dir: Path | None = None, lean: bool = False
) -> StanceModel:
    """Load and verify a saved model (default: ``$STANCEMETER_MODEL`` or ``models/current``).

    ``lean=True`` loads only the pickle-free scorer, as the service does: no code runs
    on loading and scikit-learn is not imported.
    """
    if lean:
        scorer, manifest = load_scorer(path, models_dir)
        return StanceModel(None, manifest, scorer)
    pipeline, manifest = load_artifact(path, models_dir)
    return StanceModel(pipeline, manifest)
