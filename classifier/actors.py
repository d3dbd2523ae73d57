"""Who supports whom: the actor and the recipient among a statement's mentions.

The gazetteer (:mod:`classifier.gazetteer`) finds the candidates; which one is the
actor and which the recipient is learned. Each mention is described by its features
(:mod:`classifier.actor_features`: its kind, form and position, its entity, the words
around it such as "to X", "X said", "X's", "for X", "against X", whether it lies in a
background clause or a quotation), and a multinomial logistic regression, trained on
the ``actor`` and ``recipient`` fields of the corpus (``training/actors.py``), gives
each mention a probability of being the actor, the recipient or neither. An entity's probability
is that of its likeliest mention. The actor and the recipient are chosen together:
the pair of two different entities whose probabilities' product is highest, where
"no actor named" counts as :data:`ACTOR_THRESHOLD` and "no recipient named" as
:data:`RECIPIENT_THRESHOLD` (a statement often names no recipient, "Japan will send
more aid", and sometimes only the recipient, "Ukraine will receive more F-16s").

Served without scikit-learn: the weights are plain arrays (``actors.npz``), the
features strings, scored with a dictionary lookup per feature.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifier.actor_features import mention_features
from classifier.fastpath import LinearScorer, softmax_list
from classifier.gazetteer import Gazetteer, Mention, tokenize
from classifier.requests import recipient_asks

CLASSES = ("actor", "recipient", "none")
ACTOR_THRESHOLD = 0.05
"""What "the statement names no actor" weighs against a named entity's actor probability
in the joint choice. 3-fold cross-validation on the training rows (ranker and recipient
model refitted per fold; ``training/experiments/ranker_features.py``), with the
recipient threshold at 0.3: actor / recipient accuracy 0.932 / 0.876 with no such
option (the likeliest entity always the actor), 0.935 / 0.888 at 0.02, 0.935 / 0.890
at 0.05, 0.934 / 0.891 at 0.1, 0.931 / 0.892 at 0.2."""
RECIPIENT_THRESHOLD = 0.3
"""What "the statement names no recipient" weighs in the joint choice: the least
recipient probability at which a named entity is the recipient. The same
cross-validation: recipient accuracy 0.887 at 0.2, 0.890 at 0.3, 0.888 at 0.4."""
IMPLIED_THRESHOLD = 0.25
"""The least probability at which the statement-level recipient model names a recipient
the ranker did not find ("Sweden will send Archer howitzers": Ukraine). Chosen by
3-fold cross-validation on the training rows (recipient accuracy 0.877 at 0.25, 0.876 at
0.3, 0.865 at 0.5: flat below 0.3)."""
RecipientRow = list[float] | Callable[[], list[float]]
"""The recipient model's probabilities for a statement, or a function that gives them."""
NO_RECIPIENT = "none"
"""The recipient model's class for statements that have no recipient."""


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
        self._last: tuple[str, list[str], list[Mention]] = ("", [], [])
        order = [self.classes.index(c) for c in CLASSES]
        columns = coef[order].T.tolist()  # feature -> [actor, recipient, none]
        self._weights = dict(zip(features, columns))
        self._bias = intercept[order].tolist()

    def mention_probabilities(self, text: str) -> list[tuple[Mention, list[float]]]:
        """Each mention and its (actor, recipient, none) probabilities."""
        tokens, mentions = self._mentions(text)
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

    def _mentions(self, text: str) -> tuple[list[str], list[Mention]]:
        """The tokens and mentions of ``text``, the last statement's kept for
        :meth:`recipient_asks` (one tuple, replaced whole: safe across threads)."""
        last = self._last
        if last[0] == text:
            return last[1], last[2]
        tokens = tokenize(text)
        mentions = self.gazetteer.mentions(text, tokens)
        self._last = (text, tokens, mentions)
        return tokens, mentions

    def recipient_asks(self, text: str, actor: Party | None, recipient: Party | None) -> bool:
        """Whether ``text`` is the named recipient's request to the actor
        (:mod:`classifier.requests`)."""
        if actor is None or recipient is None or recipient.implied:
            return False
        tokens, mentions = self._mentions(text)
        return recipient_asks(tokens, mentions, actor.code, recipient.code)

    def parties(
        self,
        text: str,
        recipients: RecipientModel | None = None,
        recipient_row: RecipientRow | None = None,
        thresholds: tuple[float, float] = (ACTOR_THRESHOLD, RECIPIENT_THRESHOLD),
    ) -> tuple[Party | None, Party | None]:
        """The actor and the recipient of a statement (None each when there is none).

        The ranker chooses among the entities named. When it finds no recipient and a
        recipient model (``recipients``, over recipient codes) is given, that may name
        the recipient the statement implies; ``recipient_row`` is its probabilities
        for ``text`` when the caller has them already, or a function that computes them
        (called only if needed). ``thresholds`` are :meth:`choose`'s (for experiments)."""
        scored = self.mention_probabilities(text)
        actor, recipient = self.choose(scored, *thresholds)
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
        actor_threshold: float = ACTOR_THRESHOLD,
        recipient_threshold: float = RECIPIENT_THRESHOLD,
    ) -> tuple[Party | None, Party | None]:
        """The actor and the recipient among scored mentions (None each when absent):
        the two different entities (or "none named", weighing the thresholds) whose
        probabilities' product is highest, an entity's probability being its likeliest
        mention's."""
        best: dict[str, list[float]] = {}
        entities = {}
        for mention, probs in mentions:
            code = mention.entity.code
            entities[code] = mention.entity
            seen = best.setdefault(code, [0.0, 0.0])
            seen[0], seen[1] = max(seen[0], probs[0]), max(seen[1], probs[1])
        if not best:
            return None, None
        top, actor_code, recipient_code = -1.0, None, None
        for a in [*best, None]:
            p_actor = actor_threshold if a is None else best[a][0]
            r, p_recipient = None, recipient_threshold
            for code, (_, p) in best.items():
                if code != a and p > p_recipient:
                    r, p_recipient = code, p
            if p_actor * p_recipient > top:
                top, actor_code, recipient_code = p_actor * p_recipient, a, r

        def party(code: str | None, column: int) -> Party | None:
            if code is None:
                return None
            return Party(code, entities[code].name, round(best[code][column], 6))

        return party(actor_code, 0), party(recipient_code, 1)

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
