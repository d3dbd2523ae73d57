"""Whole articles in: sentences with their offsets, which of them state a stance, and
who supports whom across the article.

Sentences come from pysbd (rule-based, nothing to download), which keeps
abbreviations ("U.S.", "Gen.", "Jan. 5") and a quotation of several sentences with
its attribution together. Each sentence's ``[start, end)`` are character offsets
into the original text (``text[start:end]`` is the sentence, exactly). Every
sentence gets the relevance model's probability; those at or above
:data:`RELEVANCE_THRESHOLD` get the full prediction (level, actor, recipient). The
summary has one row per (actor, recipient): the highest level the article states,
and the sentences that state it. A sentence that names no actor (or recipient)
takes the last one named before it in the article, as a reader would ("Its support
has been limited to non-lethal aid" after "Seoul said ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from classifier.actors import Party

if TYPE_CHECKING:
    from classifier.model import Prediction, StanceModel

RELEVANCE_THRESHOLD = 0.5
"""A sentence states a stance from this relevance probability on."""


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of ``text``, white space around it left out."""
    spans, cursor = [], 0
    for piece in _segmenter().segment(text):
        sentence = piece.strip()
        if not sentence:
            continue
        start = text.find(sentence, cursor)
        if start < 0:  # pysbd changed the text (it should not, with clean=False)
            raise ValueError(f"sentence not found in the text at {cursor}: {sentence[:40]!r}")
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    relevance: float | None
    relevant: bool
    prediction: Prediction | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "start": self.start, "end": self.end, "text": self.text,
            "relevance": self.relevance, "relevant": self.relevant,
            "prediction": self.prediction.to_dict() if self.prediction else None,
        }  # fmt: skip


@dataclass(frozen=True)
class SummaryRow:
    actor: Party | None
    recipient: Party | None
    level: int
    label: str
    sentences: list[int]

    def to_dict(self) -> dict[str, Any]:
        def party(p: Party | None) -> dict[str, str] | None:
            return {"code": p.code, "name": p.name} if p else None

        return {"actor": party(self.actor), "recipient": party(self.recipient),
                "level": self.level, "label": self.label, "sentences": self.sentences}  # fmt: skip


@dataclass(frozen=True)
class Article:
    sentences: list[Sentence]
    summary: list[SummaryRow]

    def to_dict(self) -> dict[str, Any]:
        return {"sentences": [s.to_dict() for s in self.sentences],
                "summary": [r.to_dict() for r in self.summary]}  # fmt: skip


def analyze_article(model: StanceModel, text: str) -> Article:
    """Split, screen for relevance, label the relevant sentences, summarise."""
    spans = split_sentences(text)
    texts = [text[start:end] for start, end in spans]
    predictions = model.predict(texts) if texts else []
    sentences = []
    for index, ((start, end), sentence, prediction) in enumerate(zip(spans, texts, predictions)):
        relevance = prediction.relevance
        relevant = relevance is None or relevance >= RELEVANCE_THRESHOLD
        sentences.append(Sentence(index, start, end, sentence, relevance, relevant,
                                  prediction if relevant else None))  # fmt: skip
    return Article(sentences, summarise(sentences))


def _recipient_in_context(said: Party | None, before: Party | None) -> Party | None:
    """A sentence's recipient in its article: the one it names; else the one an earlier
    sentence named (the article's context says more than one sentence's words); else
    the one it implies."""
    if said is not None and not said.implied:
        return said
    return before or said


def summarise(sentences: Sequence[Sentence]) -> list[SummaryRow]:
    """One row per (actor, recipient), in order of first mention: the highest level."""
    rows: dict[tuple[str | None, str | None], SummaryRow] = {}
    actor: Party | None = None
    recipient: Party | None = None
    for sentence in sentences:
        prediction = sentence.prediction
        if prediction is None:
            continue
        actor = prediction.actor or actor
        recipient = _recipient_in_context(prediction.recipient, recipient)
        key = (actor.code if actor else None, recipient.code if recipient else None)
        row = rows.get(key)
        if row is None or prediction.level > row.level:
            rows[key] = SummaryRow(actor, recipient, prediction.level, prediction.label,
                                   [sentence.index])  # fmt: skip
        elif prediction.level == row.level:
            row.sentences.append(sentence.index)
    return list(rows.values())
