"""Text processing: the analyzer's NLTK tokenizing, with the scope marking and
stemming of :mod:`classifier.scopes`.

Only NLTK parts that need no downloaded data are used (``RegexpTokenizer`` and
``SnowballStemmer``), so the analyzer runs with an empty NLTK data path.
"""

from __future__ import annotations

import re

from classifier import scopes
from classifier.clauses import background_mask
from classifier.nltk_parts import RegexpTokenizer
from classifier.scopes import mark_tokens

# Words, keeping hyphenated compounds ("non-lethal", "anti-tank", "f-16") and
# contractions ("won't") whole, plus the punctuation that ends a negation scope.
TOKEN_PATTERN = r"[a-z0-9]+(?:['.\-][a-z0-9]+)*|[.,;:!?()\"]"

_NORMALIZE = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": ","}
)


class _ConstantPatternTokenizer(RegexpTokenizer):
    """NLTK's RegexpTokenizer compiling its pattern with the standard ``re``.

    NLTK compiles caller-supplied patterns through its ReDoS guard, which bounds
    every match with a timeout and made tokenizing four times slower. This
    pattern is a constant of ours and cannot backtrack (each repetition starts
    with a separator), so the guard buys nothing on the hot path.
    """

    def _check_regexp(self) -> None:
        if self._regexp is None:
            self._regexp = re.compile(self._pattern, self._flags)


_TOKENIZER = _ConstantPatternTokenizer(TOKEN_PATTERN)


def normalize(text: str) -> str:
    """Lowercase and fold typographic quotes and dashes to ASCII."""
    lowered = text.lower()
    return lowered if lowered.isascii() else lowered.translate(_NORMALIZE)


_last: tuple[str, object, list[str], list[str]] = ("", None, [], [])
"""The last text analyzed and its two views: the scorer asks for both views of each
statement in turn, so the second costs a lookup (one tuple, replaced atomically). It
also holds the cue table it was made with, which :func:`scopes.configure` replaces."""


def _analyze(text: str) -> tuple[list[str], list[str]]:
    """All features of ``text``, and those of its main clause (see :mod:`classifier.clauses`)."""
    global _last
    last = _last
    if last[0] == text and last[1] is scopes.CUES and type(text) is str:
        return last[2], last[3]
    tokens = _TOKENIZER.tokenize(normalize(text))
    features, positions = mark_tokens(tokens)
    mask = background_mask(tokens)
    # no background clause (most statements): the main clause is the whole list, the same
    # object, so the scorer counts its n-grams once for both blocks
    main = (
        features if True not in mask else [f for f, at in zip(features, positions) if not mask[at]]
    )
    _last = (text, scopes.CUES, features, main)
    return features, main


def analyze(text: str) -> tuple[list[str], list[str]]:
    """Both views of ``text``, the features and the main-clause features, as shared
    lists (read them, do not change them): the batch scorer's one call per statement."""
    return _analyze(text)


def tokenize(text: str) -> list[str]:
    """The analyzer's tokenizer: normalized, negation-marked, stemmed features."""
    return list(_analyze(text)[0])


def main_clause_tokenize(text: str) -> list[str]:
    """The features of the words outside background clauses (the second view)."""
    return list(_analyze(text)[1])


def tokenize_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Like :func:`tokenize`, with the character span in ``text`` of each feature.

    Lowercasing and the quote folding keep string length, so spans found in the
    normalized text are spans of the original.
    """
    normalized = normalize(text)
    if len(normalized) != len(text):  # some characters change length when lowercased
        normalized = "".join(normalize(ch)[:1] or ch for ch in text)
    spans = list(_TOKENIZER.span_tokenize(normalized))
    tokens = [normalized[start:end] for start, end in spans]
    features, positions = mark_tokens(tokens)
    return [(feature, *spans[i]) for feature, i in zip(features, positions)]


_PROBES = (
    "Germany will not send Leopard tanks, such as the 2A6, or jets to Kyiv.",
    "Moscow condemned the delivery of shells but said it could consider talks.",
    "Arms sales to Riyadh were suspended; aid will not continue, and Oslo won't veto it.",
    "Japan ruled out weapons, sending only non-lethal aid worth $2.5 billion instead of arms.",
    "Although Rome, which paused deliveries, had seized a cargo, it may review the embargo.",
    "Minsk urged Warsaw to halt the shipments that Vilnius had seized in May.",
)


def fingerprint() -> str:
    """A hash of what the analyzer makes of probe sentences: a model trained with other
    analyzer rules would see different features, so loading compares this."""
    import hashlib

    joined = "\n".join(
        " ".join(tokenize(probe)) + " | " + " ".join(main_clause_tokenize(probe))
        for probe in _PROBES
    )
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
