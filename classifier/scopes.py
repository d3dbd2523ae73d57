"""Negation, condemnation and hypothetical scopes over tokens, and Snowball stems.

Why not ``nltk.sentiment.util.mark_negation``: it only matches lowercase cues,
ends a scope only at a standalone ``.:;!?`` token (not at a comma, "but" or
"while"), and knows neither "without", "neither", "nor" nor the verbs of refusal
("ruled out", "declined to", "refused to", "denied", "rejected") that carry most
negation in diplomatic language. The rules here are written for that language:

* a cue opens a scope; the words after it, up to :data:`SCOPE_LIMIT` of them, get
  the ``_neg`` suffix ("will not send weapons" -> ``will not send_neg weapon_neg``);
* a scope ends at punctuation (but not at a comma that goes on with the list:
  "no weapons, such as drones or missiles"), at a contrastive word ("but", "while", "instead",
  "only"...), and at "and"/"or" when a new verb phrase starts ("and will", "or has");
* "not only", "not just", "not least" are not negations;
* a stop verb ("suspend", "halt", "stop", "freeze", "withhold") is itself a cue,
  but right after a negation (within three words) it cancels it: "will not
  suspend arms sales" keeps ``arm sale`` positive, since the arms keep flowing,
  while in "has not urged Berlin to stop deliveries" the negation goes on;
* a cue inside a scope is itself marked: "will not veto" gives ``veto_neg``,
  which the model can learn apart from a plain "veto";
* two-word cues: "ruled out", "instead of", "rather than";
* a stop verb pressed on others ("urged Berlin to halt deliveries", "demanded that
  Warsaw stop its shipments") opens a condemnation scope, not a negation: by rule 8
  that actor is ``opposed``, while one halting its own deliveries is ``neutral``.

A second kind of scope follows verbs of condemnation ("condemned", "denounced",
"protested", "criticised"): by rule 1 of the guide, weapons named in a
condemnation of others' deliveries are not the actor's own support, so
"Moscow condemned the delivery of tanks" gives ``deliveri_opp tank_opp``, not
the ``tank`` of "Berlin delivered tanks". Inside a negation such a verb is just
negated ("did not condemn" keeps the negation scope going).

A third kind follows conditional and hypothetical words (rule 4: "could send",
"is considering", "if", "may"): ``_hyp``, since what is only considered is not
given. "delivered 30 howitzers and might send more" keeps ``howitz`` plain.

Some negations deny what came before them: "Norway's military aid will not
continue", "arms sales to Riyadh were suspended". A negation right before
"continue"/"resume"/"arrive", and a stop verb in the passive (or a perfect that
ends the clause: "the programme has ended."), mark
the clause so far (up to :data:`SCOPE_LIMIT` words back) as negated.
"""

from __future__ import annotations

import re

from classifier.cues import (
    CONDEMN,
    DIRECTIVE,
    END,
    HYPO,
    NEGATE,
    PUNCT,
    STOP,
    cue_table,
    pair_table,
)
from classifier.nltk_parts import SnowballStemmer

NEGATION_SUFFIX = "_neg"
CONDEMNATION_SUFFIX = "_opp"
HYPOTHETICAL_SUFFIX = "_hyp"
SCOPE_LIMIT = 10
NUMBER_TOKEN = "<num>"

_NUMBER_RE = re.compile(r"^\d[\d.,]*(?:s)?$")
_STEMMER = SnowballStemmer("english")

# What each cue does (classifier/cues.py); a word that is not there is an ordinary word.
_NEGATE, _STOP, _END, _CONDEMN, _HYPO, _PUNCT = NEGATE, STOP, END, CONDEMN, HYPO, PUNCT
_DIRECTIVE = DIRECTIVE

CUES: dict[str, str] = cue_table()
# Second word of a two-word cue: the first words that make it one, and the cue's kind.
_TWO_WORD_CUES: dict[str, dict[str, str]] = pair_table()
DISABLED: frozenset[str] = frozenset()
"""The cue families switched off (only ever set by :func:`configure`, for ablations)."""


