"""The lean scorer gives the pipeline's probabilities, to the last few bits, from the
pipeline or from its pickle-free file, and loading that file unpickles nothing."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier.fastpath import LinearScorer, scorer_difference
from classifier.model import StanceModel
from classifier.pipeline import build_pipeline, char_vectorizer
from tests.helpers import ROOT

ODD = ["", "   ", "!!!", "🙂 drones 🙂", "x" * 5000, "Tanks. " * 300, "zzqx unknownword",
       "a  b\t\tc \n d", "É" * 3]  # fmt: skip


@pytest.fixture(scope="module", params=[False, True], ids=["words", "words+chars"])
def fitted(request, corpus_rows):
    rows = corpus_rows[:1500]
    params = {"features__chars": char_vectorizer()} if request.param else {}
    return build_pipeline(**params).fit([r.text for r in rows], [r.label for r in rows])


def test_lean_scores_equal_the_pipeline(fitted, corpus_rows, tmp_path):
    texts = [r.text for r in corpus_rows[1500:1800]] + ODD
    expected = fitted.predict_proba(texts)
    scorer = LinearScorer.from_pipeline(fitted)
    assert np.allclose(scorer.predict_proba(texts), expected, rtol=0, atol=1e-12)
    assert np.allclose(scorer.scores(texts[0]), fitted.decision_function([texts[0]])[0],
                       rtol=0, atol=1e-12)  # fmt: skip
    scorer.save(tmp_path / "scorer.npz")
    loaded = LinearScorer.load(tmp_path / "scorer.npz")  # own analyzers, no scikit-learn
    assert np.allclose(loaded.predict_proba(texts), expected, rtol=0, atol=1e-12)


def test_the_lean_model_explains_like_the_full_one(fitted, tmp_path):
    full = StanceModel(fitted)
    scorer = LinearScorer.from_pipeline(fitted)
    scorer.save(tmp_path / "s.npz")
    lean = StanceModel(None, {}, LinearScorer.load(tmp_path / "s.npz"))
    text = "Berlin will not send tanks but pledged 40 ambulances to Kyiv."
    assert full.explain(text, 5) == lean.explain(text, 5)


@pytest.mark.parametrize("chars", [True, False], ids=["words+chars", "words: batch path"])
@pytest.mark.parametrize(
    "use_idf, norm, sublinear_tf",
    [(True, "l2", True), (False, "l2", True), (True, None, True), (True, "l2", False),
     (False, None, False)],
)  # fmt: skip
def test_every_branch_of_the_scorer_equals_the_pipeline(
    corpus_rows, use_idf, norm, sublinear_tf, chars
):
    """No idf, no norm and plain tf: each arithmetic branch the scorer has, on words and
    chars (one text at a time) and on words alone (also the batch path)."""
    rows = corpus_rows[:600]
    vectorizer_params = {"use_idf": use_idf, "norm": norm, "sublinear_tf": sublinear_tf}
    blocks = ("words", "main", "chars") if chars else ("words", "main")
    pipeline = build_pipeline(features__chars=char_vectorizer() if chars else "drop").set_params(
        **{f"features__{block}__{key}": value for block in blocks
           for key, value in vectorizer_params.items()}
    )  # fmt: skip
    pipeline.fit([r.text for r in rows], [r.label for r in rows])
    texts = [r.text for r in corpus_rows[600:700]] + ODD + ["tanks tanks tanks tanks"]
    scorer = LinearScorer.from_pipeline(pipeline)
    assert scorer_difference(pipeline, scorer, texts) <= 1e-12


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)])
def test_the_batch_path_equals_one_at_a_time_and_the_pipeline(corpus_rows, ngram_range):
    """N-grams of every length, statements with no known word, empty ones, and n-grams
    that would cross from one statement into the next (they must not be counted)."""
    rows = corpus_rows[:800]
    pipeline = build_pipeline(
        features__words__ngram_range=ngram_range, features__main__ngram_range=ngram_range
    ).fit([r.text for r in rows], [r.label for r in rows])
    scorer = LinearScorer.from_pipeline(pipeline)
    texts = [r.text for r in corpus_rows[800:900]] + ODD
    texts += ["Germany will send", "tanks to Kyiv.", "", "Germany will send", "tanks"] * 3
    expected = pipeline.predict_proba(texts)
    for batch in (False, True):
        got = scorer.predict_proba(texts, batch=batch)
        assert np.abs(got - expected).max() <= 1e-12, batch
    crossing = scorer.decision_function(["Germany will send", "tanks to Kyiv."], batch=True)
    alone = [scorer.scores("Germany will send"), scorer.scores("tanks to Kyiv.")]
    assert np.allclose(crossing, alone, rtol=0, atol=1e-12)


def test_a_batch_of_only_empty_texts_scores_the_intercept(fitted):
    scorer = LinearScorer.from_pipeline(fitted)
    scores = scorer.decision_function(["", "   ", "\n\t", "!?"] * 4, batch=True)
    assert np.allclose(scores, fitted[-1].intercept_, rtol=0, atol=1e-12)


def test_the_model_always_answers_through_the_scorer(trained_model, monkeypatch):
    """Batches of any size take the served path, never the pipeline's predict_proba."""
    monkeypatch.setattr(trained_model.pipeline, "predict_proba", None)
    for size in (1, 17, 600):
        assert len(trained_model.predict(["Oslo sent tents."] * size)) == size


