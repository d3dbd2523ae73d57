"""A lean scorer with the pipeline's exact arithmetic, and its pickle-free file.

``Pipeline.predict_proba`` on one statement spends most of its time in per-call
overhead (input validation, sparse-matrix construction, dispatch through every
step). For a linear model the same probabilities come from a dictionary lookup
per term, one small dot product and a softmax. :class:`LinearScorer` does that
from the fitted vocabulary, idf weights and coefficients; a test holds it to the
pipeline's output.

It is also what the service loads: :meth:`LinearScorer.save` writes plain arrays
(``scorer.npz``, read with ``allow_pickle=False``), so serving neither unpickles
anything nor imports scikit-learn, which keeps workers small and fast to start.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from math import exp, fsum, log, sqrt
from pathlib import Path
from typing import Any

import numpy as np

from classifier import text as text_views
from classifier.batchpath import NgramIndex, add_block_scores
from classifier.text import normalize

_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char_wb analyzer folds them


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """scikit-learn's word n-grams of ``tokens``, in its order."""
    grams = list(tokens) if low == 1 else []
    count = len(tokens)
    for n in range(max(low, 2), min(high, count) + 1):
        if n == 2:  # the common case, without a slice and a join per bigram
            grams.extend([a + " " + b for a, b in pairwise(tokens)])
        else:
            grams.extend(" ".join(tokens[i : i + n]) for i in range(count - n + 1))
    return grams


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of normalized ``text``, in its order."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", normalize(text)).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n: counted once
                break
    return grams


BLOCKS = ("words", "main", "chars")
"""The feature blocks the scorer reproduces, by their name in the FeatureUnion."""

_VIEWS = {"words": 0, "main": 1}
"""Which of :func:`classifier.text.analyze`'s views each word block counts n-grams of."""

_Counted = tuple[object, tuple[int, int], Counter[str]]
_last_counts: tuple[_Counted, _Counted] = ((None, (0, 0), Counter()), (None, (0, 0), Counter()))
"""The last two analyzer views counted (the lists themselves, compared by identity: both
views of one statement), each with its n-gram range and its counts."""

BATCH_MIN = 4
"""From this many statements on, :meth:`LinearScorer.decision_function` scores them
with array operations (:mod:`classifier.batchpath`); fewer go one by one, which is
faster for them. Both give the pipeline's probabilities."""


class Block:
    """One TF-IDF block of the feature union: analyzer, vocabulary, idf."""

    def __init__(
        self,
        kind: str,
        ngram_range: tuple[int, int],
        terms: list[str],
        idf: np.ndarray | None,
        sublinear: bool,
        l2: bool,
        offset: int,
    ) -> None:
        if kind not in BLOCKS:
            raise ValueError(f"unknown feature block {kind!r}")
        self.kind, self.ngram_range, self.terms = kind, tuple(ngram_range), terms
        self.idf, self.sublinear, self.l2, self.offset = idf, sublinear, l2, offset
        self._idf = None if idf is None else idf.tolist()
        self.vocabulary = {term: i for i, term in enumerate(terms)}
        # for batches: the vocabulary as integer keys (classifier.batchpath); word blocks only
        self.index = NgramIndex(terms, *ngram_range) if kind in _VIEWS else None

    def term_counts(self, text: str) -> Counter[str]:
        """How often each n-gram of this block's analyzer occurs in ``text``.

        Word blocks count the n-grams of one of :func:`classifier.text.analyze`'s views,
        which returns the same list objects for the same text in a row, and the same
        object for both views when the statement has no background clause; the counts of
        the last view are kept, so the stance model's two word blocks and the relevance
        model's block usually count a statement once."""
        global _last_counts
        if self.index is None:  # characters
            return Counter(char_wb_ngrams(text, *self.ngram_range))
        view = text_views.analyze(text)[_VIEWS[self.kind]]
        for seen, ngram_range, counts in _last_counts:
            if seen is view and ngram_range == self.ngram_range:
                return counts
        counts = Counter(word_ngrams(view, *self.ngram_range))
        _last_counts = ((view, self.ngram_range, counts), _last_counts[0])
        return counts

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """Column indices (in the whole union) and tf-idf values of ``text``.

        Plain Python floats: for the few dozen terms of a statement this is several
        times faster than building small NumPy arrays, with the same arithmetic.
        """
        idf, sublinear = self._idf, self.sublinear
        counts = self.term_counts(text)
        # comprehensions and map(dict.get): a third faster than a loop of appends
        columns = map(self.vocabulary.get, counts)
        found = [(c, n) for c, n in zip(columns, counts.values()) if c is not None]
        # most terms occur once, and log(1) + 1 is exactly 1
        tf = [1.0 if count == 1 else (log(count) + 1.0 if sublinear else float(count))
              for _, count in found]  # fmt: skip
        if idf is not None:
            values = [value * idf[column] for value, (column, _) in zip(tf, found)]
        else:
            values = tf
        offset = self.offset
        index = [column + offset for column, _ in found] if offset else [c for c, _ in found]
        if self.l2 and values:
            norm = sqrt(fsum(v * v for v in values))
            if norm > 0.0:
                values = [v / norm for v in values]
        return index, values


