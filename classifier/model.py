"""The fitted model behind one interface: predict, probabilities and explanations."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from classifier.actors import ActorRanker, Party, RecipientModel, RecipientRow
from classifier.explain import Explanation, explain_row
from classifier.fastpath import BATCH_MIN, LinearScorer, sigmoid, softmax, softmax_list
from classifier.fused import FusedScorer
from classifier.labels import LABELS
from classifier.loading import load_artifact, load_extra, load_scorer
from classifier.requests import as_request, may_ask
from classifier.screening import screen
from classifier.text import analyze

FIELDS = ("label", "level", "probabilities", "confidence", "review", "reason", "language",
          "relevance", "actor", "recipient")  # fmt: skip
"""The fields of a prediction an answer may be limited to (``predict(fields=...)``)."""
ALL_FIELDS = frozenset(FIELDS)


def prediction_fields(fields: Collection[str] | None) -> frozenset[str]:
    """The set of fields asked for (all when ``None``); ValueError names an unknown one."""
    if fields is None:
        return ALL_FIELDS
    if isinstance(fields, str):
        raise TypeError("fields is a collection of field names, not a single str")
    unknown = sorted(set(fields) - ALL_FIELDS)
    if unknown:
        raise ValueError(f"unknown prediction field {unknown[0]!r}; the fields are {FIELDS}")
    if not fields:
        raise ValueError("ask for at least one prediction field")
    return frozenset(fields)


@dataclass(frozen=True)
class Prediction:
    """One statement's label, its level on the scale, every label's probability, the
    confidence (the top calibrated probability) and whether an analyst should check it."""

    label: str
    level: int
    probabilities: dict[str, float]
    confidence: float = 1.0
    review: bool = False
    reason: str | None = None
    language: str | None = None
    relevance: float | None = None
    actor: Party | None = None
    recipient: Party | None = None
    explanation: Explanation | None = field(default=None)

    def to_dict(self, fields: Collection[str] | None = None) -> dict[str, Any]:
        """The prediction as JSON-ready values: every field, or only ``fields`` (in
        :data:`FIELDS` order); an explanation, when there is one, always."""
        # by hand: dataclasses.asdict deep-copies, and was most of a batch answer's time
        data: dict[str, Any] = {
            "label": self.label,
            "level": self.level,
            "probabilities": dict(self.probabilities),
            "confidence": self.confidence,
            "review": self.review,
            "reason": self.reason,
            "language": self.language,
            "relevance": self.relevance,
            "actor": self.actor.to_dict() if self.actor else None,
            "recipient": self.recipient.to_dict() if self.recipient else None,
        }
        if fields is not None:
            data = {name: data[name] for name in FIELDS if name in fields}
        if self.explanation is not None:
            data["explanation"] = asdict(self.explanation)
        return data


class StanceModel:
    """A fitted stancemeter model and its manifest.

    It holds a :class:`LinearScorer`, which answers every prediction, and the
    scikit-learn pipeline when loaded for training or evaluation (for refitting,
    as in learning curves); the service loads the scorer alone.
    Probabilities are reported in scale order (:data:`LABELS`), whatever order
    the classifier stored its classes in.
    """

    def __init__(
        self,
        pipeline: Any = None,
        manifest: dict[str, Any] | None = None,
        scorer: LinearScorer | None = None,
        relevance: LinearScorer | None = None,
        actors: ActorRanker | None = None,
        recipients: RecipientModel | None = None,
    ) -> None:
        """``relevance`` (is it a stance statement at all?), ``actors`` (who supports
        whom among the entities named) and ``recipients`` (the recipient a statement
        implies, over recipient codes) are optional: a model saved without them predicts
        ``null`` for relevance and parties, and names only named recipients."""
        self.pipeline = pipeline
        self.relevance, self.actors, self.recipients = relevance, actors, recipients
        self._relevant = relevance.classes.index("relevant") if relevance else 0
        self.manifest = dict(manifest or {})
        if scorer is None:
            if pipeline is None:
                raise ValueError("a model needs a linear scorer or a fitted pipeline")
            scorer = LinearScorer.from_pipeline(pipeline)  # raises what it cannot reproduce
        self._scorer = scorer
        classes = list(scorer.classes)
        if sorted(classes) != sorted(LABELS):
            raise ValueError(f"model classes {classes} are not the scale's labels {LABELS}")
        self._order = np.array([classes.index(label) for label in LABELS])
        coef = scorer.coef
        # softmax only sees differences between classes: center across classes
        self._centered_coef = coef - coef.mean(axis=0, keepdims=True)
        self._centered_bias = scorer.intercept - scorer.intercept.mean()
        calibration = self.manifest.get("calibration") or {}
        self.temperature = float(calibration.get("temperature", 1.0))
        threshold = calibration.get("review_threshold")
        self.review_threshold = float(threshold) if threshold is not None else 0.0
        self._unigrams = next(
            (b.vocabulary for b in scorer.blocks if b.kind == "words"), scorer.blocks[0].vocabulary
        )
        self._fused = _fuse(scorer, relevance, recipients)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unversioned"))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in :data:`LABELS` order.

        Always the lean scorer, the path the service serves, so every figure
        ``make evaluate`` reports comes from the arithmetic the service runs (which
        is checked against the pipeline when a model is saved). The scores are
        divided by the manifest's calibration temperature (fitted on cross-validation
        folds by ``make train``) before the softmax; the label does not change.

        ``texts`` is a sequence of statements; a bare ``str`` raises TypeError (it
        would be read as one statement per character): use ``predict_proba([text])``.
        """
        if isinstance(texts, str):
            raise TypeError(
                "predict_proba() takes a sequence of texts, not a single str; "
                "use predict_proba([text])"
            )
        texts = list(texts)
        return self._probabilities(texts, [analyze(text) for text in texts])

    def _probabilities(
        self, texts: list[str], views: list[tuple[list[str], list[str]]]
    ) -> np.ndarray:
        scores = self._scorer.decision_function(texts, views=views)
        if self.temperature != 1.0:
            scores /= self.temperature
        return softmax(scores)[:, self._order]

    def predict(
        self, texts: Sequence[str], fields: Collection[str] | None = None
    ) -> list[Prediction]:
        """One :class:`Prediction` per text, in order.

        ``fields`` (default: all of :data:`FIELDS`) names what the caller will read; the
        work only other fields need is skipped: without ``relevance`` the relevance
        model, without ``recipient`` the recipient model, without ``actor`` and
        ``recipient`` the actor ranker (but for statements with a verb of asking, whose
        label the parties can change: :mod:`classifier.requests`). The fields asked for
        are the same as in a full prediction; those skipped are ``None``. The label,
        probabilities, confidence and review flag are always computed.

        ``texts`` is a sequence of statements; a bare ``str`` raises TypeError (it
        would be read as one statement per character): use ``predict([text])``.
        """
        if isinstance(texts, str):
            raise TypeError(
                "predict() takes a sequence of texts, not a single str; use predict([text])"
            )
        wanted = prediction_fields(fields)
        texts = list(texts)
        views = [analyze(text) for text in texts]
        none: list[Any] = [None] * len(texts)
        if self._fused is not None and len(texts) < BATCH_MIN:
            rows, relevance, recipients = self._single_scores(texts)
        else:
            rows = self._probabilities(texts, views).tolist()
            relevance = self._relevance(texts, views) if "relevance" in wanted else none
            recipients = self._recipient_rows(texts, views) if "recipient" in wanted else none
        if "relevance" not in wanted:
            relevance = none
        threshold, unigrams = self.review_threshold, self._unigrams
        return [
            _prediction(
                *self._with_parties(text, row, recipient_row, wanted),
                threshold,
                screen(text, view[0], unigrams),
                relevant,
            )
            for text, view, row, relevant, recipient_row in zip(
                texts, views, rows, relevance, recipients
            )
        ]

    def _with_parties(
        self,
        text: str,
        row: list[float],
        recipient_row: RecipientRow | None = None,
        wanted: frozenset[str] = ALL_FIELDS,
    ) -> tuple[list[float], Party | None, Party | None]:
        """The statement's probabilities (scale order), actor and recipient; a named
        recipient's request to the actor reads as ``neutral`` (rule 5 of the guide:
        :mod:`classifier.requests`). A party not in ``wanted`` is ``None``; the ranker
        runs only when a party is wanted or the statement may be a request."""
        actors = self.actors
        if actors is None:
            return row, None, None
        want_actor, want_recipient = "actor" in wanted, "recipient" in wanted
        if not (want_actor or want_recipient or may_ask(text)):
            return row, None, None
        recipients = self.recipients if want_recipient else None
        actor, recipient = actors.parties(text, recipients, recipient_row)
        if actors.recipient_asks(text, actor, recipient):
            row = as_request(row)
        return row, actor if want_actor else None, recipient if want_recipient else None

    def _single_scores(self, texts: list[str]) -> tuple[list, list, list]:
        """Stance probabilities (scale order), relevance and recipient-model probabilities
        of a few texts, the blocks of all three models looked up together
        (:mod:`classifier.fused`); the same numbers as :meth:`_probabilities`,
        :meth:`_relevance` and :meth:`_recipient_rows`. The recipient probabilities are
        a function, called only when the ranker names no recipient (most statements
        name one), and reusing the statement's n-gram lookups."""
        rows, relevance, recipients = [], [], []
        order, temperature, relevant = self._order.tolist(), self.temperature, self._relevant
        fused = self._fused
        for text in texts:
            stance, (first, second) = fused.scores(text, _STANCE_AND_RELEVANCE)[:2]
            probabilities = softmax_list([score / temperature for score in stance])
            rows.append([probabilities[i] for i in order])
            relevance.append(sigmoid(second - first) if relevant else sigmoid(first - second))
            recipients.append(partial(_fused_recipients, fused, text) if self.recipients else None)
        return rows, relevance, recipients

    def _recipient_rows(self, texts: list[str], views: list) -> list[list[float] | None]:
        if self.recipients is None:
            return [None] * len(texts)
        return softmax(self.recipients.scorer.decision_function(texts, views=views)).tolist()

    def _relevance(self, texts: list[str], views: list) -> list[float | None]:
        if self.relevance is None:
            return [None] * len(texts)
        if len(texts) < BATCH_MIN:
            probability = self.relevance.second_class_probability
            return [p if self._relevant else 1.0 - p for p in map(probability, texts)]
        scores = self.relevance.decision_function(texts, views=views)
        return softmax(scores)[:, self._relevant].tolist()

    def parties(
        self, text: str, recipient_row: RecipientRow | None = None
    ) -> tuple[Party | None, Party | None]:
        """The actor and the recipient of ``text`` (None each when there is none, or when
        the model has no actor ranker): see :meth:`ActorRanker.parties`."""
        if self.actors is None:
            return None, None
        return self.actors.parties(text, self.recipients, recipient_row)

    def explain(self, text: str, top_k: int = 10) -> Prediction:
        """Predict ``text`` and say which of its terms decided it.

        For a linear model this is exact: each term's weight is its tf-idf value
        times the class coefficient (centered across classes, since softmax only
        sees differences), so the weights plus the bias sum to the predicted
        label's centered score.
        """
        index, values = self._scorer.features(text)  # once, for the label and the terms
        scores = self._scorer.score_features(index, values).reshape(1, -1) / self.temperature
        prediction = _prediction(
            *self._with_parties(text, softmax(scores)[0][self._order].tolist()),
            self.review_threshold,
            screen(text, analyze(text)[0], self._unigrams),
            self._relevance([text], [analyze(text)])[0],
        )
        class_index = int(self._order[prediction.level])
        explanation = explain_row(
            text,
            self._scorer.feature_name,
            index,
            values * self._centered_coef[class_index, index],
            float(self._centered_bias[class_index]),
            prediction.label,
            top_k,
        )
        return replace(prediction, explanation=explanation)


