"""One dictionary lookup per n-gram, and one small product, for a statement's every
word block.

A single prediction runs three TF-IDF word blocks over the same n-grams: the stance
model's ``words`` and ``main`` blocks and the relevance model's block (the ``main``
block counts the main clause, which for most statements is the whole statement).
Looking the n-grams up in each block's vocabulary, then scaling, normalizing and
weighting each block's terms one by one in Python, was most of a single prediction's
time. For a linear model none of that needs doing per block: a block's scores are

    sum_t tf_t * idf_t * W_t / sqrt(sum_t (tf_t * idf_t) ** 2)

so :class:`FusedScorer` keeps, for every term of any block, one row holding each
block's ``idf * W`` (zero where the block lacks the term) and ``idf ** 2``. A
statement then costs one lookup per n-gram of each view it has (one view when it has
no background clause) and two dot products over the rows of its terms. The result is
:class:`classifier.fastpath.LinearScorer`'s to rounding (a test holds the two
together, as the scorer is held to the pipeline).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import log, sqrt

import numpy as np

from classifier import text as text_views
from classifier.fastpath import _VIEWS, LinearScorer, word_ngrams


class FusedScorer:
    """The decision scores of several word-block scorers, computed together."""

    def __init__(self, scorers: Sequence[LinearScorer]) -> None:
        blocks = [block for scorer in scorers for block in scorer.blocks]
        settings = {(block.ngram_range, block.sublinear, block.l2) for block in blocks}
        if len(settings) != 1 or any(block.kind not in _VIEWS for block in blocks):
            raise ValueError(
                "fused scorers need word blocks with one n-gram range, sublinear tf and norm"
            )
        self.scorers = list(scorers)
        ((self.ngram_range, self.sublinear, self.l2),) = settings
        terms: dict[str, int] = {}
        for block in blocks:
            for term in block.terms:
                terms.setdefault(term, len(terms))
        self._ids = terms
        widths = [len(scorer.classes) for scorer in scorers]
        width = sum(w * len(s.blocks) for w, s in zip(widths, scorers))
        # columns: every block's idf * W (its classes' width each), then every block's idf**2
        matrix = np.zeros((len(terms), width + len(blocks)))
        # per scorer, per block: its view, its first weight column and its norm column
        self._layout: list[list[tuple[int, int, int]]] = []
        column, norm = 0, width
        for scorer, classes in zip(scorers, widths):
            layout = []
            for block in scorer.blocks:
                ids = np.array([terms[term] for term in block.terms], dtype=np.intp)
                idf = block.idf if block.idf is not None else np.ones(len(block.terms))
                block_weights = scorer.coef_by_feature[block.offset : block.offset + len(ids)]
                matrix[ids, column : column + classes] = idf[:, None] * block_weights
                matrix[ids, norm] = idf * idf
                layout.append((_VIEWS[block.kind], column, norm))
                column, norm = column + classes, norm + 1
            self._layout.append(layout)
        self._matrix, self._width = matrix, width
        self._intercepts = [scorer.intercept.tolist() for scorer in scorers]

    def scores(self, text: str) -> list[list[float]]:
        """Each scorer's decision scores of ``text`` (classes order), in scorer order.

        Plain floats after the one product per view: for a dozen numbers Python
        arithmetic is several times faster than small NumPy arrays."""
        views = text_views.analyze(text)
        by_view = [self._sums(views[0])]
        by_view.append(by_view[0] if views[1] is views[0] else self._sums(views[1]))
        out = []
        for intercept, layout in zip(self._intercepts, self._layout):
            scores = list(intercept)
            classes = range(len(scores))
            for view, column, norm in layout:
                sums = by_view[view]
                scale = 1.0
                if self.l2:
                    if sums[norm] <= 0.0:
                        continue
                    scale = 1.0 / sqrt(sums[norm])
                for k in classes:
                    scores[k] += sums[column + k] * scale
            out.append(scores)
        return out

    def _sums(self, view: list[str]) -> list[float]:
        """For one view's n-grams, each column's sum over its terms: tf times the weight
        columns, tf squared times the squared-idf columns."""
        counts = Counter(word_ngrams(view, *self.ngram_range))
        get = self._ids.get
        found = [(i, n) for i, n in zip(map(get, counts), counts.values()) if i is not None]
        if not found:
            return [0.0] * self._matrix.shape[1]
        rows = self._matrix[[i for i, _ in found]]
        if all(n == 1 for _, n in found):  # most statements: tf is 1, and so is its square
            return rows.sum(axis=0).tolist()
        sublinear, width = self.sublinear, self._width
        tf = np.array([1.0 if n == 1 else (log(n) + 1.0 if sublinear else float(n))
                       for _, n in found])  # fmt: skip
        return [*(tf @ rows[:, :width]).tolist(), *((tf * tf) @ rows[:, width:]).tolist()]
