"""Training the actor/recipient ranker (:mod:`classifier.actors`) on the corpus.

Every row of ``data/statements.jsonl`` names its actor and recipient in words
("Hungarian President", "Gaza"); ``data/actor_codes.json`` (reviewed) maps each of
those strings to a gazetteer code or to null. Each mention the gazetteer finds in a
row is one example: ``actor`` if its entity is the row's actor, ``recipient`` if it
is the recipient, else ``none``. A multinomial logistic regression over the
mentions' features is fitted on the training rows and measured on the held-out ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from classifier.actor_features import mention_features
from classifier.actors import CLASSES, ActorRanker, Party
from classifier.gazetteer import Gazetteer, tokenize
from training.data import Statement

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "gazetteer.json"
ACTOR_CODES = ROOT / "data" / "actor_codes.json"


def load_codes(path: Path = ACTOR_CODES) -> dict[str, dict[str, str | None]]:
    codes = json.loads(path.read_text(encoding="utf-8"))
    return {"actor": codes["actor"], "recipient": codes["recipient"]}


def gold(
    row: Statement, codes: dict[str, dict[str, str | None]], gazetteer: Gazetteer | None = None
) -> tuple[str | None, str | None]:
    """A row's actor and recipient codes (None when unnamed or not an entity). A name the
    reviewed mapping lacks (another data set's, or a correction's code) is looked up in
    ``gazetteer``: a code as it is, else the one entity it names, if exactly one."""

    def code(field: str) -> str | None:
        name = row.meta.get(field)
        if not isinstance(name, str):
            return None
        if name in codes[field] or gazetteer is None:
            return codes[field].get(name)
        if name in gazetteer.entities:  # a code already (an analyst's correction)
            return name
        found = {m.entity.code for m in gazetteer.mentions(name)}
        return found.pop() if len(found) == 1 else None

    return code("actor"), code("recipient")


def examples(
    rows: Sequence[Statement], gazetteer: Gazetteer, codes: dict[str, dict[str, str | None]],
    drop: tuple[str, ...] = (),
) -> tuple[list[dict[str, int]], list[str]]:  # fmt: skip
    """Each mention of ``rows`` as features and its label; features that start with one
    of ``drop`` are left out (an ablation: a ranker that never saw them ignores them)."""
    features, labels = [], []
    for row in rows:
        actor, recipient = gold(row, codes, gazetteer)
        if actor is not None and actor == recipient:
            continue  # "Ukraine for Ukraine": no ranking to learn
        tokens = tokenize(row.text)
        mentions = gazetteer.mentions(row.text, tokens)
        for mention, feature in zip(mentions, mention_features(tokens, mentions)):
            code = mention.entity.code
            labels.append(
                "actor" if code == actor else "recipient" if code == recipient else "none"
            )
            if drop:
                feature = [f for f in feature if not f.startswith(drop)]
            features.append(dict.fromkeys(feature, 1))
    return features, labels


def fit_ranker(
    rows: Sequence[Statement], gazetteer_path: Path = GAZETTEER, codes_path: Path = ACTOR_CODES,
    drop: tuple[str, ...] = (),
) -> ActorRanker:  # fmt: skip
    """The ranker fitted on the mentions of ``rows`` (``drop``: see :func:`examples`)."""
    entries = json.loads(gazetteer_path.read_text(encoding="utf-8"))
    gazetteer, codes = Gazetteer(entries), load_codes(codes_path)
    features, labels = examples(rows, gazetteer, codes, drop)
    if len(set(labels)) < len(CLASSES):
        raise ValueError("the ranker needs actor, recipient and other mentions to learn from")
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(features)
    model = LogisticRegression(C=1.0, max_iter=3000, random_state=0).fit(matrix, labels)
    return ActorRanker(entries, list(vectorizer.get_feature_names_out()), model.coef_.copy(),
                       model.intercept_.copy(), [str(c) for c in model.classes_])  # fmt: skip


def evaluate_parties(
    parties: Callable[[str], tuple[Party | None, Party | None]],
    gazetteer: Gazetteer,
    rows: Sequence[Statement],
    codes_path: Path = ACTOR_CODES,
) -> dict[str, Any]:
    """Exact-code accuracy of the actor and the recipient ``parties`` gives on ``rows``
    (null counts: a row whose recipient has no code is right only when none is
    predicted); also on the rows whose gold entity is mentioned, and how many are."""
    codes = load_codes(codes_path)
    if not any("actor" in row.meta or "recipient" in row.meta for row in rows):
        return {"rows": len(rows), "note": "the rows name no actor or recipient"}
    right = {"actor": 0, "recipient": 0}
    named = {"actor": [0, 0], "recipient": [0, 0]}  # rows whose gold entity is mentioned
    for row in rows:
        truth = dict(zip(("actor", "recipient"), gold(row, codes, gazetteer)))
        actor, recipient = parties(row.text)
        mentioned = {m.entity.code for m in gazetteer.mentions(row.text)}
        for field, party in (("actor", actor), ("recipient", recipient)):
            ok = (party.code if party else None) == truth[field]
            right[field] += ok
            if truth[field] in mentioned:
                named[field][0] += ok
                named[field][1] += 1
    count = max(len(rows), 1)
    return {
        "rows": len(rows),
        "actor_accuracy": round(right["actor"] / count, 4),
        "recipient_accuracy": round(right["recipient"] / count, 4),
        "actor_accuracy_when_named": round(named["actor"][0] / max(named["actor"][1], 1), 4),
        "recipient_accuracy_when_named": round(
            named["recipient"][0] / max(named["recipient"][1], 1), 4
        ),
        "actor_named_share": round(named["actor"][1] / count, 4),
        "recipient_named_share": round(named["recipient"][1] / count, 4),
    }