def _prediction(
    probabilities: Sequence[float],
    actor: Party | None,
    recipient: Party | None,
    review_threshold: float,
    screened: tuple[str | None, str | None] = (None, None),
    relevance: float | None = None,
) -> Prediction:
    """The prediction for one row of probabilities in scale order (floats, not NumPy
    scalars: a list from ``ndarray.tolist()`` makes this several times faster), flagged
    for review with the screening's reason (:mod:`classifier.screening`) or, failing
    that, ``low_confidence`` below the threshold."""
    level = max(range(len(LABELS)), key=probabilities.__getitem__)  # first of ties, as argmax
    confidence = float(probabilities[level])
    reason, language = screened
    if reason is None and confidence < review_threshold:
        reason = "low_confidence"
    return Prediction(
        label=LABELS[level],
        level=level,
        probabilities={label: float(p) for label, p in zip(LABELS, probabilities)},
        confidence=confidence,
        review=reason is not None,
        reason=reason,
        language=language,
        relevance=relevance,
        actor=actor,
        recipient=recipient,
    )


def load_model(
    path: Path | str | None = None, models_dir: Path | None = None, lean: bool = False
) -> StanceModel:
    """Load and verify a saved model (default: ``$STANCEMETER_MODEL`` or ``models/current``).

    Predictions always come from the pickle-free scorer file, as in the service.
    ``lean=True`` loads only that, as the service does: no code runs on loading and
    scikit-learn is not imported; otherwise the pipeline is loaded too, for refits.
    """
    scorer, manifest = load_scorer(path, models_dir)
    relevance = load_extra(path, models_dir, RELEVANCE_FILE, LinearScorer.load)
    actors = load_extra(path, models_dir, ACTORS_FILE, ActorRanker.load)
    recipients = load_extra(path, models_dir, RECIPIENTS_FILE, RecipientModel.load)
    pipeline = None if lean else load_artifact(path, models_dir)[0]
    return StanceModel(pipeline, manifest, scorer, relevance, actors, recipients)


_STANCE_AND_RELEVANCE = (0, 1)
"""The stance and relevance scorers' places in :func:`_fuse`'s FusedScorer."""


def _fused_recipients(fused: FusedScorer, text: str) -> list[float]:
    """The recipient model's probabilities of ``text``, from the fused pass (scorer 2)."""
    return softmax_list(fused.scores(text, (2,))[2])


def _fuse(
    scorer: LinearScorer, relevance: LinearScorer | None, recipients: RecipientModel | None
) -> FusedScorer | None:
    """One lookup table for the stance, relevance and recipient models' word blocks, when
    they can share one (the shipped models); else None (each scorer alone)."""
    if relevance is None or len(relevance.classes) != 2:
        return None
    try:
        return FusedScorer([scorer, relevance, *([recipients.scorer] if recipients else [])])
    except ValueError:
        return None


RELEVANCE_FILE = "relevance.npz"
ACTORS_FILE = "actors.npz"
RECIPIENTS_FILE = "recipients.npz"
