"""Clause roles: which tokens of a statement are background rather than its main clause.

Real wire copy wraps the actor's own stance in background: aid someone else gave
("..., which Paris delivered last spring"), concessions ("although it had refused
tanks, ..."), time and circumstance ("after Berlin approved Leopards, ..."). A bag of
words adds those words to the actor's own. The analyzer therefore gives the model a
second view of each statement, its main-clause words only (see
:func:`classifier.text.main_clause_tokenize`), beside the full bag, so the logistic
regression can learn how much background words count.

The rules, on the lowercased tokens with their punctuation, deterministic and
cheap (one pass):

* a relative clause after a comma (", which ...", ", who ...", ", whose ...")
  is background up to the next clause punctuation (``, ; : . ! ? ( ) "``);
* a concessive or causal clause ("although", "though", "even though", "because",
  "whereas") is background up to the next clause punctuation, wherever it starts;
* a clause that starts with a temporal or circumstantial word ("after", "before",
  "since", "once", "despite", "amid", "unlike", "while" at the start of the
  sentence, or "as" not followed by "part", "well", "such" ...) is background up to
  the next clause punctuation;
* a sentence-opening background clause that runs to the end of the sentence with
  no comma is not background after all (there was no main clause to set it off
  from: "After talks Berlin sent tanks.").
"""

from __future__ import annotations

CLAUSE_PUNCTUATION = frozenset(', ; : . ! ? ( ) "'.split())
SENTENCE_END = frozenset(". ! ?".split())
RELATIVE = frozenset("which who whom whose".split())
CONCESSIVE = frozenset("although though because whereas".split())
CLAUSE_OPENERS = frozenset("after before since once despite amid unlike".split())
# "as part of", "as well as", "such as", "as promised": not a clause of time or reason
_AS_NOT_A_CLAUSE = frozenset(
    "part well much many far long soon such for to of expected planned promised agreed "
    "announced requested needed necessary usual".split()
)


def _clause_start(tokens: list[str], i: int) -> bool:
    return i == 0 or tokens[i - 1] in CLAUSE_PUNCTUATION or tokens[i - 1] == "even"


def _opens_background(tokens: list[str], i: int) -> bool:
    token = tokens[i]
    if token in CONCESSIVE:
        return True
    if token in RELATIVE:
        return i > 0 and tokens[i - 1] == ","
    if not _clause_start(tokens, i):
        return False
    if token in CLAUSE_OPENERS:
        return True
    if token == "while":
        return i == 0 or tokens[i - 1] in SENTENCE_END or tokens[i - 1] == '"'
    if token == "as":
        return i + 1 < len(tokens) and tokens[i + 1] not in _AS_NOT_A_CLAUSE
    return False


_OPENERS = RELATIVE | CONCESSIVE | CLAUSE_OPENERS | {"while", "as"}


def background_mask(tokens: list[str]) -> list[bool]:
    """For each token, whether it lies in a background clause (see the module rules)."""
    mask = [False] * len(tokens)
    if _OPENERS.isdisjoint(tokens):  # no word that opens one: nothing to scan
        return mask
    i, n = 0, len(tokens)
    while i < n:
        if not _opens_background(tokens, i):
            i += 1
            continue
        start = i
        opens_sentence = start == 0 or tokens[start - 1] in SENTENCE_END
        j = i + 1
        while j < n and tokens[j] not in CLAUSE_PUNCTUATION:
            j += 1
        ran_to_the_end = j == n or tokens[j] in SENTENCE_END
        if not (opens_sentence and ran_to_the_end):
            for k in range(start, j):
                mask[k] = True
        i = j
    return mask
