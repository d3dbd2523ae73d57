"""Who supports whom: the actor and the recipient among a statement's mentions.

The gazetteer (:mod:`classifier.gazetteer`) finds the candidates; which one is the
actor and which the recipient is learned. Each mention is described by a few
features (its kind and form, its position, the words around it such as "to X",
"X said", "X's", "for X", "against X", whether it lies in a background clause or a
quotation), and a multinomial logistic regression, trained on the ``actor`` and
``recipient`` fields of the corpus (``training/actors.py``), gives each mention a
probability of being the actor, the recipient or neither. An entity's probability
is that of its likeliest mention. The actor is the likeliest actor; the recipient
the likeliest recipient among the other entities, if that is at least
:data:`RECIPIENT_THRESHOLD` (a statement often names no recipient: "Japan will send
more aid").

Served without scikit-learn: the weights are plain arrays (``actors.npz``), the
features strings, scored with a dictionary lookup per feature.
"""

from __future__ import annotations

import io
import json
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifier.clauses import background_mask
from classifier.fastpath import softmax_list
from classifier.gazetteer import Gazetteer, Mention, tokenize

CLASSES = ("actor", "recipient", "none")
RECIPIENT_THRESHOLD = 0.3
"""The least probability at which the likeliest recipient is named (else null);
chosen on the training folds (see the manifest's ``actors`` figures)."""
SPEECH = frozenset(
    "said says told announced stated declared added warned insisted noted confirmed "
    "pledged promised urged called accused denied reported".split()
)
_QUOTES = frozenset('"“”')


@dataclass(frozen=True)
class Party:
    """An actor or a recipient: the entity's code and short name, and how sure."""

    code: str
    name: str
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "probability": self.probability}


def mention_features(tokens: list[str], mentions: list[Mention]) -> list[list[str]]:
    """The features of each mention of one statement (strings, each with value 1)."""
    words = [token.lower() for token in tokens]
    background = background_mask(words)
    n = max(len(words), 1)
    codes = [m.entity.code for m in mentions]
    distinct = len(set(codes))
    quotes = [i for i, word in enumerate(words) if word in _QUOTES]  # inside: odd count before
    rows = []
    for rank, mention in enumerate(mentions):
        first, last = mention.first, mention.last
        p1 = words[first - 1] if first else "<s>"
        p2 = f"{words[first - 2]} {p1}" if first > 1 else f"<s> {p1}"
        n1 = words[last] if last < len(words) else "</s>"
        n2 = f"{n1} {words[last + 1]}" if last + 1 < len(words) else f"{n1} </s>"
        after = words[last : last + 4]
        feature = [
            "bias", f"kind={mention.entity.kind}", f"form={mention.form}",
            f"rank={min(rank, 3)}", f"entities={min(distinct, 4)}",
            f"position={min(int(5 * first / n), 4)}", f"p1={p1}", f"p2={p2}", f"n1={n1}",
            f"n2={n2}", f"form={mention.form}|n1={n1}", f"form={mention.form}|p1={p1}",
        ]  # fmt: skip
        if mention.ambiguous:
            feature.append("ambiguous")
        if rank == len(mentions) - 1:
            feature.append("last")
        if codes.count(mention.entity.code) > 1:
            feature.append("repeated")
        if codes.index(mention.entity.code) == rank:
            feature.append("first_of_entity")
        if background[first]:
            feature.append("background")
        if bisect_left(quotes, first) % 2:
            feature.append("in_quote")
        if SPEECH.intersection(after):
            feature.append("speech_after")
        if first == 0 or words[first - 1] in _QUOTES or words[first - 1] in (":", "-"):
            feature.append("clause_start")
        rows.append(feature)
    return rows


class ActorRanker:
    """The mention classifier's weights and the gazetteer it was trained with."""

    def __init__(
        self,
        gazetteer_entries: list[dict[str, Any]],
        features: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: list[str],
    ) -> None:
        if sorted(classes) != sorted(CLASSES):
            raise ValueError(f"ranker classes {classes} are not {CLASSES}")
        self.gazetteer_entries = gazetteer_entries
        self.gazetteer = Gazetteer(gazetteer_entries)
        self.features = features
        self.coef, self.intercept, self.classes = coef, intercept, list(classes)
        order = [self.classes.index(c) for c in CLASSES]
        columns = coef[order].T.tolist()  # feature -> [actor, recipient, none]
        self._weights = dict(zip(features, columns))
        self._bias = intercept[order].tolist()

    def mention_probabilities(self, text: str) -> list[tuple[Mention, list[float]]]:
        """Each mention and its (actor, recipient, none) probabilities."""
        tokens = tokenize(text)
        mentions = self.gazetteer.mentions(text, tokens)
        if not mentions:
            return []
        get, bias = self._weights.get, self._bias
        out = []
        for mention, feature in zip(mentions, mention_features(tokens, mentions)):
            actor, recipient, none = bias
            for w in map(get, feature):
                if w is not None:
                    actor += w[0]
                    recipient += w[1]
                    none += w[2]
            out.append((mention, softmax_list([actor, recipient, none])))
        return out

    def parties(self, text: str) -> tuple[Party | None, Party | None]:
        """The actor and the recipient a statement names (None when it names none)."""
        best: dict[str, list[float]] = {}
        entities = {}
        for mention, probs in self.mention_probabilities(text):
            code = mention.entity.code
            entities[code] = mention.entity
            seen = best.setdefault(code, [0.0, 0.0])
            seen[0], seen[1] = max(seen[0], probs[0]), max(seen[1], probs[1])
        if not best:
            return None, None
        actor_code = max(best, key=lambda c: best[c][0])
        actor = Party(actor_code, entities[actor_code].name, round(best[actor_code][0], 6))
        others = [c for c in best if c != actor_code]
        if not others:
            return actor, None
        recipient_code = max(others, key=lambda c: best[c][1])
        if best[recipient_code][1] < RECIPIENT_THRESHOLD:
            return actor, None
        entity = entities[recipient_code]
        return actor, Party(recipient_code, entity.name, round(best[recipient_code][1], 6))

    def save(self, path: Path) -> None:
        """Plain arrays and JSON in one ``.npz``: nothing that runs code when loaded."""
        config = {"classes": self.classes, "features": self.features,
                  "gazetteer": self.gazetteer_entries}  # fmt: skip
        buffer = io.BytesIO()
        np.savez(buffer, config=np.frombuffer(json.dumps(config).encode(), dtype=np.uint8),
                 coef=self.coef, intercept=self.intercept)  # fmt: skip
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> ActorRanker:
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(data["config"].tobytes())
            return cls(config["gazetteer"], config["features"], data["coef"], data["intercept"],
                       config["classes"])  # fmt: skip