def configure(disabled: frozenset[str] = frozenset()) -> None:
    """Switch cue families off (ablation experiments only; the shipped analyzer has all).

    A model records the analyzer's fingerprint, which changes with this, so a model
    trained with families off is refused by an analyzer with them on.
    """
    global CUES, _TWO_WORD_CUES, DISABLED
    CUES, _TWO_WORD_CUES, DISABLED = cue_table(disabled), pair_table(disabled), disabled
    _word_cache.clear()


# "not only tanks but also jets" negates nothing.
_NOT_NEGATED_BY = {"only", "just", "merely", "least", "simply"}
# "and will send", "or has delivered": a new verb phrase ends the scope.
_NEW_CLAUSE = frozenset(
    (
        "will would shall should has have had is are was were can could may might must "
        "plans pledged promised announced approved agreed offered provided delivered "
        "sent said says added committed"
    ).split()
)
# After a comma, these words continue the negated list: "no weapons, such as ...".
_LIST_GOES_ON = frozenset("such including or nor let like notably".split())

_SUFFIXES = {_CONDEMN: CONDEMNATION_SUFFIX, _HYPO: HYPOTHETICAL_SUFFIX}
_MARKED = (NEGATION_SUFFIX, CONDEMNATION_SUFFIX, HYPOTHETICAL_SUFFIX)
# A negation right before these denies the clause's subject: "the aid will not continue".
_AFTER_SUBJECT = frozenset(
    "continue continues resume resumes proceed proceeds last arrive arrives materialise "
    "materialize materialises materializes".split()
)
# A stop verb right after these is passive: "deliveries were suspended".
_PASSIVE = frozenset("is are was were be been being".split())
_PERFECT = frozenset("has have had".split())
# Cues that, inside a negation, are negated words rather than new scopes.
_WITHIN_NEGATION = frozenset((_CONDEMN, _HYPO))
# A stop verb cancels a negation only this close to it ("will not be suspended");
# further away it is another clause's ("has not urged Berlin to stop deliveries").
_STOP_REACH = SCOPE_LIMIT - 3
# A stop verb this close after "urged"/"demanded" is what others are pressed to stop.
_DIRECTIVE_REACH = 8
# ... except an end: "called for an end to the war" is a call for talks (rule 10).
_NOT_DIRECTED = frozenset("end ended ends ending".split())
_CONJ = "conj"  # "and"/"or": ends a scope when a new verb phrase follows
_PAIRED = "paired"  # second word of a two-word cue ("out" in "ruled out")

_word_cache: dict[str, tuple[str, str | None]] = {}


def stem(token: str) -> str:
    """Snowball stem of one lowercase token (numbers folded to one token)."""
    if _NUMBER_RE.match(token):
        return NUMBER_TOKEN
    if token.endswith("n't"):
        return "not"
    return _STEMMER.stem(token)


def _word(token: str) -> tuple[str, str | None]:
    """A token's stem and cue kind, computed once per distinct token and cached:
    the vocabulary of news text is small, so this is what makes the analyzer fast."""
    info = _word_cache.get(token)
    if info is None:
        kind = CUES.get(token)
        if kind is None:
            if token.endswith("n't"):
                kind = _NEGATE
            elif token in _TWO_WORD_CUES:
                kind = _PAIRED
            elif token in ("and", "or"):
                kind = _CONJ
        info = (stem(token), kind)
        if len(_word_cache) < 500_000:  # bounded: hostile input cannot grow it forever
            _word_cache[token] = info
    return info


def _denies_subject(tokens: list[str], i: int) -> bool:
    """Whether the stop verb at ``i`` stops its subject: passive ("were suspended"),
    or perfect with nothing after it ("the programme has ended.")."""
    if tokens[i].endswith("ing"):  # "is suspending": progressive, not passive
        return False
    before = tokens[i - 1]
    if before in _PASSIVE:
        return True
    return before in _PERFECT and _clause_ends(tokens, i)


def _clause_ends(tokens: list[str], i: int) -> bool:
    return i + 1 == len(tokens) or CUES.get(tokens[i + 1]) == _PUNCT


