"""One dictionary lookup per n-gram, and one small product, for a statement's every
word block.

A single prediction runs four TF-IDF word blocks over the same n-grams: the stance
model's ``words`` and ``main`` blocks, the relevance model's block and the recipient
model's (the ``main`` block counts the main clause, which for most statements is the
whole statement; the recipient model counts unigrams, which are among the others').
Looking the n-grams up in each block's vocabulary, then scaling, normalizing and
weighting each block's terms one by one in Python, was most of a single prediction's
time. For a linear model none of that needs doing per block: a block's scores are

    sum_t tf_t * idf_t * W_t / sqrt(sum_t (tf_t * idf_t) ** 2)

so :class:`FusedScorer` keeps one table of every block's terms and rows of numbers per
term: each block's ``idf * W`` (zero where the block lacks the term) and ``idf ** 2``.
Scorers of few classes share one set of rows; a many-class scorer (the recipient model)
has rows of its own over its own terms only. A statement then costs one lookup per
n-gram of each view it has (one view when it has no background clause) and, per set of
rows asked for, a sum over the rows of its terms. The result is
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
        settings = {(block.sublinear, block.l2) for block in blocks}
        if len(settings) != 1 or any(block.kind not in _VIEWS for block in blocks):
            raise ValueError("fused scorers need word blocks with one tf scaling and norm")
        self.scorers = list(scorers)
        ((self.sublinear, self.l2),) = settings
        # every block's n-grams are among these; a block's vocabulary has only its own
        self.ngram_range = (min(b.ngram_range[0] for b in blocks),
                            max(b.ngram_range[1] for b in blocks))  # fmt: skip
        # Scorers with many classes (the recipient model: 40, unigrams only) get rows of
        # their own over their own terms, which come first in the ids; the others share
        # one part over all terms. One part for all cost 10 MB more per worker; one part
        # per scorer cost a third more time.
        wide = [s for s in scorers if len(s.classes) > WIDE]
        narrow = [s for s in scorers if len(s.classes) <= WIDE]
        terms: dict[str, int] = {}
        for scorer in [*wide, *narrow]:
            for block in scorer.blocks:
                for term in block.terms:
                    terms.setdefault(term, len(terms))
        self._ids = terms
        groups = ([narrow] if narrow else []) + [[scorer] for scorer in wide]
        self._parts = [_Part(group, terms) for group in groups]
        where = {id(s): (p, k) for p, part in enumerate(self._parts)
                 for k, s in enumerate(part.scorers)}  # fmt: skip
        self._where = [where[id(scorer)] for scorer in scorers]
        self._last: tuple = ((None, None), (None, None))

    def scores(self, text: str, only: Sequence[int] | None = None) -> list[list[float] | None]:
        """Each scorer's decision scores of ``text`` (classes order), in scorer order;
        with ``only``, just those scorers' (None for the others).

        A view's n-grams are looked up once: asking for the other scorers of the same
        statement next (the recipient model, only when the ranker names no recipient)
        reuses them. Plain floats after the one product per view and part: for a dozen
        numbers Python arithmetic is several times faster than small NumPy arrays."""
        views = text_views.analyze(text)
        wanted = range(len(self._where)) if only is None else only
        parts = {self._where[i][0] for i in wanted}
        by_view = [self._sums(views[0], parts)]
        by_view.append(by_view[0] if views[1] is views[0] else self._sums(views[1], parts))
        out: list[list[float] | None] = [None] * len(self._where)
        for i in wanted:
            p, k = self._where[i]
            part = self._parts[p]
            scores = list(part.intercepts[k])
            classes = range(len(scores))
            for view, column, norm in part.layouts[k]:
                sums = by_view[view][p]
                scale = 1.0
                if self.l2:
                    if sums[norm] <= 0.0:
                        continue
                    scale = 1.0 / sqrt(sums[norm])
                for c in classes:
                    scores[c] += sums[column + c] * scale
            out[i] = scores
        return out

    def _found(self, view: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """The term ids of a view's n-grams and their tf (None when every tf is 1), kept
        for the last two views (the lists themselves: both views of one statement)."""
        for seen, found in self._last:
            if seen is view:
                return found
        counts = Counter(word_ngrams(view, *self.ngram_range))
        get = self._ids.get
        pairs = [(i, n) for i, n in zip(map(get, counts), counts.values()) if i is not None]
        ids = np.array([i for i, _ in pairs], dtype=np.intp)
        tf = None  # most statements: tf is 1, and so is its square
        if not all(n == 1 for _, n in pairs):
            sublinear = self.sublinear
            tf = np.array([1.0 if n == 1 else (log(n) + 1.0 if sublinear else float(n))
                           for _, n in pairs])  # fmt: skip
        self._last = ((view, (ids, tf)), self._last[0])
        return ids, tf

    def _sums(self, view: list[str], parts: set[int]) -> dict[int, list[float]]:
        """For one view's n-grams and each of ``parts``, each column's sum over its terms:
        tf times the weight columns, tf squared times the squared-idf columns."""
        ids, tf = self._found(view)
        out = {}
        for p in parts:
            part = self._parts[p]
            mine, weights = ids, tf
            if part.limit < len(self._ids):
                keep = ids < part.limit
                mine = ids[keep]
                weights = None if tf is None else tf[keep]
            if not len(mine):
                out[p] = [0.0] * part.matrix.shape[1]
                continue
            rows = part.matrix[mine]
            if weights is None:
                out[p] = rows.sum(axis=0).tolist()
            else:
                width = part.width
                out[p] = [*(weights @ rows[:, :width]).tolist(),
                          *((weights * weights) @ rows[:, width:]).tolist()]  # fmt: skip
        return out


WIDE = 8
"""Scorers with more classes than this get rows of their own (see FusedScorer)."""


class _Part:
    """The rows of some scorers, for the first ``limit`` term ids: each of their blocks'
    ``idf * W`` (its scorer's classes wide), then each block's ``idf ** 2``."""

    def __init__(self, scorers: list[LinearScorer], terms: dict[str, int]) -> None:
        self.scorers = scorers
        blocks = [(scorer, block) for scorer in scorers for block in scorer.blocks]
        ids = [np.array([terms[t] for t in block.terms], dtype=np.intp) for _, block in blocks]
        self.limit = 1 + max((int(i.max()) for i in ids if len(i)), default=-1)
        self.width = sum(len(scorer.classes) for scorer, _ in blocks)
        self.matrix = np.zeros((self.limit, self.width + len(blocks)))
        # per scorer, per block: its view, its first weight column and its norm column
        self.layouts: list[list[tuple[int, int, int]]] = [[] for _ in scorers]
        column = 0
        for b, ((scorer, block), block_ids) in enumerate(zip(blocks, ids)):
            classes, norm = len(scorer.classes), self.width + b
            idf = block.idf if block.idf is not None else np.ones(len(block.terms))
            weights = scorer.coef_by_feature[block.offset : block.offset + len(block_ids)]
            self.matrix[block_ids, column : column + classes] = idf[:, None] * weights
            self.matrix[block_ids, norm] = idf * idf
            self.layouts[scorers.index(scorer)].append((_VIEWS[block.kind], column, norm))
            column += classes
        self.intercepts = [scorer.intercept.tolist() for scorer in scorers]
