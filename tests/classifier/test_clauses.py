"""Clause roles, one rule per test: the main-clause view leaves background clauses out."""

from __future__ import annotations

import pytest

from classifier.clauses import background_mask
from classifier.text import _TOKENIZER, main_clause_tokenize, normalize, tokenize


def background(text: str) -> list[str]:
    tokens = _TOKENIZER.tokenize(normalize(text))
    return [t for t, bg in zip(tokens, background_mask(tokens)) if bg]


def test_a_relative_clause_after_a_comma_is_background():
    text = "Norway, which has already sent artillery, said it would add ambulances."
    assert background(text) == ["which", "has", "already", "sent", "artillery"]
    assert "artilleri" in tokenize(text) and "artilleri" not in main_clause_tokenize(text)
    assert "ambul" in main_clause_tokenize(text)


@pytest.mark.parametrize("word", ["who", "whose", "whom"])
def test_every_relative_pronoun_opens_background(word):
    assert background(f"The envoy, {word} Paris trusts, said no.")[0] == word


def test_a_restrictive_which_without_a_comma_stays_main():
    assert background("It named the tanks which it will send.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Although Washington has sent Patriots, Tokyo will not send weapons.",
         ["although", "washington", "has", "sent", "patriots"]),
        ("Tokyo sent tents even though it had refused tanks.",
         ["though", "it", "had", "refused", "tanks"]),
        ("Seoul sent shells because Kyiv asked, officials said.", ["because", "kyiv", "asked"]),
    ],
)  # fmt: skip
def test_concessive_and_causal_clauses_are_background_wherever_they_start(text, expected):
    assert background(text) == expected


@pytest.mark.parametrize(
    "text, first",
    [
        ("After Germany approved Leopards, Poland sent its own.", "after"),
        ("Since the invasion began, Oslo has sent tents.", "since"),
        ("Despite the veto, Madrid sent shells.", "despite"),
        ("As other states ship drones, Spain sent tents.", "as"),
        ("While Berlin sent tanks, Paris refused.", "while"),
    ],
)
def test_a_clause_opening_with_a_temporal_word_is_background(text, first):
    assert background(text)[0] == first and "," not in background(text)


@pytest.mark.parametrize(
    "text",
    [
        "As part of the package, Rome sent shells.",
        "Rome sent shells, as promised.",
        "Rome sent tanks while Paris refused.",  # "while" mid-sentence: a contrast, not time
        "The aid arrived after talks in Rome.",  # mid-clause "after": a preposition
    ],
)
def test_look_alikes_stay_main(text):
    assert background(text) == []


def test_a_sentence_that_is_all_opener_keeps_its_words():
    """No comma sets the opener off, so there is no main clause to prefer: keep it all."""
    assert background("After talks Berlin sent tanks.") == []
    assert main_clause_tokenize("After talks Berlin sent tanks.") == tokenize(
        "After talks Berlin sent tanks."
    )


def test_the_main_view_keeps_the_scopes_of_the_full_one():
    text = "Although Rome had sent tanks, Lisbon will not send shells."
    assert main_clause_tokenize(text) == ["lisbon", "will", "not", "send_neg", "shell_neg"]
