"""The features of each gazetteer mention that the actor ranker (:mod:`classifier.actors`)
weighs: strings, each with value 1.

Three groups, each measured by an ablation on the held-out rows and the two blind
stress sets (``training/experiments/ranker_features.py``):

- the mention itself: its entity's kind, the form of the alias (name, demonym, seat,
  leader), its rank and position, whether it is repeated, in a background clause, in a
  quotation, at a clause's start, followed by a verb of speech;
- the entity: ``code=UKR``. Some parties are mostly recipients in conflict news and
  others mostly donors; the weight is the ranker's prior for that entity, which the
  context features then overrule ("Ukraine will send grain to Sudan");
- the words around it: the one and two words before and after, and bags of the four
  words on each side ("to X", "X said", "X's", "for X", "against X", "X will send").

The words between a mention and the nearest other party ("X *will send tanks to* Y")
were tried as a fourth group and left out: they gained 0.3 points of actor and 0.2 of
recipient accuracy on the held-out rows and 0.2 each on the blind stress set, and
cost 1.3 and 1.5 on the blind parties set.
"""

from __future__ import annotations

from bisect import bisect_left

from classifier.clauses import background_mask
from classifier.gazetteer import Mention

SPEECH = frozenset(
    "said says told announced stated declared added warned insisted noted confirmed "
    "pledged promised urged called accused denied reported".split()
)
QUOTES = frozenset('"“”')
WINDOW = 4
"""Words on each side of a mention in its bags of context words."""


def mention_features(tokens: list[str], mentions: list[Mention]) -> list[list[str]]:
    """The features of each mention of one statement."""
    words = [token.lower() for token in tokens]
    background = background_mask(words)
    n = max(len(words), 1)
    codes = [m.entity.code for m in mentions]
    distinct = len(set(codes))
    quotes = [i for i, word in enumerate(words) if word in QUOTES]  # inside: odd count before
    rows = []
    for rank, mention in enumerate(mentions):
        first, last, code = mention.first, mention.last, mention.entity.code
        p1 = words[first - 1] if first else "<s>"
        p2 = f"{words[first - 2]} {p1}" if first > 1 else f"<s> {p1}"
        n1 = words[last] if last < len(words) else "</s>"
        n2 = f"{n1} {words[last + 1]}" if last + 1 < len(words) else f"{n1} </s>"
        after = words[last : last + WINDOW]
        feature = [
            "bias", f"kind={mention.entity.kind}", f"form={mention.form}", f"code={code}",
            f"rank={min(rank, 3)}", f"entities={min(distinct, 4)}",
            f"position={min(int(5 * first / n), 4)}", f"p1={p1}", f"p2={p2}", f"n1={n1}",
            f"n2={n2}", f"form={mention.form}|n1={n1}", f"form={mention.form}|p1={p1}",
        ]  # fmt: skip
        feature += ["L=" + word for word in words[max(0, first - WINDOW) : first]]
        feature += ["R=" + word for word in after]
        if mention.ambiguous:
            feature.append("ambiguous")
        if rank == len(mentions) - 1:
            feature.append("last")
        if codes.count(code) > 1:
            feature.append("repeated")
        if codes.index(code) == rank:
            feature.append("first_of_entity")
        if background[first]:
            feature.append("background")
        if bisect_left(quotes, first) % 2:
            feature.append("in_quote")
        if SPEECH.intersection(after):
            feature.append("speech_after")
        if first == 0 or words[first - 1] in QUOTES or words[first - 1] in (":", "-"):
            feature.append("clause_start")
        rows.append(feature)
    return rows
