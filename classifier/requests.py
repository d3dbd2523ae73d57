"""Rule 5 of the annotation guide with the parties in view: a request made by the
recipient commits nobody.

"Kyiv urged Seoul to send artillery shells" is ``neutral`` (the asked party has given
nothing), while "Latvia urged Seoul to send artillery shells" is ``lethal`` (an actor
that urges others to send weapons states its own stance at that level). The words are
the same but for who is asking, which the stance model cannot see and the actor ranker
can: when the recipient is named before the actor with a verb of asking between them
("Ukrainian officials have for months urged Seoul to ...", "Armenia appealed to France
for ..."), the statement is the recipient's request. Its support levels above
``neutral`` are then read as what was asked for, and their probability is moved to
``neutral``; ``opposed`` keeps its own ("Kyiv urged Budapest to lift its veto" still
reports the veto).

Measured on statements the rule was not written from (2026-12-03): on the corpus's
held-out split it applies to 24 statements, all ``neutral`` by their labels, of which
the stance model alone had 16 right and 24 with the rule (held-out macro-F1 0.848 ->
0.851); on the blind stress set to 6, all 6 already right and unchanged; the blind
parties set and real_dev are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifier.gazetteer import Mention, tokenize

ASKING = frozenset(
    "urged urges urging asked asks asking appealed appeals appealing pressed presses "
    "pressing requested requests requesting pleaded pleads pleading begged begs implored "
    "lobbied lobbies lobbying called calls calling".split()
)
NEUTRAL = 1
"""The level of ``neutral`` on the scale (``opposed`` is 0)."""


def recipient_asks(
    tokens: Sequence[str], mentions: Sequence[Mention], actor: str, recipient: str
) -> bool:
    """True when the first mention of ``recipient`` comes before the first of ``actor``
    with a verb of asking between them."""
    first: dict[str, Mention] = {}
    for mention in mentions:
        first.setdefault(mention.entity.code, mention)
    asker, asked = first.get(recipient), first.get(actor)
    if asker is None or asked is None or asker.first > asked.first:
        return False
    return any(token.lower() in ASKING for token in tokens[asker.last : asked.first])


def may_ask(text: str) -> bool:
    """Whether ``text`` has a verb of asking, as :func:`recipient_asks` reads its tokens:
    without one it is no request, and a caller that needs no parties can skip the ranker."""
    return any(token.lower() in ASKING for token in tokenize(text))


def as_request(probabilities: Sequence[float]) -> list[float]:
    """Probabilities in scale order with the mass above ``neutral`` moved to it."""
    folded = list(probabilities[: NEUTRAL + 1])
    folded[NEUTRAL] += sum(probabilities[NEUTRAL + 1 :])
    return folded + [0.0] * (len(probabilities) - NEUTRAL - 1)
