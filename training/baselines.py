"""Baselines every report shows beside the model, so it is clear what learning adds."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.dummy import DummyClassifier

from classifier.labels import LABELS


class MajorityBaseline:
    """scikit-learn's ``DummyClassifier(strategy="prior")``: always the most frequent
    training label; probabilities are the label shares, columns in scale order."""

    name = "majority label"

    def fit(self, labels: Sequence[str]) -> MajorityBaseline:
        labels = list(labels)
        self.dummy = DummyClassifier(strategy="prior").fit(np.zeros((len(labels), 1)), labels)
        classes = list(self.dummy.classes_)
        self._order = [classes.index(label) if label in classes else None for label in LABELS]
        return self

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [str(label) for label in self.dummy.predict(np.zeros((len(texts), 1)))]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        shares = self.dummy.predict_proba(np.zeros((len(texts), 1)))
        columns = [shares[:, i] if i is not None else np.zeros(len(texts)) for i in self._order]
        return np.column_stack(columns)


_NEGATION = (
    r"\b(?:not|no|never|without|won't|refus\w*|declin\w*|rul\w* out|reject\w*|den(?:y|ied))\b"
)

# (label, pattern, needs no negation before it), tried in order; the first match wins.
RULES: list[tuple[str, str, bool]] = [
    ("opposed", r"\b(?:veto\w*|block\w*)\b.*\b(?:aid|package|funds?|assistance|arms)\b", False),
    ("opposed", r"\bcondemn\w*\b.*\b(?:deliver\w*|suppl\w*|transfer\w*|sale\w*) of\b", False),
    ("opposed", r"\b(?:stop|halt|end) (?:arming|arms|weapons|supplying|military aid)\b", False),
    (
        "lethal",
        r"\b(?:weapons?|arms|ammunition|munitions?|missiles?|tanks?|howitzers?|artillery|"
        r"shells?|rockets?|drones?|jets?|f-16s?|air[- ]defen[cs]e|patriot|himars|rifles?)\b",
        True,
    ),
    ("lethal", r"\bmilitary (?:aid|assistance|support|package)\b", True),
    (
        "non_lethal",
        r"\b(?:humanitarian|medical|medicines?|food|grain|loans?|budget|financial|"
        r"generators?|helmets?|ambulances?|reconstruction|refugees?|non-lethal|aid)\b",
        True,
    ),
    (
        "diplomatic",
        r"\b(?:sanctions?|condemn\w*|sovereignty|territorial integrity|resolution|"
        r"solidarity|expel\w*)\b",
        True,
    ),
    ("neutral", r"\b(?:neutral\w*|remains? unchanged|dialogue|ceasefire|restraint|talks)\b", False),
]
_COMPILED = [(label, re.compile(pattern, re.I), guard) for label, pattern, guard in RULES]
_NEGATION_RE = re.compile(_NEGATION, re.I)
_CLAUSE_BREAK = re.compile(r"[,;.:]|\b(?:but|while|instead|only)\b", re.I)


class KeywordRules:
    """A dozen transparent keyword rules; a keyword negated earlier in its clause does not count."""

    name = "keyword rules"
    default = "neutral"

    def fit(self, labels: Sequence[str]) -> KeywordRules:
        return self

    def predict_one(self, text: str) -> str:
        for label, pattern, guard in _COMPILED:
            for match in pattern.finditer(text):
                clause = _CLAUSE_BREAK.split(text[: match.start()])[-1]
                if not (guard and _NEGATION_RE.search(clause)):
                    return label
        return self.default

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.predict_one(text) for text in texts]
