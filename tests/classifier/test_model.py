"""The model's behaviour: labels, probabilities, negation, determinism, explanations."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifier.labels import LABELS, LEVELS
from classifier.model import StanceModel
from classifier.pipeline import build_pipeline
from tests.helpers import FIXTURES


def test_predictions_carry_label_level_and_probabilities(trained_model):
    predictions = trained_model.predict(
        [
            "Canada will deliver Leopard tanks to Ukraine.",
            "The ministry said its stance remains unchanged.",
            "The EU imposed a new package of sanctions on Moscow.",
        ]
    )
    for prediction in predictions:
        assert list(prediction.probabilities) == list(LABELS)
        assert sum(prediction.probabilities.values()) == pytest.approx(1.0, abs=1e-9)
        assert all(0.0 <= p <= 1.0 for p in prediction.probabilities.values())
        assert prediction.level == LEVELS[prediction.label]
        assert prediction.label == max(prediction.probabilities, key=prediction.probabilities.get)
    assert [p.label for p in predictions] == ["lethal", "neutral", "diplomatic"]


@pytest.mark.parametrize(
    "positive, negative, labels",
    [
        (
            "Germany will send Leopard tanks to Kyiv.",
            "Germany will not send Leopard tanks to Kyiv.",
            ("lethal", "neutral"),
        ),
        (
            "Tokyo pledged anti-tank missiles for Ukraine.",
            "Tokyo ruled out anti-tank missiles for Ukraine.",
            ("lethal", "neutral"),
        ),
        (
            "Seoul sent helmets and artillery shells.",
            "Seoul sent helmets but no artillery shells.",
            ("lethal", "non_lethal"),
        ),
    ],
)
def test_negation_changes_the_label(trained_model, positive, negative, labels):
    assert tuple(p.label for p in trained_model.predict([positive, negative])) == labels


def test_held_out_negation_pairs_are_told_apart(trained_model, capsys):
    """Pairs written only for this test (never trained on): in at least 95% of them the
    two predicted labels differ as the gold labels do (the same one higher on the scale)."""
    pairs: dict[str, list[dict]] = {}
    for line in (FIXTURES / "negation_pairs.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        pairs.setdefault(record["pair"], []).append(record)
    assert len(pairs) >= 100 and all(len(p) == 2 for p in pairs.values())
    records = [r for pair in pairs.values() for r in pair]
    predicted = [p.level for p in trained_model.predict([r["text"] for r in records])]
    gold = [LEVELS[r["label"]] for r in records]
    differ = exact = 0
    for i in range(0, len(records), 2):
        same_direction = (gold[i] - gold[i + 1]) * (predicted[i] - predicted[i + 1]) > 0
        differ += same_direction
        exact += predicted[i] == gold[i] and predicted[i + 1] == gold[i + 1]
    with capsys.disabled():
        print(f"\nnegation pairs: {differ}/{len(pairs)} differ as labelled, "
              f"{exact}/{len(pairs)} with both labels exact")  # fmt: skip
    assert differ / len(pairs) >= 0.95, f"{differ}/{len(pairs)} pairs differ as labelled"


def test_same_input_same_output(trained_model):
    text = "Poland urged Berlin to approve Leopard exports, officials said."
    first = trained_model.predict([text] * 3)
    assert first[0] == first[1] == first[2] == trained_model.predict([text])[0]


def test_same_data_and_seed_give_the_same_model(corpus_rows):
    rows = corpus_rows[:600]
    texts, labels = [r.text for r in rows], [r.label for r in rows]
    probe = [r.text for r in corpus_rows[600:700]]
    a = build_pipeline().fit(texts, labels).predict_proba(probe)
    b = build_pipeline().fit(texts, labels).predict_proba(probe)
    assert np.array_equal(a, b)


def test_batch_keeps_input_order(trained_model):
    texts = ["Oslo sent field hospitals to Gaza.", "Canada will deliver Leopard tanks to Ukraine."]
    batch = trained_model.predict(texts)
    assert batch == [trained_model.predict([t])[0] for t in texts]


def test_explanation_is_exact_for_the_linear_model(trained_model):
    text = "Canada will not send tanks to Ukraine but pledged ambulances."
    explained = trained_model.explain(text, top_k=10_000)
    assert explained.label == trained_model.predict([text])[0].label
    # Weights plus bias are the predicted label's score, centered across labels.
    features = trained_model.pipeline[:-1].transform([text])
    scores = trained_model.pipeline[-1].decision_function(features)[0]
    classes = list(trained_model.pipeline.classes_)
    k = classes.index(explained.label)
    terms = explained.explanation.toward + explained.explanation.away
    total = sum(t.weight for t in terms) + explained.explanation.bias
    assert total == pytest.approx(scores[k] - scores.mean(), abs=1e-4)


def test_explanation_names_the_statements_own_words(trained_model):
    text = "Canada will deliver Leopard tanks and howitzers to Ukraine."
    explanation = trained_model.explain(text, top_k=5).explanation
    assert explanation.label == "lethal"
    assert 0 < len(explanation.toward) <= 5
    assert [t.weight for t in explanation.toward] == sorted(
        (t.weight for t in explanation.toward), reverse=True
    )
    assert all(t.weight > 0 for t in explanation.toward)
    assert all(t.weight < 0 for t in explanation.away)
    for term in explanation.toward:
        assert term.spans
        assert text[term.spans[0][0] : term.spans[0][1]] == term.term
    assert {"tanks", "howitzers"} & {t.term.lower() for t in explanation.toward}


def test_rejects_a_pipeline_with_other_classes():
    pipeline = build_pipeline().fit(["a b", "c d", "a d", "c b"], ["yes", "no", "yes", "no"])
    with pytest.raises(ValueError, match="not the scale's labels"):
        StanceModel(pipeline)


def test_a_bare_string_is_refused_not_split_into_characters(saved_model_dir):
    from classifier.artifact import CURRENT
    from classifier.model import load_model

    model = load_model(saved_model_dir / CURRENT, lean=True)
    for method in (model.predict, model.predict_proba):
        with pytest.raises(TypeError, match=r"not a single str; use predict(_proba)?\(\[text\]\)"):
            method("Oslo sent field hospitals.")
    assert len(model.predict(["Oslo sent field hospitals."])) == 1
    assert model.predict_proba(("a", "b")).shape == (2, len(LABELS))
