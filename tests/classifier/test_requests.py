"""Rule 5 with the parties in view: the recipient's request commits nobody."""

from __future__ import annotations

import pytest

from classifier.gazetteer import tokenize
from classifier.requests import as_request, recipient_asks
from tests.classifier.test_gazetteer import GAZETTEER


def asks(text: str, actor: str, recipient: str) -> bool:
    tokens = tokenize(text)
    return recipient_asks(tokens, GAZETTEER.mentions(text, tokens), actor, recipient)


@pytest.mark.parametrize(
    "text, actor, recipient, expected",
    [("Kyiv urged Seoul to send artillery shells.", "KOR", "UKR", True),
     ("Armenia appealed to France for armoured vehicles.", "FRA", "ARM", True),
     ("Latvia urged Seoul to send artillery shells to Ukraine.", "LVA", "UKR", False),
     ("Seoul said Kyiv had urged it to send shells.", "KOR", "UKR", False),  # actor first
     ("Kyiv thanked Seoul for the shells.", "KOR", "UKR", False),  # no verb of asking
     ("Kyiv urged restraint.", "KOR", "UKR", False)],  # the actor is not named
)  # fmt: skip
def test_a_request_is_the_recipient_asking_the_actor(text, actor, recipient, expected):
    assert asks(text, actor, recipient) is expected


def test_a_request_moves_support_to_neutral_and_keeps_opposed():
    folded = as_request([0.1, 0.2, 0.1, 0.2, 0.4])
    assert folded == pytest.approx([0.1, 0.9, 0.0, 0.0, 0.0])
    assert sum(folded) == pytest.approx(1.0)
    assert as_request([0.7, 0.1, 0.1, 0.05, 0.05])[0] == 0.7


@pytest.mark.parametrize(
    "text, label",
    [("Kyiv urged Seoul to send artillery shells.", "neutral"),
     ("Latvia urged Seoul to send artillery shells to Ukraine.", "lethal"),
     ("Ukrainian officials have for months pressed Tokyo to supply air defence missiles "
      "from its stockpiles.", "neutral")],
)  # fmt: skip
def test_the_model_reads_the_recipients_request_as_neutral(full_model, text, label):
    prediction = full_model.predict([text])[0]
    assert prediction.label == label
    assert full_model.explain(text).label == label
    assert sum(prediction.probabilities.values()) == pytest.approx(1.0)
