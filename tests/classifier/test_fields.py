"""An answer limited to some fields: the same values as the full prediction, with the work
only the other fields need skipped."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.model import FIELDS, prediction_fields
from classifier.requests import may_ask
from tests.helpers import ROOT, read_jsonl

# statements of the parties stress set (blind): requests, named and implied recipients
TEXTS = [row["text"] for row in read_jsonl(ROOT / "tests/fixtures/parties_stress.jsonl")][:120]
TEXTS += ["Kyiv urged Seoul to send artillery shells.",  # rule 5: the parties change the label
          "Armenia appealed to France for armoured vehicles.",
          "Sweden will send Archer howitzers.",  # an implied recipient
          "The ministry said it had nothing to add."]  # fmt: skip


BATCHES = (TEXTS, TEXTS[-3:])  # the array path, then the single-statement path


@pytest.fixture(scope="module")
def full(full_model):
    return [full_model.predict(batch) for batch in BATCHES]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=st.sets(st.sampled_from(FIELDS), min_size=1))
def test_the_fields_asked_for_are_those_of_the_full_prediction(full_model, full, fields):
    for batch, answers in zip(BATCHES, full):
        for whole, part in zip(answers, full_model.predict(batch, fields), strict=True):
            assert part.to_dict(fields) == whole.to_dict(fields)
            assert list(part.to_dict(fields)) == [f for f in FIELDS if f in fields]


def test_a_request_is_still_read_as_one_without_the_parties(full_model):
    [whole] = full_model.predict(["Kyiv urged Seoul to send artillery shells."])
    [labels] = full_model.predict(["Kyiv urged Seoul to send artillery shells."], ["label"])
    assert whole.label == labels.label == "neutral"
    assert whole.actor.code == "KOR" and labels.actor is None


def test_the_skipped_fields_are_none_and_the_flag_is_always_computed(full_model):
    [p] = full_model.predict(["Japan will send more tanks to Ukraine."], ["label"])
    assert p.label == "lethal" and p.relevance is None and p.actor is p.recipient is None
    assert isinstance(p.review, bool) and p.confidence > 0


def test_may_ask_is_true_whenever_a_request_can_be_read():
    assert may_ask("Kyiv URGED Seoul to send shells.") and may_ask("an appeal: Armenia appealed")
    assert not may_ask("Japan will send more tanks to Ukraine.")


@pytest.mark.parametrize("fields, words", [([], "at least one"), (["label", "mood"], "'mood'")])
def test_unknown_or_no_fields_are_refused(fields, words):
    with pytest.raises(ValueError, match=words):
        prediction_fields(fields)
    with pytest.raises(TypeError):
        prediction_fields("label")