class LinearScorer:
    """Probabilities of ``FeatureUnion(TfidfVectorizer...) -> LogisticRegression``."""

    def __init__(self, blocks: list[Block], coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str]) -> None:  # fmt: skip
        self.blocks = blocks
        self.coef = coef  # classes x features
        self.coef_by_feature = np.ascontiguousarray(coef.T)  # a statement's rows lie together
        self.intercept = intercept
        self.classes = classes
        indexes = [block.index for block in blocks]
        self._indexes = indexes if all(i is not None for i in indexes) else None
        if len(classes) == 2:  # softmax of two scores is the sigmoid of their difference
            self._difference = (coef[1] - coef[0]).tolist()
            self._bias_difference = float(intercept[1] - intercept[0])

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearScorer:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion

        union, clf = pipeline[0], pipeline[-1]
        if not isinstance(union, FeatureUnion) or not isinstance(clf, LogisticRegression):
            raise ValueError(
                "LinearScorer needs Pipeline(FeatureUnion -> LogisticRegression), got "
                f"{type(union).__name__} -> {type(clf).__name__}"
            )
        if not hasattr(clf, "coef_"):
            raise ValueError("LinearScorer needs a fitted pipeline")
        blocks, offset = [], 0
        for name, vectorizer in union.transformer_list:
            if vectorizer == "drop":
                continue
            supported = isinstance(vectorizer, TfidfVectorizer) and not vectorizer.binary
            if not supported or vectorizer.norm not in ("l2", None) or name not in BLOCKS:
                raise ValueError(
                    f"unsupported feature block {name!r}: the scorer reproduces TfidfVectorizer "
                    "blocks named 'words', 'main' or 'chars', not binary, with norm 'l2' or None"
                )
            terms = [""] * len(vectorizer.vocabulary_)
            for term, i in vectorizer.vocabulary_.items():
                terms[i] = term
            idf = vectorizer.idf_ if vectorizer.use_idf else None
            l2 = vectorizer.norm == "l2"
            blocks.append(
                Block(name, vectorizer.ngram_range, terms, idf, vectorizer.sublinear_tf, l2, offset)
            )
            offset += len(terms)
        coef, intercept = clf.coef_.copy(), clf.intercept_.copy()
        if coef.shape[0] == 1:  # binary: one score z, and softmax([-z/2, z/2]) is sigmoid(z)
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.r_[-intercept / 2, intercept / 2]
        return cls(blocks, coef, intercept, [str(c) for c in clf.classes_])

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """Column indices (in the whole union) and tf-idf values of ``text``."""
        if len(self.blocks) == 1:
            return self.blocks[0].features(text)
        index: list[int] = []
        values: list[float] = []
        for block in self.blocks:
            block_index, block_values = block.features(text)
            index += block_index
            values += block_values
        return index, values

    def second_class_probability(self, text: str) -> float:
        """For a two-class model, the probability of ``classes[1]`` for one text, in
        plain Python (no small NumPy arrays: a single prediction is mostly their
        overhead); the same as ``predict_proba([text])[0, 1]`` to a few ulps."""
        return self.second_class_probability_of(*self.features(text))

    def second_class_probability_of(self, index: Sequence[int], values: Sequence[float]) -> float:
        """:meth:`second_class_probability` of features already found."""
        difference = self._difference
        z = self._bias_difference + sum(v * difference[i] for i, v in zip(index, values))
        return sigmoid(z)

    def feature_name(self, index: int) -> tuple[str, str]:
        """(block name, term) of a column of the union."""
        for block in reversed(self.blocks):
            if index >= block.offset:
                return block.kind, block.terms[index - block.offset]
        raise IndexError(index)

    def score_features(self, index: Sequence[int], values: Sequence[float]) -> np.ndarray:
        """The decision function of given features, one score per class."""
        return np.dot(values, self.coef_by_feature[index]) + self.intercept

    def scores(self, text: str) -> np.ndarray:
        """The decision function: one score per class, in ``classes`` order."""
        return self.score_features(*self.features(text))

    def decision_function(
        self,
        texts: Sequence[str],
        batch: bool | None = None,
        views: Sequence[tuple[list[str], list[str]]] | None = None,
    ) -> np.ndarray:
        """Scores, one row per text, columns in ``classes`` order.

        ``batch`` chooses the path (default: array operations from :data:`BATCH_MIN`
        texts on, when every block is a word block; else one text at a time).
        ``views`` are the texts' :func:`classifier.text.analyze` results when the
        caller has them already (the batch path then does not analyze again).
        """
        if batch is None:
            batch = len(texts) >= BATCH_MIN
        if batch and self._indexes is not None:
            return self._batch_scores(texts, views)
        scores = np.empty((len(texts), len(self.classes)))
        for row, text in enumerate(texts):
            scores[row] = self.scores(text)
        return scores

    def _batch_scores(
        self, texts: Sequence[str], views: Sequence[tuple[list[str], list[str]]] | None
    ) -> np.ndarray:
        if views is None:
            views = [text_views.analyze(text) for text in texts]
        scores = np.tile(self.intercept, (len(texts), 1))
        for block, index in zip(self.blocks, self._indexes or ()):
            view = _VIEWS[block.kind]
            rows, columns = index.lookup([both[view] for both in views])
            width = len(block.terms)
            weights = self.coef_by_feature[block.offset : block.offset + width]
            add_block_scores(scores, rows, columns, width, block.idf, block.sublinear, block.l2,
                             weights)  # fmt: skip
        return scores

    def predict_proba(self, texts: Sequence[str], batch: bool | None = None) -> np.ndarray:
        return softmax(self.decision_function(texts, batch))

    def save(self, path: Path) -> None:
        """Plain arrays and JSON in one ``.npz``: nothing that runs code when loaded."""
        blocks = [
            {"kind": b.kind, "ngram_range": list(b.ngram_range), "idf": b.idf is not None,
             "sublinear": b.sublinear, "l2": b.l2}
            for b in self.blocks
        ]  # fmt: skip
        config = {"classes": self.classes, "blocks": blocks}
        arrays = {"config": np.frombuffer(json.dumps(config).encode(), dtype=np.uint8),
                  "coef": self.coef, "intercept": self.intercept}  # fmt: skip
        for i, block in enumerate(self.blocks):
            arrays[f"terms_{i}"] = np.frombuffer("\n".join(block.terms).encode(), dtype=np.uint8)
            if block.idf is not None:
                arrays[f"idf_{i}"] = block.idf
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> LinearScorer:
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(data["config"].tobytes())
            blocks, offset = [], 0
            for i, spec in enumerate(config["blocks"]):
                terms = data[f"terms_{i}"].tobytes().decode().split("\n")
                idf = data[f"idf_{i}"] if spec["idf"] else None
                blocks.append(Block(spec["kind"], spec["ngram_range"], terms, idf,
                                    spec["sublinear"], spec["l2"], offset))  # fmt: skip
                offset += len(terms)
            return cls(blocks, data["coef"], data["intercept"], config["classes"])


SCORER_TOLERANCE = 1e-9
"""Largest difference from the pipeline's probabilities a saved scorer may show."""


def scorer_difference(pipeline: Any, scorer: LinearScorer, texts: Sequence[str]) -> float:
    """The largest absolute difference between the pipeline's and the scorer's
    probabilities on ``texts`` (both in the classifier's class order), on either of
    the scorer's paths (one text at a time, and the batch path)."""
    if not texts:
        raise ValueError("no texts to compare the scorer with the pipeline on")
    expected = pipeline.predict_proba(list(texts))
    return max(
        float(np.abs(expected - scorer.predict_proba(list(texts), batch=batch)).max())
        for batch in (False, True)
    )


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, in place, as scikit-learn's multinomial predict_proba does."""
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


def softmax_list(scores: list[float]) -> list[float]:
    """Softmax of one row of plain floats (for a few numbers, faster than NumPy)."""
    top = max(scores)
    exps = [exp(score - top) for score in scores]
    total = sum(exps)
    return [e / total for e in exps]


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large negative ``z``."""
    return 1.0 / (1.0 + exp(-z)) if z >= 0 else exp(z) / (1.0 + exp(z))
