"""Training the relevance model: does a sentence state some actor's support stance at all?

Positives are the corpus's statements (every one states a stance); negatives the
team-written sentences of the same articles that state none (``data/nonstance.jsonl``:
visits, biographies, battle reports, markets, company deals, captions, history; the
rule for borderline cases is in ``data/README.md``). The model is the word block of
the stance pipeline (same analyzer, so a prediction analyses each sentence once)
and a balanced binary logistic regression; it is fitted on the training rows of
both files and measured on their held-out rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.articles import RELEVANCE_THRESHOLD
from classifier.fastpath import LinearScorer
from classifier.pipeline import word_vectorizer

ROOT = Path(__file__).resolve().parent.parent
NONSTANCE = ROOT / "data" / "nonstance.jsonl"
RELEVANT, IRRELEVANT = "relevant", "irrelevant"
THRESHOLD = RELEVANCE_THRESHOLD


def load_nonstance(path: Path = NONSTANCE) -> list[str]:
    texts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record, dict) or not str(record.get("text", "")).strip():
            raise ValueError(f"{path}: line {number}: expected an object with a 'text'")
        texts.append(record["text"])
    return texts


def split_nonstance(texts: list[str], share: float = 0.2, seed: int = 13):
    """The fixed (train, held-out) split of the non-stance sentences."""
    return train_test_split(texts, test_size=share, random_state=seed)


def build_relevance_pipeline() -> Pipeline:
    return Pipeline([
        ("features", FeatureUnion([("words", word_vectorizer().set_params(min_df=2))])),
        ("clf", LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000,
                                   random_state=0)),
    ])  # fmt: skip


def fit_relevance(stance_texts: Sequence[str], other_texts: Sequence[str]) -> Pipeline:
    texts = [*stance_texts, *other_texts]
    labels = [RELEVANT] * len(stance_texts) + [IRRELEVANT] * len(other_texts)
    return build_relevance_pipeline().fit(texts, labels)


def relevance_probability(scorer: LinearScorer, texts: Sequence[str]) -> np.ndarray:
    return scorer.predict_proba(list(texts))[:, scorer.classes.index(RELEVANT)]


def evaluate_relevance(
    scorer: LinearScorer, stance_texts: Sequence[str], other_texts: Sequence[str]
) -> dict[str, Any]:
    """Precision and recall of ``relevant`` on held-out stance and non-stance sentences."""
    kept = relevance_probability(scorer, stance_texts) >= THRESHOLD if stance_texts else []
    dropped = relevance_probability(scorer, other_texts) < THRESHOLD if other_texts else []
    true_pos, false_neg = int(np.sum(kept)), len(stance_texts) - int(np.sum(kept))
    false_pos = len(other_texts) - int(np.sum(dropped))
    return {
        "stance_rows": len(stance_texts),
        "other_rows": len(other_texts),
        "recall": round(true_pos / max(true_pos + false_neg, 1), 4),
        "precision": round(true_pos / max(true_pos + false_pos, 1), 4),
        "other_set_aside": round(int(np.sum(dropped)) / max(len(other_texts), 1), 4),
        "threshold": THRESHOLD,
    }
