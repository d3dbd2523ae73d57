"""The analyzer's tokenizing, negation scope rules and stemming, one rule per test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nltk
import pytest
from nltk.sentiment.util import mark_negation

from classifier.scopes import CONDEMNATION_SUFFIX, NEGATION_SUFFIX, SCOPE_LIMIT
from classifier.text import tokenize, tokenize_with_spans

ROOT = Path(__file__).resolve().parents[2]


def negated(text: str) -> list[str]:
    """The stems marked as negated, without their suffix."""
    return [t[: -len(NEGATION_SUFFIX)] for t in tokenize(text) if t.endswith(NEGATION_SUFFIX)]


def test_runs_with_an_empty_nltk_data_path(tmp_path):
    assert len(nltk.data.path) == 1 and not any(
        __import__("pathlib").Path(nltk.data.path[0]).iterdir()
    )
    with pytest.raises(LookupError):
        nltk.data.find("tokenizers/punkt")
    assert tokenize("Kyiv will not receive tanks.") == [
        "kyiv", "will", "not", "receiv_neg", "tank_neg",
    ]  # fmt: skip


def test_the_analyzer_loads_without_scikit_learn_or_scipy():
    """A serving process imports only what tokenizing needs (NLTK's package import
    would otherwise pull in scikit-learn and SciPy), and both still import after."""
    code = (
        "import sys; from classifier.text import tokenize; "
        "assert tokenize('No tanks for Kyiv.') == ['no', 'tank_neg', 'for_neg', 'kyiv_neg']; "
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules)); "
        "import sklearn.linear_model, scipy.stats; print('later', bool(sklearn.linear_model))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split("\n")  # fmt: skip
    assert out[:2] == ["[]", "later True"]


def test_negation_gives_different_features():
    plain = tokenize("Spain will send weapons to Kyiv")
    negative = tokenize("Spain will not send weapons to Kyiv")
    assert "weapon" in plain and "weapon" not in negative
    assert "weapon_neg" in negative


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Japan won't send tanks", ["send", "tank"]),
        ("Japan won’t send tanks", ["send", "tank"]),  # typographic apostrophe
        ("Japan NEVER sent tanks", ["sent", "tank"]),  # uppercase cue
        ("No tanks were sent", ["tank", "were", "sent"]),
        ("It has no plans to deliver jets", ["plan", "to", "deliv", "jet"]),
        ("Paris sent aid without weapons", ["weapon"]),
        ("Neither tanks nor jets", ["tank", "nor", "jet"]),
        ("Rome ruled out sending jets", ["send", "jet"]),
        ("Rome rules out jets", ["jet"]),
        ("Oslo declined to supply shells", ["to", "suppli", "shell"]),
        ("Oslo refused to supply shells", ["to", "suppli", "shell"]),
        ("Seoul denied supplying shells", ["suppli", "shell"]),
        ("Seoul rejected calls to send shells", ["call", "to", "send", "shell"]),
        ("It sent medicine instead of rifles", ["rifl"]),
        ("It sent medicine rather than rifles", ["rifl"]),
        ("Berlin cannot deliver Taurus", ["deliv", "taurus"]),
        ("Budapest blocked the aid package", ["the", "aid", "packag"]),
        ("Budapest vetoed new funds", ["new", "fund"]),
        ("Rome banned arms exports", ["arm", "export"]),
        ("Cairo barred the warships", ["the", "warship"]),
    ],
)
def test_cues_open_a_scope(text, expected):
    assert negated(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tokyo will not send tanks, it will send generators",
        "Tokyo will not send tanks but will send generators",
        "Tokyo will not send tanks while it sends generators",
        "Tokyo will not send tanks; generators are on the way",
        "Tokyo will not send tanks and will send generators",
        "Tokyo will not send tanks, only generators",
    ],
)
def test_scope_ends_at_punctuation_contrast_and_new_clause(text):
    assert "tank_neg" in tokenize(text)
    assert "generat" in tokenize(text) and "generat_neg" not in tokenize(text)


def test_a_comma_that_goes_on_with_the_list_keeps_the_scope():
    assert negated("It rules out weapons, such as drones, or jets") == [
        "weapon", "such", "as", "drone", "or", "jet",
    ]  # fmt: skip
    assert negated("It rules out weapons, the minister said") == ["weapon"]
    long_list = "It rules out a b c d e f g h i, such as tanks or jets"
    assert negated(long_list)[-5:] == ["such", "as", "tank", "or", "jet"]


def test_and_inside_a_list_keeps_the_scope():
    assert negated("Tokyo will not send tanks and jets") == ["send", "tank", "and", "jet"]


def test_scope_is_limited_in_length():
    words = " ".join(f"w{i}" for i in range(SCOPE_LIMIT + 5))
    assert len(negated(f"not {words}")) == SCOPE_LIMIT


@pytest.mark.parametrize("text", ["It sent not only tanks but also jets", "not just tanks"])
def test_not_only_is_not_a_negation(text):
    assert negated(text) == []


def test_negated_stop_verb_cancels_the_negation():
    # Rule 3 of the guide: "arms sales will not be suspended" means arms keep flowing.
    assert "arm" in tokenize("It will not suspend arms sales")
    assert "arm_neg" in tokenize("It will suspend arms sales")
    assert "deliveri" in tokenize("Warsaw never stopped deliveries of shells")
    assert "export" in tokenize("Seoul will not ban exports")
    assert "sale" in tokenize("It will not be suspending arms sales")
    # further from the negation, the stop verb belongs to another clause
    assert "deliveri_neg" in tokenize("Moscow has not urged Berlin to stop deliveries")


def test_negated_blocking_stays_negated():
    # Not blocking others' aid gives nothing: the aid words stay marked, and the
    # cue itself is marked, so "will not veto" and "will veto" differ.
    assert "aid_neg" in tokenize("Budapest will not block the aid")
    assert "veto_neg" in tokenize("Budapest will not veto the aid")
    assert "veto" in tokenize("Budapest will veto the aid")


def condemned(text: str) -> list[str]:
    suffix = CONDEMNATION_SUFFIX
    return [t[: -len(suffix)] for t in tokenize(text) if t.endswith(suffix)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Moscow condemned the delivery of tanks", ["the", "deliveri", "of", "tank"]),
        ("Beijing protested the arms sale, and approved a statement", ["the", "arm", "sale"]),
        ("Algeria denounced Western military aid to Kyiv", ["western", "militari", "aid", "to",
                                                            "kyiv"]),
        ("He opposes training pilots", ["train", "pilot"]),
        ("Rome criticised the strikes but sent shells", ["the", "strike"]),
    ],
)  # fmt: skip
def test_condemnation_marks_its_target_not_as_support(text, expected):
    assert condemned(text) == expected
    assert negated(text) == []


def test_a_negated_condemnation_stays_a_negation():
    assert condemned("Seoul did not condemn the delivery of tanks") == []
    assert negated("Seoul did not condemn the delivery of tanks") == [
        "condemn", "the", "deliveri", "of", "tank",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Norway's military aid will not continue, he said", ["norway", "militari", "aid",
                                                                "will", "continu"]),
        ("Arms sales to Riyadh were suspended in March", ["arm", "sale", "to", "riyadh", "were"]),
        ("The grain programme has ended.", ["the", "grain", "programm", "has"]),
    ],
)  # fmt: skip
def test_negations_that_deny_the_clause_before_them(text, expected):
    assert negated(text) == expected


def test_an_active_stop_verb_negates_what_follows():
    assert negated("Rome has ended its support for the army") == [
        "it", "support", "for", "the", "armi",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Berlin could send tanks", ["send", "tank"]),
        ("Oslo is considering air defence", ["air", "defenc"]),
        ("If the talks stall, Paris will send jets", ["the", "talk", "stall"]),
    ],
)
def test_conditional_words_open_a_hypothetical_scope(text, expected):
    suffix = "_hyp"
    assert [t[: -len(suffix)] for t in tokenize(text) if t.endswith(suffix)] == expected


def test_hyphenated_compounds_stay_whole():
    tokens = tokenize("non-lethal aid and anti-tank weapons, F-16 jets")
    assert "non-leth" in tokens and "anti-tank" in tokens and "f-16" in tokens


def test_numbers_are_folded():
    assert tokenize("It pledged 155 shells and $2.5 billion") == [
        "it", "pledg", "<num>", "shell", "and", "<num>", "billion",
    ]  # fmt: skip


def test_stock_mark_negation_misses_what_this_domain_needs():
    # The reasons the analyzer has its own rules, kept true by a test.
    assert "jets_NEG" not in mark_negation(["Rome", "ruled", "out", "sending", "jets"])
    assert "jets_NEG" not in mark_negation(["Rome", "will", "NOT", "send", "jets"])
    stock = mark_negation(["Rome", "will", "not", "send", "jets", ",", "but", "sent", "shells"])
    assert "shells_NEG" in stock  # neither the comma nor "but" ends the scope
    assert negated("Rome ruled out sending jets, but sent shells") == ["send", "jet"]
    assert negated("Rome will NOT send jets, but sent shells") == ["send", "jet"]


def test_spans_point_at_the_original_words():
    text = "Ankara WON’T send Bayraktar drones."
    spans = tokenize_with_spans(text)
    assert [f for f, _, _ in spans] == tokenize(text)
    assert [text[a:b] for _, a, b in spans] == ["Ankara", "WON’T", "send", "Bayraktar", "drones"]


def test_spans_survive_characters_that_change_length_when_lowercased():
    text = "İstanbul talks: Ankara won't send drones"
    assert [text[a:b] for _, a, b in tokenize_with_spans(text)][-2:] == ["send", "drones"]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "\u200f\u202e", "🙂"])
def test_degenerate_text_gives_no_features(text):
    assert tokenize(text) == []
