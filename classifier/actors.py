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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifier.clauses import background_mask
from classifier.fastpath import LinearScorer, softmax_list
from classifier.gazetteer import Gazetteer, Mention, tokenize

CLASSES = ("actor", "recipient", "none")
RECIPIENT_THRESHOLD = 0.3
"""The least probability at which the likeliest recipient is named (else null);
chosen on the training folds (see the manifest's ``actors`` figures)."""
IMPLIED_THRESHOLD = 0.25
"""The least probability at which the statement-level recipient model names a recipient
the ranker did not find ("Sweden will send Archer howitzers": Ukraine). Chosen by
3-fold cross-validation on the training rows (recipient accuracy 0.877 at 0.25, 0.876 at
0.3, 0.865 at 0.5: flat below 0.3)."""
RecipientRow = list[float] | Callable[[], list[float]]
"""The recipient model's probabilities for a statement, or a function that gives them."""
NO_RECIPIENT = "none"
"""The recipient model's class for statements that have no recipient."""
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
    implied: bool = False
    """True when the statement does not name this party: the recipient model inferred
    it from the statement's words (the weapons, places, people of one conflict)."""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "probability": self.probability,
                "implied": self.implied}  # fmt: skip


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

    def parties(
        self,
        text: str,
        recipients: RecipientModel | None = None,
        recipient_row: RecipientRow | None = None,
    ) -> tuple[Party | None, Party | None]:
        """The actor and the recipient of a statement (None each when there is none).

        The ranker chooses among the entities named. When it finds no recipient and a
        recipient model (``recipients``, over recipient codes) is given, that may name
        the recipient the statement implies; ``recipient_row`` is its probabilities
        for ``text`` when the caller has them already, or a function that computes them
        (called only if needed)."""
        scored = self.mention_probabilities(text)
        actor, recipient = self.choose(scored)
        if recipient is None and recipients is not None:
            if recipient_row is None:
                recipient_row = recipients.probabilities(text)
            elif callable(recipient_row):
                recipient_row = recipient_row()
            mentioned = {mention.entity.code for mention, _ in scored}
            recipient = recipients.implied(recipient_row, actor, mentioned, self.gazetteer)
        return actor, recipient

    @staticmethod
    def choose(
        mentions: list[tuple[Mention, list[float]]],
    ) -> tuple[Party | None, Party | None]:
        """The actor and the recipient among scored mentions (None each when absent)."""
        best: dict[str, list[float]] = {}
        entities = {}
        for mention, probs in mentions:
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


class RecipientModel:
    """The statement-level recipient model (``training/recipients.py``): a linear scorer
    over recipient codes and :data:`NO_RECIPIENT`, for the recipient a statement implies
    without naming it."""

    def __init__(self, scorer: LinearScorer) -> None:
        if NO_RECIPIENT not in scorer.classes:
            raise ValueError(f"a recipient model needs the class {NO_RECIPIENT!r}")
        self.scorer, self.classes = scorer, list(scorer.classes)

    def probabilities(self, text: str) -> list[float]:
        return softmax_list(self.scorer.scores(text).tolist())

    def implied(
        self, probabilities: list[float], actor: Party | None, mentioned: set[str],
        gazetteer: Gazetteer,
    ) -> Party | None:  # fmt: skip
        """The recipient a statement implies, from its ``probabilities``: the likeliest
        class that is not the actor, if that is a known entity at :data:`IMPLIED_THRESHOLD`
        or above.

        A statement that says little of any conflict gets the corpus's commonest
        recipient ("The ministry said it had nothing to add.": Ukraine, 0.66, flagged
        ``implied``). Requiring the words to make the recipient 1.5 times likelier than
        for an empty text was tried and cost recipient accuracy everywhere it was
        measured (held-out 1.0 point, stress set 0.4): statements about a conflict that
        name neither it nor anything particular to it are common."""
        ranked = sorted(range(len(self.classes)), key=probabilities.__getitem__, reverse=True)
        for j in ranked[:2]:  # the second only when the first is the actor
            code, p = self.classes[j], probabilities[j]
            if actor is not None and code == actor.code:
                continue
            entity = gazetteer.entities.get(code)
            if entity is None or p < IMPLIED_THRESHOLD:
                return None  # NO_RECIPIENT, or not sure enough
            return Party(code, entity.name, round(p, 6), code not in mentioned)
        return None

    def save(self, path: Path) -> None:
        self.scorer.save(path)

    @classmethod
    def load(cls, path: Path) -> RecipientModel:
        return cls(LinearScorer.load(path))
