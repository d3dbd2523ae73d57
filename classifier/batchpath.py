"""Scoring many statements at once with array operations instead of a loop per term.

The per-statement path of :mod:`classifier.fastpath` builds every n-gram as a string
and looks it up, about a hundred dictionary operations per statement, and then
scores each statement on its own. For a batch the same arithmetic runs faster on
integers: each feature token becomes an id (one lookup per token), an n-gram
becomes one integer key made of its token ids, the keys of the whole batch are
looked up at once in a sorted array of the vocabulary's keys, and the tf-idf rows
are counted, weighted, normalised and multiplied by the coefficients with NumPy
(counts with ``np.unique``, row sums with ``np.add.reduceat``). NumPy only: the
service does not import SciPy or scikit-learn.

The probabilities are the pipeline's (a test and the save-time check hold both
paths to it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_KEY_LIMIT = 2**62  # n-gram keys are int64: the vocabulary's token count ** n must fit


class NgramIndex:
    """A word block's vocabulary as integers: ids of the words its terms are made of,
    and for each n-gram length the sorted keys of its terms with their columns."""

    def __init__(self, terms: Sequence[str], low: int, high: int) -> None:
        self.token_ids: dict[str, int] = {}
        split = [term.split(" ") for term in terms]
        for words in split:
            for word in words:
                self.token_ids.setdefault(word, len(self.token_ids))
        self.base = max(len(self.token_ids), 1)
        if self.base**high >= _KEY_LIMIT:
            raise ValueError(f"{self.base} tokens ** {high} does not fit an int64 key")
        self.low, self.high = low, high
        self.unigram_columns = np.full(self.base, -1, dtype=np.int64)
        self.keys: dict[int, np.ndarray] = {}
        self.columns: dict[int, np.ndarray] = {}
        by_length: dict[int, tuple[list[int], list[int]]] = {
            n: ([], []) for n in range(max(low, 2), high + 1)
        }
        for column, words in enumerate(split):
            if len(words) == 1:
                self.unigram_columns[self.token_ids[words[0]]] = column
                continue
            key = 0
            for word in words:
                key = key * self.base + self.token_ids[word]
            by_length[len(words)][0].append(key)
            by_length[len(words)][1].append(column)
        for n, (keys, columns) in by_length.items():
            order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
            self.keys[n] = np.array(keys, dtype=np.int64)[order]
            self.columns[n] = np.array(columns, dtype=np.int64)[order]

    def lookup(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every in-vocabulary n-gram occurrence of the sequences."""
        get = self.token_ids.get
        ids = np.array([get(token, -1) for tokens in sequences for token in tokens], np.int64)
        rows = np.repeat(np.arange(len(sequences)), [len(tokens) for tokens in sequences])
        known = ids >= 0
        safe = np.where(known, ids, 0)
        found_rows, found_columns = [], []
        for n in range(self.low, self.high + 1):
            count = len(ids) - n + 1
            if count <= 0:
                break
            ok, key = known[:count].copy(), safe[:count].copy()
            for j in range(1, n):  # every word known, and all in one statement
                ok &= known[j : j + count] & (rows[j : j + count] == rows[:count])
                key = key * self.base + safe[j : j + count]
            if n == 1:
                columns = self.unigram_columns[key[ok]]
                hit = columns >= 0
            else:
                wanted, keys = key[ok], self.keys[n]
                if not len(keys):
                    continue
                at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
                hit = keys[at] == wanted
                columns = self.columns[n][at]
            found_rows.append(rows[:count][ok][hit])
            found_columns.append(columns[hit])
        if not found_rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found_rows), np.concatenate(found_columns)


def add_block_scores(
    scores: np.ndarray,
    rows: np.ndarray,
    columns: np.ndarray,
    width: int,
    idf: np.ndarray | None,
    sublinear: bool,
    l2: bool,
    weights: np.ndarray,
) -> None:
    """Add one block's ``tf-idf @ weights`` to ``scores`` (statements x classes).

    ``rows``/``columns`` are the block's term occurrences (columns within the block),
    ``weights`` its rows of the coefficient matrix (features x classes).
    """
    if not len(rows):
        return
    cells, counts = np.unique(rows * width + columns, return_counts=True)
    cell_rows, cell_columns = np.divmod(cells, width)
    values = counts.astype(np.float64)
    if sublinear:
        values = np.log(values) + 1.0
    if idf is not None:
        values *= idf[cell_columns]
    starts = np.flatnonzero(np.r_[True, cell_rows[1:] != cell_rows[:-1]])
    if l2:
        norms = np.sqrt(np.add.reduceat(values * values, starts))
        values /= np.repeat(norms, np.diff(np.r_[starts, len(values)]))
    contributions = values[:, None] * weights[cell_columns]
    scores[cell_rows[starts]] += np.add.reduceat(contributions, starts, axis=0)