def _negate_back(features: list[str], clause_start: int, suffix: str = NEGATION_SUFFIX) -> None:
    """Mark the clause so far as negated: its subject is what the negation denies."""
    for j in range(max(clause_start, len(features) - SCOPE_LIMIT), len(features)):
        if not features[j].endswith(_MARKED):
            features[j] += suffix


def mark_tokens(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Stem ``tokens`` and mark the ones inside a negation or condemnation scope.

    Returns the features and, for each feature, the index of the token it came
    from (punctuation is dropped, so the two lists are shorter than ``tokens``).
    """
    features: list[str] = []
    positions: list[int] = []
    add, at = features.append, positions.append
    scope = 0  # words left in the open scope
    suffix = NEGATION_SUFFIX  # the open scope's mark
    negated_by_particle = False
    clause_start = 0  # index in ``features`` where the current clause began
    directed_until = -1  # a stop verb up to this token is pressed on others ("urged ... to halt")
    directed_from = 0  # feature index after the directive verb
    n = len(tokens)
    for i, token in enumerate(tokens):
        stemmed, kind = _word_cache.get(token) or _word(token)
        if kind is None:  # the common case: an ordinary word
            if scope:
                add(stemmed + suffix)
                scope -= 1
            else:
                add(stemmed)
            at(i)
            continue
        if kind == _PUNCT:
            if token != "," or i + 1 == n or tokens[i + 1] not in _LIST_GOES_ON:
                scope = 0
                clause_start = len(features)
                directed_until = -1
            elif scope:
                scope = SCOPE_LIMIT  # the list goes on, and so does the scope
            continue
        verb = i
        if kind == _CONJ:
            if i + 1 < n and tokens[i + 1] in _NEW_CLAUSE:
                scope = 0
                clause_start = len(features)
                directed_until = -1
            kind = None
        elif kind == _DIRECTIVE:
            if not (scope and suffix == NEGATION_SUFFIX):  # "did not urge" presses nobody
                directed_until, directed_from = i + _DIRECTIVE_REACH, len(features) + 1
            kind = None
        elif kind == _PAIRED:  # "ruled out", "held back": the cue's verb is the word before
            kind = _TWO_WORD_CUES[token].get(tokens[i - 1]) if i else None
            verb = i - 2 if token == "hold" else i - 1  # "(were) put on hold"
        elif kind == _NEGATE and i + 1 < n and tokens[i + 1] in _NOT_NEGATED_BY:
            kind = None  # "not only"
        negating = scope and suffix == NEGATION_SUFFIX
        directed = (
            kind == _STOP and not negating and i <= directed_until and token not in _NOT_DIRECTED
        )
        if kind is None or (kind in _WITHIN_NEGATION and negating):
            # an ordinary word, or "did not condemn": the negation goes on
            add(stemmed + suffix if scope else stemmed)
            scope = max(scope - 1, 0)
        elif kind == _END:
            scope = 0
            clause_start = len(features)
            directed_until = -1
            add(stemmed)
        elif kind == _STOP and negating and negated_by_particle and scope > _STOP_REACH:
            add(stemmed + NEGATION_SUFFIX)
            scope = 0  # "will not suspend", "never stopped": the flow goes on
        elif (
            kind == _STOP
            and not negating
            and verb
            and (_denies_subject(tokens, verb) or (token == "hold" and _clause_ends(tokens, i)))
        ):  # "arms sales were suspended", "put deliveries on hold."
            if directed:  # "demanded that the deliveries be halted"
                _negate_back(features, max(clause_start, directed_from), CONDEMNATION_SUFFIX)
            else:
                _negate_back(features, clause_start)  # "arms sales were suspended"
            add(stemmed)
            scope = 0
        else:  # a cue opens a scope; one inside a negation is itself negated ("not veto")
            if kind == _NEGATE and i + 1 < n and tokens[i + 1] in _AFTER_SUBJECT:
                _negate_back(features, clause_start)  # "the aid will not continue"
            add(stemmed + NEGATION_SUFFIX if negating else stemmed)
            scope = SCOPE_LIMIT
            suffix = CONDEMNATION_SUFFIX if directed else _SUFFIXES.get(kind, NEGATION_SUFFIX)
            negated_by_particle = kind == _NEGATE
        at(i)
    return features, positions
