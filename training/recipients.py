"""Training the recipient model: the recipient a statement implies without naming it.

One statement in six of the corpus has a recipient it never names ("Sweden will send
Archer howitzers", "Britain sanctioned two RSF commanders"): the reader knows the
conflict from the words. The mention ranker (:mod:`training.actors`) cannot find what
is not mentioned; this model reads the statement's words (unigrams of the stance
analyzer, so a prediction shares its n-gram pass) and gives each recipient code of
the corpus, or :data:`classifier.actors.NO_RECIPIENT`, a probability. It is asked
only when the ranker names no recipient (:meth:`classifier.model.StanceModel.parties`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.actors import NO_RECIPIENT
from classifier.gazetteer import Gazetteer
from classifier.pipeline import word_vectorizer
from training.actors import ACTOR_CODES, GAZETTEER, gold, load_codes
from training.data import Statement

MIN_ROWS = 10
"""A recipient needs this many training rows to be a class; rarer ones are left out
(their rows too: labelling them "no recipient" would teach the wrong thing)."""


def build_recipient_pipeline() -> Pipeline:
    """Unigrams (C and n-gram range chosen by held-out recipient accuracy together with
    the ranker: unigrams 0.812, 1-2 grams 0.809 at C 10; 0.804 at C 3)."""
    words = word_vectorizer().set_params(ngram_range=(1, 1), min_df=2)
    return Pipeline([
        ("features", FeatureUnion([("words", words)])),
        ("clf", LogisticRegression(C=10.0, max_iter=3000, random_state=0)),
    ])  # fmt: skip


def recipient_examples(
    rows: Sequence[Statement], gazetteer: Gazetteer, codes: dict[str, dict[str, str | None]]
) -> tuple[list[str], list[str]]:
    """Texts and their recipient codes (:data:`NO_RECIPIENT` for none), rare codes left out."""
    labels = [gold(row, codes, gazetteer)[1] or NO_RECIPIENT for row in rows]
    counts = Counter(labels)
    kept = [(row.text, label) for row, label in zip(rows, labels) if counts[label] >= MIN_ROWS]
    return [text for text, _ in kept], [label for _, label in kept]


def fit_recipients(
    rows: Sequence[Statement], gazetteer_path: Path = GAZETTEER, codes_path: Path = ACTOR_CODES
) -> Pipeline:
    gazetteer = Gazetteer(json.loads(gazetteer_path.read_text(encoding="utf-8")))
    texts, labels = recipient_examples(rows, gazetteer, load_codes(codes_path))
    if len(set(labels)) < 2:
        raise ValueError("the rows name fewer than two recipients: no recipient model")
    return build_recipient_pipeline().fit(texts, labels)