def test_an_unsupported_pipeline_says_why():
    pipeline = Pipeline([("f", FunctionTransformer()), ("clf", FunctionTransformer())])
    with pytest.raises(ValueError, match="FunctionTransformer -> FunctionTransformer"):
        LinearScorer.from_pipeline(pipeline)
    with pytest.raises(ValueError, match="FunctionTransformer"):
        StanceModel(pipeline)
    binary = build_pipeline(features__words__min_df=1, features__main__min_df=1)
    binary.set_params(features__words__binary=True)
    binary.fit(["tanks for Kyiv", "no tanks"], ["lethal", "neutral"])
    with pytest.raises(ValueError, match="not binary"):
        LinearScorer.from_pipeline(binary)
    with pytest.raises(ValueError, match="fitted"):
        LinearScorer.from_pipeline(build_pipeline())


def test_loading_the_scorer_unpickles_nothing(saved_model_dir):
    """The service's loading path never unpickles: joblib.load and pickle are not called."""
    code = (
        "import pickle, joblib\n"
        "calls = []\n"
        "def spy(name, real):\n"
        "    return lambda *a, **k: calls.append(name) or real(*a, **k)\n"
        "pickle.load, pickle.loads = spy('load', pickle.load), spy('loads', pickle.loads)\n"
        "joblib.load = spy('joblib', joblib.load)\n"
        "from classifier.model import load_model\n"
        f"model = load_model({str(saved_model_dir / 'current')!r}, lean=True)\n"
        "print(model.predict(['Oslo sent tents.'])[0].label, len(calls))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    assert out[1] == "0"


def test_a_binary_pipeline_is_scored_as_its_sigmoid(corpus_rows):
    """The relevance model is a binary logistic regression: one coefficient row, turned
    into two whose softmax is the pipeline's sigmoid."""
    rows = corpus_rows[:400]
    labels = ["relevant" if r.label in ("lethal", "non_lethal") else "irrelevant" for r in rows]
    pipeline = build_pipeline(features__main="drop").fit([r.text for r in rows], labels)
    scorer = LinearScorer.from_pipeline(pipeline)
    assert scorer.coef.shape[0] == 2
    texts = [r.text for r in corpus_rows[400:500]] + ODD
    assert scorer_difference(pipeline, scorer, texts) <= 1e-12


def test_the_one_text_binary_path_equals_the_pipeline(corpus_rows):
    rows = corpus_rows[:400]
    labels = ["relevant" if r.label in ("lethal", "non_lethal") else "irrelevant" for r in rows]
    pipeline = build_pipeline(features__main="drop").fit([r.text for r in rows], labels)
    scorer = LinearScorer.from_pipeline(pipeline)
    texts = [r.text for r in corpus_rows[400:450]] + ODD
    expected = pipeline.predict_proba(texts)[:, 1]
    got = [scorer.second_class_probability(text) for text in texts]
    assert np.abs(np.array(got) - expected).max() <= 1e-12
