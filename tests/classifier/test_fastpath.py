"""The lean scorer gives the pipeline's probabilities, to the last few bits."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier.fastpath import LinearScorer, lean_scorer
from classifier.model import LEAN_BATCH
from classifier.pipeline import build_pipeline, char_vectorizer

ODD = ["", "   ", "!!!", "🙂 drones 🙂", "x" * 5000, "Tanks. " * 300, "zzqx unknownword"]


@pytest.mark.parametrize("chars", [False, True])
def test_lean_scores_equal_the_pipeline(corpus_rows, chars):
    rows = corpus_rows[:1500]
    params = {"features__chars": char_vectorizer()} if chars else {}
    pipeline = build_pipeline(**params).fit([r.text for r in rows], [r.label for r in rows])
    scorer = LinearScorer(pipeline)
    texts = [r.text for r in corpus_rows[1500:1800]] + ODD
    lean = np.vstack([scorer.predict_proba([t]) for t in texts])
    assert np.allclose(lean, pipeline.predict_proba(texts), rtol=0, atol=1e-12)
    assert np.allclose(scorer.scores(texts[0]), pipeline.decision_function([texts[0]])[0],
                       rtol=0, atol=1e-12)  # fmt: skip


def test_the_model_uses_it_for_small_batches_only(trained_model, monkeypatch):
    calls = []
    original = trained_model.pipeline.predict_proba
    monkeypatch.setattr(trained_model.pipeline, "predict_proba",
                        lambda texts: calls.append(len(texts)) or original(texts))  # fmt: skip
    small = trained_model.predict(["Oslo sent tents."] * LEAN_BATCH)
    assert calls == []
    large = trained_model.predict(["Oslo sent tents."] * (LEAN_BATCH + 1))
    assert calls == [LEAN_BATCH + 1] and small[0].label == large[0].label
    assert small[0].probabilities == pytest.approx(large[0].probabilities, abs=1e-12)


def test_unsupported_pipelines_fall_back():
    pipeline = Pipeline([("f", FunctionTransformer()), ("clf", FunctionTransformer())])
    assert lean_scorer(pipeline) is None
