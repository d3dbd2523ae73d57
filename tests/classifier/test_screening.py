"""Statements the model cannot read are flagged, with a reason, and English is not."""

from __future__ import annotations

import pytest

from classifier.screening import LETTER, has_letter, screen
from classifier.text import analyze
from tests.helpers import ROOT, read_jsonl


@pytest.fixture(scope="module")
def vocabulary(trained_model):
    return trained_model._unigrams


def reason_of(text: str, vocabulary) -> tuple[str | None, str | None]:
    return screen(text, analyze(text)[0], vocabulary)


@pytest.mark.parametrize(
    "text, expected",
    [("42", ("no_letters", None)), ("[1,2]", ("no_letters", None)), ("…", ("no_letters", None)),
     ("\u200b\u200b", ("no_letters", None)), ("12.5 % -- 7", ("no_letters", None)),
     ("Deutschland liefert Panzer an die Ukraine.", ("not_english", "de")),
     ("La France enverra des chars à Kiev pour soutenir l'armée ukrainienne.",
      ("not_english", "fr")),
     ("España enviará más ayuda humanitaria a Ucrania, según el gobierno.",
      ("not_english", "es")),
     ("Polska wyśle czołgi na Ukrainę, jak zapowiedział minister.", ("not_english", "pl")),
     ("Türkiye'den Ukrayna'ya insani yardım için yeni bir paket", ("not_english", "tr")),
     ("Германия поставит танки Украине.", ("not_english", "ru")),
     ("Україна отримала допомогу від союзників", ("not_english", "uk")),
     ("北京反对向台湾出售武器", ("not_english", "zh")),
     ("서울은 우크라이나에 대한 입장을 바꾸지 않았다", ("not_english", "ko")),
     ("Η Ελλάδα στέλνει βοήθεια", ("not_english", "el")),
     ("zzqx blorp frumious", ("unknown_words", None))],
)  # fmt: skip
def test_what_the_model_cannot_read_is_flagged(vocabulary, text, expected):
    assert reason_of(text, vocabulary) == expected


@pytest.mark.parametrize(
    "text",
    ["Oslo sent tents.", "Seoul rules out lethal aid", "Al-Shabaab claims El Wak attack",
     "Tshisekedi, Kagame meet in Luanda", "Le Pen's party opposes arms for Kyiv",
     "“We will not send tanks,” the chancellor said in Berlin.",
     "Zelensky thanks Scholz for Leopard tanks, Patriot batteries",
     "The Bundestag voted 416-260 to send Taurus missiles to Kyiv, Der Spiegel reported.",
     "Kyiv: «Допомога» arrived from Warsaw, the ministry said on Monday."],
)  # fmt: skip
def test_english_with_foreign_names_is_not_flagged(vocabulary, text):
    assert reason_of(text, vocabulary) == (None, None)


@pytest.mark.parametrize("path", ["data/statements.jsonl", "tests/fixtures/stress.jsonl"])
def test_no_statement_of_the_corpus_or_the_stress_set_is_flagged(vocabulary, path):
    rows = read_jsonl(ROOT / path)
    flagged = [r["text"] for r in rows if reason_of(r["text"], vocabulary)[0]]
    assert flagged == []


def test_the_letter_class_is_one_pattern_for_python_and_json_schema():
    import re

    assert re.fullmatch(LETTER, "a") and re.fullmatch(LETTER, "ж") and re.fullmatch(LETTER, "한")
    assert not re.search(LETTER, "42 [1,2] … \u200b -- %")
    assert has_letter("Ünal") and not has_letter("٣٤")  # Arabic-Indic digits are not letters
    assert "\\p" not in LETTER  # no Unicode property escapes: ECMA-262 without the u flag


def test_the_model_flags_and_says_why(trained_model):
    german, cyrillic, nonsense, digits = trained_model.predict(
        ["Deutschland liefert Panzer an die Ukraine.", "Германия поставит танки Украине.",
         "zzqx blorp frumious", "42"]
    )  # fmt: skip
    assert (german.review, german.reason, german.language) == (True, "not_english", "de")
    assert (cyrillic.reason, cyrillic.language) == ("not_english", "ru")
    assert (nonsense.review, nonsense.reason, nonsense.language) == (True, "unknown_words", None)
    assert (digits.review, digits.reason) == (True, "no_letters")
    english = trained_model.predict(["Germany will deliver Leopard tanks to Ukraine."])[0]
    assert english.reason in (None, "low_confidence")
    assert english.review == (english.reason is not None)
    assert english.to_dict()["language"] is None
    assert trained_model.explain("Deutschland liefert Panzer an die Ukraine.", 3).reason == (
        "not_english"
    )


def test_low_confidence_is_a_reason_too(trained_model):
    predictions = trained_model.predict(
        [r["text"] for r in read_jsonl(ROOT / "tests/fixtures/stress.jsonl")]
    )
    low = [p for p in predictions if p.confidence < trained_model.review_threshold]
    assert all(p.review and p.reason == "low_confidence" for p in low)
    assert all(not p.review and p.reason is None for p in predictions if p not in low)
