"""Property tests: any Unicode text yields a valid, repeatable answer, never an exception."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, example, given, settings

from classifier.labels import LABELS
from classifier.text import tokenize, tokenize_with_spans
from tests.helpers import ANY_TEXT, SPICY


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT | SPICY)
@example(text="word " * 10_000)
def test_tokenizer_takes_any_text(text):
    features = tokenize(text)
    assert all(isinstance(f, str) and f for f in features)
    assert features == tokenize(text)
    spans = tokenize_with_spans(text)
    assert [f for f, _, _ in spans] == features
    assert all(0 <= start < end <= len(text) for _, start, end in spans)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=ANY_TEXT | SPICY)
def test_model_takes_any_text(trained_model, text):
    [first] = trained_model.predict([text])
    assert first.label in LABELS and first.level == LABELS.index(first.label)
    assert all(math.isfinite(p) and 0 <= p <= 1 for p in first.probabilities.values())
    assert math.isclose(sum(first.probabilities.values()), 1.0, abs_tol=1e-9)
    assert trained_model.predict([text])[0] == first
    explained = trained_model.explain(text, top_k=5)
    assert explained.label == first.label
    for term in explained.explanation.toward + explained.explanation.away:
        assert all(0 <= a < b <= len(text) for a, b in term.spans)
