"""The fused single-statement path (classifier.fused) against the scorers it fuses."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.fastpath import LinearScorer
from classifier.fused import FusedScorer
from classifier.pipeline import build_pipeline, char_vectorizer
from classifier.text import analyze
from tests.classifier.test_fastpath import ODD

HARD = [
    "Tanks, tanks and more tanks: Berlin will send tanks to Kyiv, tanks it promised.",
    "Although Rome, which paused deliveries in May, had seized a cargo, it will send aid.",
    "Japan will not send weapons to Ukraine, the minister said, though it may send aid.",
    "Germany will send",
]


def test_a_single_prediction_equals_the_batch_path(full_model, corpus_rows):
    """Probabilities, label and relevance of one statement at a time, through the
    fused path, equal the batch path's (which is held to the pipeline)."""
    assert full_model._fused is not None
    texts = [r.text for r in corpus_rows[:300]] + ODD + HARD
    batch = full_model.predict_proba(texts)
    relevance = full_model._relevance(texts, [analyze(t) for t in texts])  # the batch path
    for text, row, relevant in zip(texts, batch, relevance):
        (single,) = full_model.predict([text])
        assert np.allclose(list(single.probabilities.values()), row, rtol=0, atol=1e-12), text
        assert abs(single.relevance - relevant) <= 1e-12, text
    # the recipient model (40 classes, unigrams: rows of its own in the fused table)
    recipients = full_model._recipient_rows(texts, [analyze(t) for t in texts])
    _, _, fused = full_model._single_scores(texts)  # functions, called when needed
    assert len(full_model._fused._parts) == 2
    assert np.allclose([row() for row in fused], recipients, rtol=0, atol=1e-12)
    # asked for alone, the recipient scores are the same as asked for with the others
    for text in texts[:50]:
        together = full_model._fused.scores(text)
        assert full_model._fused.scores(text, (2,))[2] == together[2]
        assert full_model._fused.scores(text, (0, 1))[:2] == together[:2]


@pytest.mark.parametrize("sublinear,norm", [(False, None), (True, None), (False, "l2")])
def test_fused_scores_equal_each_scorer_for_other_tf_settings(corpus_rows, sublinear, norm):
    rows = corpus_rows[:800]
    settings = {f"features__{b}__{k}": v for b in ("words", "main")
                for k, v in (("sublinear_tf", sublinear), ("norm", norm))}  # fmt: skip
    pipeline = build_pipeline(**settings).fit([r.text for r in rows], [r.label for r in rows])
    scorer = LinearScorer.from_pipeline(pipeline)
    fused = FusedScorer([scorer])
    for text in [r.text for r in corpus_rows[800:900]] + ODD + HARD:
        (got,) = fused.scores(text)
        assert np.allclose(got, scorer.scores(text), rtol=0, atol=1e-12), text


def test_blocks_of_other_ngram_ranges_are_fused_too(corpus_rows):
    """A unigram block (the recipient model's) and a 1-3 block share the 1-3 pass."""
    rows = corpus_rows[:500]
    texts, labels = [r.text for r in rows], [r.label for r in rows]
    scorers = [
        LinearScorer.from_pipeline(
            build_pipeline(features__words__ngram_range=ngrams).fit(texts, labels)
        )
        for ngrams in ((1, 3), (1, 1), (2, 2))
    ]
    fused = FusedScorer(scorers)
    assert fused.ngram_range == (1, 3)
    for text in [r.text for r in corpus_rows[800:850]] + ODD + HARD:
        for got, scorer in zip(fused.scores(text), scorers):
            assert np.allclose(got, scorer.scores(text), rtol=0, atol=1e-12), text


def test_scorers_that_cannot_be_fused_are_refused(corpus_rows):
    rows = corpus_rows[:300]
    texts, labels = [r.text for r in rows], [r.label for r in rows]
    words = LinearScorer.from_pipeline(build_pipeline().fit(texts, labels))
    chars = LinearScorer.from_pipeline(
        build_pipeline(features__chars=char_vectorizer()).fit(texts, labels)
    )
    raw_tf = LinearScorer.from_pipeline(
        build_pipeline(features__main__sublinear_tf=False).fit(texts, labels)
    )
    for scorers in ([chars], [words, raw_tf]):
        with pytest.raises(ValueError, match="fused scorers need"):
            FusedScorer(scorers)
