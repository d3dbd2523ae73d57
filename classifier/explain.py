"""Explanations: which terms of a statement pushed it toward or away from its label."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from classifier.text import normalize, tokenize_with_spans

Span = tuple[int, int]


@dataclass(frozen=True)
class Term:
    """A feature of the statement, its contribution to the label's score, and where it is.

    ``term`` is the statement's own wording ("won't send"); ``feature`` is the
    model's internal form (``words:not send_neg``); ``spans`` are character
    offsets ``[start, end)`` in the statement.
    """

    term: str
    feature: str
    weight: float
    spans: list[Span]


@dataclass(frozen=True)
class Explanation:
    label: str
    bias: float
    toward: list[Term]
    away: list[Term]


def word_spans(text: str) -> dict[str, list[Span]]:
    """Where each word 1-gram and 2-gram feature of ``text`` occurs in it."""
    tokens = tokenize_with_spans(text)
    spans: dict[str, list[Span]] = {}
    for i, (feature, start, end) in enumerate(tokens):
        spans.setdefault(feature, []).append((start, end))
        if i + 1 < len(tokens):
            following, _, following_end = tokens[i + 1]
            spans.setdefault(f"{feature} {following}", []).append((start, following_end))
    return spans


def char_spans(text: str, ngram: str) -> list[Span]:
    """Where a character n-gram (space-padded at word edges) occurs in ``text``."""
    normalized = normalize(text)
    core = ngram.strip()
    if not core:
        return []
    found = []
    start = normalized.find(core)
    while start != -1:
        found.append((start, start + len(core)))
        start = normalized.find(core, start + 1)
    return found


def explain_row(
    text: str,
    names: Callable[[int], tuple[str, str]],
    index: Sequence[int],
    weights: np.ndarray,
    bias: float,
    label: str,
    top_k: int,
) -> Explanation:
    """Rank a statement's features by their weight (tf-idf x centered coefficient for
    the predicted label): the ``top_k`` each way, ties in feature order. ``names`` gives
    the (block, term) of a column of ``index``; only the chosen terms are named and
    located, so a long statement's thousands of features cost one sort."""
    weights = np.asarray(weights, dtype=np.float64)
    toward = [i for i in np.argsort(-weights, kind="stable")[:top_k] if weights[i] > 0]
    away = [i for i in np.argsort(weights, kind="stable")[:top_k] if weights[i] < 0]
    by_word = word_spans(text)

    def term(i: int) -> Term:
        block, feature = names(int(index[i]))
        spans = char_spans(text, feature) if block == "chars" else by_word.get(feature, [])
        wording = text[spans[0][0] : spans[0][1]] if spans else feature.strip()
        return Term(wording, f"{block}:{feature}", round(float(weights[i]), 6), spans)

    return Explanation(
        label=label,
        bias=round(bias, 6),
        toward=[term(i) for i in toward],
        away=[term(i) for i in away],
    )
