"""Whole articles: sentences and offsets, relevance, levels, who supports whom, on the
team's own articles (tests/fixtures/articles.jsonl, written blind: never trained on)."""

from __future__ import annotations

import itertools

import pytest

from classifier.articles import analyze_article, split_sentences
from tests.helpers import ROOT, read_jsonl

ARTICLES = read_jsonl(ROOT / "tests/fixtures/articles.jsonl")


def aligned(article: dict, result) -> list[tuple[dict, object]]:
    """Each gold sentence with the found sentence that contains its start."""
    pairs, cursor = [], 0
    for gold in article["sentences"]:
        start = article["text"].index(gold["text"], cursor)
        cursor = start + len(gold["text"])
        pairs.append((gold, next(s for s in result.sentences if s.start <= start < s.end)))
    return pairs


@pytest.fixture(scope="module")
def results(full_model):
    return [analyze_article(full_model, a["text"]) for a in ARTICLES]


@pytest.mark.parametrize("article", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_offsets_cut_the_original_text_exactly(article):
    text = article["text"]
    spans = split_sentences(text)
    assert all(text[start:end].strip() == text[start:end] != "" for start, end in spans)
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_abbreviations_and_quotes_do_not_cut_a_sentence():
    text = ('The U.S. envoy, Gen. J. Smith, arrived at 9 a.m. on Jan. 5 with $1.5 billion. '
            '"We will help. We always have," he said. Dr. Lee left.')  # fmt: skip
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "The U.S. envoy, Gen. J. Smith, arrived at 9 a.m. on Jan. 5 with $1.5 billion.",
        '"We will help. We always have," he said.',
        "Dr. Lee left.",
    ]


def test_the_seoul_article(full_model):
    """The project's founding article, rewritten: the invitation, the unchanged stance,
    the non-lethal limit and the coalition's aim are found, with their levels and
    parties; the tour, the biography, the summit logistics and the tank bid are not."""
    article = next(a for a in ARTICLES if a["id"] == "a01")
    result = analyze_article(full_model, article["text"])
    found = {gold["text"][:30]: (gold, sentence) for gold, sentence in aligned(article, result)}
    for opening, (label, actor, recipient) in {
        "Latvia's foreign minister on W": ("lethal", "LVA", "UKR"),
        "South Korea's Foreign Ministry": ("neutral", "KOR", "UKR"),
        "Its support has so far been li": ("non_lethal", None, "UKR"),  # implied by its words
        "The drone coalition, launched ": ("lethal", "LVA", "UKR"),
    }.items():
        gold, sentence = found[opening]
        assert sentence.relevant, opening
        prediction = sentence.prediction
        assert prediction.label == label == gold["label"], opening
        assert (prediction.actor.code if prediction.actor else None) == actor, opening
        assert (prediction.recipient.code if prediction.recipient else None) == recipient
        assert prediction.recipient.implied == (opening == "Its support has so far been li")
    background = ("Ozolina, a former diplomat who", "Her visit coincided with a bid",
                  "Latvia, a country of about 1.9", "Ozolina is due to meet the spe")  # fmt: skip
    for opening in background:
        gold, sentence = found[opening]
        assert not gold["relevant"] and not sentence.relevant and sentence.prediction is None
    summary = {(r.actor.code if r.actor else None, r.recipient.code if r.recipient else None):
               r for r in result.summary}  # fmt: skip
    assert summary["LVA", "UKR"].label == "lethal"
    assert summary["KOR", "UKR"].level in (1, 3)  # unchanged stance; limited to non-lethal aid
    assert 3 in summary["KOR", "UKR"].sentences or 2 in summary["KOR", "UKR"].sentences


def test_over_all_the_articles(results):
    """Floors a little under what this model measures on the 32 articles (420
    sentences), so a change that makes article reading worse fails here (the shipped
    model: actors 0.85, recipients 0.78 of the relevant sentences)."""
    relevance_right = labels_right = actors_right = recipients_right = relevant = total = 0
    for article, result in zip(ARTICLES, results):
        for gold, sentence in aligned(article, result):
            total += 1
            relevance_right += sentence.relevant == gold["relevant"]
            if gold["relevant"] and sentence.prediction is not None:
                relevant += 1
                prediction = sentence.prediction
                labels_right += prediction.label == gold["label"]
                actors_right += (prediction.actor.code if prediction.actor else None) == gold[
                    "actor"
                ]
                # the recipient a reader gives the sentence: the one it names, else the
                # article's (what the corpus labels); implied recipients count here
                recipients_right += (
                    prediction.recipient.code if prediction.recipient else None
                ) == (gold["recipient"] or gold.get("recipient_context"))
    assert total == 420
    assert relevance_right / total >= 0.80
    assert labels_right / relevant >= 0.68
    assert actors_right / relevant >= 0.80
    assert recipients_right / relevant >= 0.74


def test_an_article_without_stance_has_an_empty_summary(full_model):
    result = analyze_article(full_model, "The minister arrived in Tokyo on Monday. "
                             "Heavy rain delayed her motorcade by an hour.")  # fmt: skip
    assert [s.relevant for s in result.sentences] == [False, False]
    assert result.summary == []
