"""Text processing: NLTK tokenizing, negation scope marking and Snowball stemming.

Only NLTK parts that need no downloaded data are used (``RegexpTokenizer`` and
``SnowballStemmer``), so the analyzer runs with an empty NLTK data path.

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
  but inside a negation it cancels it: "will not suspend arms sales" keeps
  ``arm sale`` positive, since the arms keep flowing;
* two-word cues: "ruled out", "instead of", "rather than".
"""

from __future__ import annotations

import re

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer

NEGATION_SUFFIX = "_neg"
SCOPE_LIMIT = 10
NUMBER_TOKEN = "<num>"

# Words, keeping hyphenated compounds ("non-lethal", "anti-tank", "f-16") and
# contractions ("won't") whole, plus the punctuation that ends a negation scope.
TOKEN_PATTERN = r"[a-z0-9]+(?:['.\-][a-z0-9]+)*|[.,;:!?()\"]"

_NORMALIZE = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": ","}
)
_NUMBER_RE = re.compile(r"^\d[\d.,]*(?:s)?$")
_TOKENIZER = RegexpTokenizer(TOKEN_PATTERN)
_STEMMER = SnowballStemmer("english")

# What each cue does; a word that is not here is an ordinary word.
_NEGATE = "negate"  # opens a scope
_STOP = "stop"  # opens a scope, or closes one it finds open (double negation)
_END = "end"  # closes a scope
_PUNCT = "punct"  # closes a scope and is not a feature

_PARTICLES = (
    "not no never none nothing nobody nowhere neither nor without cannot "
    "refuse refused refuses refusing refusal decline declined declines declining "
    "reject rejected rejects rejecting rejection deny denied denies denying denial "
    "fail failed fails unwilling "
    # acting against what others give: "blocked the aid package" does not give aid
    "block blocked blocks blocking veto vetoed vetoes vetoing "
    "oppose opposed opposes opposing prevent prevented prevents preventing"
)
# Stopping one's own flow of support; negated, the flow goes on.
_STOP_VERBS = (
    "suspend suspended suspends suspending suspension halt halted halts halting "
    "stop stopped stops stopping freeze froze frozen freezes freezing "
    "withhold withheld withholds withholding cease ceased ceases ceasing "
    "restrict restricted restricts restricting ban banned bans banning"
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
}

_stem_cache: dict[str, str] = {}


def stem(token: str) -> str:
    """Snowball stem of one lowercase token, cached (the vocabulary is small)."""
    cached = _stem_cache.get(token)
    if cached is None:
        if _NUMBER_RE.match(token):
            cached = NUMBER_TOKEN
        elif token.endswith("n't"):
            cached = "not"
        else:
            cached = _STEMMER.stem(token)
        _stem_cache[token] = cached
    return cached


def _cue(tokens: list[str], i: int) -> str | None:
    token = tokens[i]
    kind = CUES.get(token)
    if kind is None:
        if token.endswith("n't"):
            kind = _NEGATE
        elif token in _TWO_WORD_CUES and i and tokens[i - 1] in _TWO_WORD_CUES[token]:
            return _NEGATE
        else:
            return None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if kind == _NEGATE and nxt in _NOT_NEGATED_BY:
        return None
    return kind


def mark_tokens(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Stem ``tokens`` and mark the ones inside a negation scope.

    Returns the features and, for each feature, the index of the token it came
    from (punctuation is dropped, so the two lists are shorter than ``tokens``).
    """
    features: list[str] = []
    positions: list[int] = []
    scope = 0  # words left in the open negation scope
    negated_by_particle = False
    n = len(tokens)
    for i, token in enumerate(tokens):
        kind = _cue(tokens, i)
        if kind == _PUNCT:
            if token != "," or i + 1 == n or tokens[i + 1] not in _LIST_GOES_ON:
                scope = 0
            continue
        if kind is None:
            if token in ("and", "or") and scope and i + 1 < n and tokens[i + 1] in _NEW_CLAUSE:
                scope = 0
            if scope:
                features.append(stem(token) + NEGATION_SUFFIX)
                scope -= 1
            else:
                features.append(stem(token))
        elif kind == _END:
            scope = 0
            features.append(stem(token))
        elif kind == _STOP and scope and negated_by_particle:
            features.append(stem(token) + NEGATION_SUFFIX)
            scope = 0  # "not suspend" = keep going
        else:
            features.append(stem(token))
            scope = SCOPE_LIMIT
            negated_by_particle = kind == _NEGATE
        positions.append(i)
    return features, positions


def normalize(text: str) -> str:
    """Lowercase and fold typographic quotes and dashes to ASCII."""
    return text.lower().translate(_NORMALIZE)


def tokenize(text: str) -> list[str]:
    """The analyzer's tokenizer: normalized, negation-marked, stemmed features."""
    return mark_tokens(_TOKENIZER.tokenize(normalize(text)))[0]


def tokenize_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Like :func:`tokenize`, with the character span in ``text`` of each feature.

    Lowercasing and the quote folding keep string length, so spans found in the
    normalized text are spans of the original.
    """
    normalized = normalize(text)
    if len(normalized) != len(text):  # some characters change length when lowercased
        normalized = "".join(normalize(ch)[:1] or ch for ch in text)
    spans = list(_TOKENIZER.span_tokenize(normalized))
    tokens = [normalized[start:end] for start, end in spans]
    features, positions = mark_tokens(tokens)
    return [(feature, *spans[i]) for feature, i in zip(features, positions)]
