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
* two-word cues: "ruled out", "instead of", "rather than".

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

from classifier.nltk_parts import SnowballStemmer

NEGATION_SUFFIX = "_neg"
CONDEMNATION_SUFFIX = "_opp"
HYPOTHETICAL_SUFFIX = "_hyp"
SCOPE_LIMIT = 10
NUMBER_TOKEN = "<num>"

_NUMBER_RE = re.compile(r"^\d[\d.,]*(?:s)?$")
_STEMMER = SnowballStemmer("english")

# What each cue does; a word that is not here is an ordinary word.
_NEGATE = "negate"  # opens a scope
_STOP = "stop"  # opens a scope, or closes one it finds open (double negation)
_END = "end"  # closes a scope
_CONDEMN = "condemn"  # opens a condemnation scope
_HYPO = "hypothetical"  # opens a hypothetical scope
_PUNCT = "punct"  # closes a scope and is not a feature

_PARTICLES = (
    "not no never none nothing nobody nowhere neither nor without cannot "
    "refuse refused refuses refusing refusal decline declined declines declining "
    "reject rejected rejects rejecting rejection deny denied denies denying denial "
    "fail failed fails unwilling "
    # acting against what others give: "blocked the aid package" does not give aid
    "block blocked blocks blocking veto vetoed vetoes vetoing "
    "prevent prevented prevents preventing bar barred bars barring "
    "refrain refrained refrains refraining rebuff rebuffed rebuffs"
)
# Conditional, hypothetical or under review (rule 4): not a commitment. Not "would"
# (reported speech: "said it would send tanks" is a pledge) nor "may" (the month).
_HYPOTHETICAL = (
    "could might if unless whether consider considers considered considering "
    "mull mulls mulled mulling weigh weighs weighed weighing study studies studying "
    "explore explores explored exploring option options possible possibly potential"
)
# Speaking against something: what follows is the target, not the actor's support.
_CONDEMN_VERBS = (
    "condemn condemned condemns condemning condemnation denounce denounced denounces "
    "denouncing protest protested protests protesting criticise criticised criticises "
    "criticising criticize criticized criticizes criticizing criticism slam slammed slams "
    "deplore deplored deplores decry decried decries oppose opposed opposes opposing "
    "opposition object objected objects objecting objection objections warn warned warns"
)
# Stopping one's own flow of support; negated, the flow goes on.
_STOP_VERBS = (
    "suspend suspended suspends suspending suspension halt halted halts halting "
    "stop stopped stops stopping freeze froze frozen freezes freezing "
    "withhold withheld withholds withholding cease ceased ceases ceasing "
    "restrict restricted restricts restricting ban banned bans banning "
    "withdraw withdrew withdrawn withdraws withdrawing cancel cancelled canceled cancels "
    "cancelling scrap scrapped scraps shelve shelved shelves shelving postpone postponed "
    "postpones discontinue discontinued discontinues end ended ends ending"
)
_ENDERS = (
    "but while whereas although though however yet instead except only "
    "apart besides meanwhile still"
)
_PUNCTUATION = '. , ; : ! ? ( ) "'

CUES: dict[str, str] = {
    **{w: _END for w in _ENDERS.split()},
    **{w: _STOP for w in _STOP_VERBS.split()},
    **{w: _NEGATE for w in _PARTICLES.split()},
    **{w: _CONDEMN for w in _CONDEMN_VERBS.split()},
    **{w: _HYPO for w in _HYPOTHETICAL.split()},
    **{w: _PUNCT for w in _PUNCTUATION.split()},
}

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
# Second word of a two-word cue, keyed by the first word.
_TWO_WORD_CUES = {
    "out": {"rule", "rules", "ruled", "ruling"},
    "of": {"instead", "short"},
    "than": {"rather"},
    "to": {"yet"},  # "has yet to deliver"
    "down": {"turn", "turned", "turns", "turning"},
    "against": {"decide", "decided", "decides", "deciding", "advise", "advised"},
}

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
    before = tokens[i - 1]
    if before in _PASSIVE:
        return True
    return before in _PERFECT and (i + 1 == len(tokens) or CUES.get(tokens[i + 1]) == _PUNCT)


def _negate_back(features: list[str], clause_start: int) -> None:
    """Mark the clause so far as negated: its subject is what the negation denies."""
    for j in range(max(clause_start, len(features) - SCOPE_LIMIT), len(features)):
        if not features[j].endswith(_MARKED):
            features[j] += NEGATION_SUFFIX


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
            elif scope:
                scope = SCOPE_LIMIT  # the list goes on, and so does the scope
            continue
        if kind == _CONJ:
            if i + 1 < n and tokens[i + 1] in _NEW_CLAUSE:
                scope = 0
                clause_start = len(features)
            kind = None
        elif kind == _PAIRED:
            kind = _NEGATE if i and tokens[i - 1] in _TWO_WORD_CUES[token] else None
        elif kind == _NEGATE and i + 1 < n and tokens[i + 1] in _NOT_NEGATED_BY:
            kind = None  # "not only"
        negating = scope and suffix == NEGATION_SUFFIX
        if kind is None or (kind in _WITHIN_NEGATION and negating):
            # an ordinary word, or "did not condemn": the negation goes on
            add(stemmed + suffix if scope else stemmed)
            scope = max(scope - 1, 0)
        elif kind == _END:
            scope = 0
            clause_start = len(features)
            add(stemmed)
        elif kind == _STOP and negating and negated_by_particle and scope > _STOP_REACH:
            add(stemmed + NEGATION_SUFFIX)
            scope = 0  # "will not suspend", "never stopped": the flow goes on
        elif kind == _STOP and not negating and i and _denies_subject(tokens, i):
            _negate_back(features, clause_start)  # "arms sales were suspended"
            add(stemmed)
            scope = 0
        else:  # a cue opens a scope; one inside a negation is itself negated ("not veto")
            if kind == _NEGATE and i + 1 < n and tokens[i + 1] in _AFTER_SUBJECT:
                _negate_back(features, clause_start)  # "the aid will not continue"
            add(stemmed + NEGATION_SUFFIX if negating else stemmed)
            scope = SCOPE_LIMIT
            suffix = _SUFFIXES.get(kind, NEGATION_SUFFIX)
            negated_by_particle = kind == _NEGATE
        at(i)
    return features, positions
