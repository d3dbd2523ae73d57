"""The recipient a statement implies without naming it (training/recipients.py)."""

from __future__ import annotations

import pytest

from classifier.actors import IMPLIED_THRESHOLD, NO_RECIPIENT, Party, RecipientModel
from classifier.articles import Sentence, summarise
from classifier.model import load_model


@pytest.mark.parametrize(
    "text, actor, recipient",
    [("Sweden will send Archer howitzers and more CV90 fighting vehicles, the defence "
      "minister said on Tuesday.", "SWE", "UKR"),
     ("Norway said it would fund another 40 Patriot interceptors and winter kits for "
      "brigades defending Kharkiv oblast.", "NOR", "UKR"),
     ("Britain will fund more food deliveries to the camps around El Fasher, the "
      "minister said.", "GBR", "SDN"),
     ("Norway will pay for water trucks and field clinics in Rafah and Khan Younis, its "
      "aid agency said.", "NOR", "PSE")],
)  # fmt: skip
def test_an_unnamed_recipient_is_implied_by_the_words(full_model, text, actor, recipient):
    found_actor, found_recipient = full_model.parties(text)
    assert found_actor is not None and found_actor.code == actor
    assert found_recipient is not None and found_recipient.code == recipient
    assert found_recipient.implied and not found_actor.implied
    assert found_recipient.probability >= IMPLIED_THRESHOLD
    assert found_recipient.to_dict()["implied"] is True


def test_a_named_recipient_is_not_marked_implied(full_model):
    _, recipient = full_model.parties("Japan pledged $2 billion for Ukraine's energy grid.")
    assert recipient is not None and recipient.code == "UKR" and not recipient.implied


def test_a_party_is_never_both_actor_and_recipient(full_model):
    """Ukraine's army receiving drones names Ukraine as the recipient and no actor
    (nobody named gives them), never Ukraine as both; the recipient model's rule never
    names the actor either (below, on given probabilities)."""
    actor, recipient = full_model.parties(
        "Ukraine's defence ministry said its brigades near Pokrovsk had received new drones."
    )
    assert recipient is not None and recipient.code == "UKR" and not recipient.implied
    assert actor is None or actor.code != "UKR"


def _rule(classes: list[str]) -> RecipientModel:
    """The decision rule alone, over given classes (no scorer needed)."""
    model = RecipientModel.__new__(RecipientModel)
    model.classes = classes
    return model


def test_implied_recipients_follow_the_threshold_and_skip_no_recipient(full_model):
    gazetteer = full_model.actors.gazetteer
    swe = Party("SWE", "Sweden", 0.9)
    rule = _rule(["UKR", NO_RECIPIENT, "SDN"])
    assert rule.implied([0.7, 0.2, 0.1], swe, set(), gazetteer).code == "UKR"
    assert rule.implied([0.7, 0.2, 0.1], swe, {"UKR"}, gazetteer).implied is False  # named
    assert rule.implied([0.2, 0.7, 0.1], swe, set(), gazetteer) is None  # "none" first
    ukr = Party("UKR", "Ukraine", 0.8)
    assert rule.implied([0.6, 0.1, 0.3], ukr, set(), gazetteer).code == "SDN"  # not the actor
    below = IMPLIED_THRESHOLD - 0.01
    four = _rule(["UKR", "SDN", "RUS", "MDA"])
    assert four.implied([below] * 4, swe, set(), gazetteer) is None  # unsure
    unknown = _rule(["UKR", NO_RECIPIENT, "XXX"])
    assert unknown.implied([0.2, 0.2, 0.6], None, set(), gazetteer) is None  # no such entity


def test_an_article_prefers_the_recipient_named_before_to_an_implied_one(full_model):
    texts = ["Berlin will deliver 20 more Leopard tanks to Moldova, the chancellor said.",
             "Germany will also send Archer howitzers, the defence ministry added."]  # fmt: skip
    predictions = full_model.predict(texts)
    sentences = [
        Sentence(i, 0, 0, t, 0.9, True, p) for i, (t, p) in enumerate(zip(texts, predictions))
    ]
    recipients = {row.recipient.code for row in summarise(sentences) if row.recipient}
    assert recipients == {"MDA"}


def test_the_recipient_model_is_saved_and_loaded_with_the_model(full_models):
    model = load_model(full_models / "current", lean=True)
    assert model.recipients is not None and NO_RECIPIENT in model.recipients.classes
    assert model._fused is not None and model._fused.scorers[2] is model.recipients.scorer
    text = "Sweden will send Archer howitzers, the defence minister said."
    single = model.predict([text])[0]
    batch = model.predict([text] * 5)[0]  # the batch path computes the same
    assert single.recipient == batch.recipient
