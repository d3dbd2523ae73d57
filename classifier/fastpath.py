"""A lean scorer for a few statements at a time, with the pipeline's exact arithmetic.

``Pipeline.predict_proba`` on one statement spends most of its time in per-call
overhead (input validation, sparse-matrix construction, dispatch through every
step). For a linear model the same probabilities come from a dictionary lookup
per term, one small dot product and a softmax. :class:`LinearScorer` does just
that from the fitted vocabulary, idf weights and coefficients, and a test holds
it to the pipeline's output. Large batches still go through the pipeline, whose
sparse matrix products win there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


class _Block:
    """One TF-IDF vectorizer of the union: analyzer, vocabulary and idf."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        if vectorizer.norm not in ("l2", None) or vectorizer.binary:
            raise ValueError("LinearScorer supports l2 or no norm, non-binary counts")
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = vectorizer.idf_ if vectorizer.use_idf else None
        self.sublinear = vectorizer.sublinear_tf
        self.l2 = vectorizer.norm == "l2"
        self.offset = offset

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self.analyze(text))
        vocabulary = self.vocabulary
        pairs = [(vocabulary[term], n) for term, n in counts.items() if term in vocabulary]
        if not pairs:
            return np.empty(0, dtype=np.intp), np.empty(0)
        index = np.fromiter((i for i, _ in pairs), dtype=np.intp, count=len(pairs))
        values = np.fromiter((n for _, n in pairs), dtype=np.float64, count=len(pairs))
        if self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values *= self.idf[index]
        if self.l2:
            norm = np.sqrt(np.dot(values, values))
            if norm > 0.0:
                values /= norm
        return index + self.offset, values


class LinearScorer:
    """Probabilities of a fitted ``FeatureUnion(TfidfVectorizer...) -> LogisticRegression``."""

    def __init__(self, pipeline: Pipeline) -> None:
        union, clf = pipeline[0], pipeline[-1]
        if not isinstance(union, FeatureUnion) or not isinstance(clf, LogisticRegression):
            raise ValueError("LinearScorer needs FeatureUnion -> LogisticRegression")
        self.blocks: list[_Block] = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            if vectorizer == "drop":
                continue
            if not isinstance(vectorizer, TfidfVectorizer):
                raise ValueError(f"unsupported feature block {vectorizer!r}")
            self.blocks.append(_Block(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        # rows are features, so one statement's terms pick a small contiguous block
        self.coef_by_feature = np.ascontiguousarray(clf.coef_.T)
        self.intercept = clf.intercept_.copy()
        self.classes = list(clf.classes_)

    def scores(self, text: str) -> np.ndarray:
        """The decision function: one score per class, in ``classes`` order."""
        parts = [block.features(text) for block in self.blocks]
        index = np.concatenate([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
        values = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else parts[0][1]
        return values @ self.coef_by_feature[index] + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        scores = np.array([self.scores(text) for text in texts])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores


def lean_scorer(pipeline: Any) -> LinearScorer | None:
    """A :class:`LinearScorer` for ``pipeline``, or None when its shape is not supported."""
    try:
        return LinearScorer(pipeline)
    except (ValueError, AttributeError, TypeError, IndexError):
        return None
