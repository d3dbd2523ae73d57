"""Statements the model cannot read: no letters, another language, unknown words.

The model only knows the English of its corpus, yet it gives every input a label,
often a confident one ("42" came back ``non_lethal`` at 0.98, a German sentence
``opposed``). :func:`screen` says when a statement should go to an analyst
instead, with a reason:

* ``no_letters``: digits, punctuation or invisible characters only (the API
  refuses these outright with a 422, see :data:`LETTER`);
* ``not_english``: most letters are of another script (Cyrillic, Arabic, Han,
  ...), or the function words are another language's ("und", "les", "para");
  ``language`` then names it (ISO 639-1) when the script or words tell;
* ``unknown_words``: fewer than :data:`MIN_KNOWN_SHARE` of the words are in the
  model's vocabulary ("zzqx blorp").

Why not a packaged language detector: ``py3langid`` 0.4.0 was measured here at
75 MB more per worker (a worker is 94 MB, the limit 150) and 0.64 s to load, and
misreads short English ("Oslo sent tents." as Norwegian at 0.25). The rules below
need no model file. They are cheap because nearly every English statement has
one of :data:`_ENGLISH_MARKERS` and only ASCII, which ends the check at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection

from classifier.text import tokenize

# Letters, as a character class that means the same in Python and in the ECMA-262
# regular expressions of JSON Schema (the API's "must contain a letter" rule and its
# OpenAPI pattern are this one string). Latin with its extensions, Greek, Cyrillic,
# Armenian, Hebrew, Arabic, Devanagari, Bengali, Tamil, Thai, Georgian, Ethiopic,
# Hangul, kana and CJK ideographs.
LETTER = (
    "[A-Za-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u02af"
    "\\u0370-\\u0373\\u0376\\u0377\\u037b-\\u037d\\u0386\\u0388-\\u03ff\\u0400-\\u0481"
    "\\u048a-\\u052f\\u0531-\\u0556\\u0561-\\u0587\\u05d0-\\u05ea\\u0620-\\u064a"
    "\\u066e-\\u06d3\\u0904-\\u0939\\u0958-\\u0961\\u0985-\\u09b9\\u0b85-\\u0bb9"
    "\\u0e01-\\u0e30\\u10a0-\\u10ff\\u1200-\\u135a\\u1e00-\\u1fff\\u3041-\\u3096"
    "\\u30a1-\\u30fa\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7a3]"
)
_LETTER = re.compile(LETTER)
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

MIN_KNOWN_SHARE = 1 / 3
"""Below this share of words in the vocabulary, a statement is ``unknown_words``."""

_SCRIPT_LANGUAGE = {
    "GREEK": "el", "ARMENIAN": "hy", "HEBREW": "he", "ARABIC": "ar", "DEVANAGARI": "hi",
    "BENGALI": "bn", "TAMIL": "ta", "THAI": "th", "GEORGIAN": "ka", "ETHIOPIC": "am",
    "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh",
}  # fmt: skip
_UKRAINIAN, _SERBIAN = frozenset("іїєґ"), frozenset("ђћџјљњ")

# Very common function words of Latin-script languages. Words that are also English, or
# parts of names in English copy ("in", "per", "war", "van", "al-", "di"), are left out,
# except a few ("an", "die", "el", "la") that only count beside another word of the list:
# a language needs two of its words, and more than the English ones.
_FUNCTION_WORDS = {
    "de": "der die das an und ist nicht dem des ein eine einen auf für sich auch nach wird "
          "werden haben oder wurde sind zum zur gegen",
    "fr": "le la et les des du une pour dans sur avec qui que aux sont elle ont été cette ses leur",
    "es": "el y según los las por una que como más pero sus está muy también",
    "it": "gli della delle dei che è una sono alla anche hanno nel alle questo",
    "pt": "os das uma que não para com por são mais foi tem ao pela pelo também",
    "nl": "het een niet dat voor zijn aan ook wordt heeft hebben naar deze bij",
    "pl": "na się nie że jest jak przez oraz dla który które jego",
    "tr": "ve bir için ile olarak daha çok gibi ama olan değil",
    "sv": "och att det som är på för med av inte har ett",
    "da": "og det som på med ikke har",
    "ro": "și în cu pe este nu să pentru",
    "cs": "je že jsou není se",
    "id": "dari untuk dengan ini itu tidak akan pada oleh",
    "hu": "és hogy nem egy ez már",
    "fi": "ei että oli hän mutta myös kun",
}  # fmt: skip
_LANGUAGES_OF: dict[str, list[str]] = {}
for _code, _words in _FUNCTION_WORDS.items():
    for _word in _words.split():
        _LANGUAGES_OF.setdefault(_word, []).append(_code)
_ENGLISH_WORDS = frozenset(
    "the of and to a in is was for on that with as by at it from be has have had will "
    "would not this which said says their its an are were been or but who also after "
    "against over than they he she we".split()
)
_ENGLISH_MARKERS = frozenset(
    tokenize("the of and with that which said has have would were from their this been")
)
"""The analyzer's stems of English words no other common language writes: one of them
in a Latin-script statement ends the screening."""
_WEAK_ENGLISH_MARKERS = frozenset(
    tokenize("to for on is was will by as at it be not but are its after over")
)
"""English words that other languages also write: two different ones end the screening."""


def has_letter(text: str) -> bool:
    return _LETTER.search(text) is not None


def screen(
    text: str, features: Collection[str], vocabulary: Collection[str]
) -> tuple[str | None, str | None]:
    """``(reason, language)`` for a statement the model cannot read, else ``(None, None)``.

    ``features`` are the analyzer's features of ``text`` (:func:`classifier.text.analyze`),
    ``vocabulary`` the model's unigram terms (stems, some with a scope suffix).
    """
    if not has_letter(text):
        return "no_letters", None
    language = _script_language(text)
    if language is None:
        if not _ENGLISH_MARKERS.isdisjoint(features):  # nearly every English statement
            return None, None
        if len(_WEAK_ENGLISH_MARKERS.intersection(features)) >= 2:
            return None, None
        language = _latin_language(_WORD.findall(text.lower()))
    if language is not None:
        return "not_english", (language or None)
    words = [f for f in features if any(c.isalpha() for c in f)]
    known = sum(1 for f in words if f in vocabulary or f.rpartition("_")[0] in vocabulary)
    if not words or known / len(words) < MIN_KNOWN_SHARE:
        return "unknown_words", None
    return None, None


def _script_language(text: str) -> str | None:
    """The language of a statement written mostly in another script than Latin
    (``""`` when the script does not tell which), else None."""
    if text.isascii():
        return None
    others = [c for c in _NON_ASCII.findall(text) if c.isalpha()]  # regexes: no loop in Python
    if not others:
        return None
    scripts = Counter(unicodedata.name(c, "UNKNOWN").split(" ")[0] for c in others)
    latin = scripts.pop("LATIN", 0) + len(_ASCII_LETTERS.findall(text))
    if not scripts or sum(scripts.values()) <= latin:
        return None
    script = scripts.most_common(1)[0][0]
    if script == "CYRILLIC":
        letters = set(text.lower())
        return "uk" if letters & _UKRAINIAN else "sr" if letters & _SERBIAN else "ru"
    return _SCRIPT_LANGUAGE.get(script, "")


def _latin_language(words: list[str]) -> str | None:
    """A Latin-script language whose function words outnumber English ones (two at least)."""
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    counts: Counter[str] = Counter()
    for word in words:
        counts.update(_LANGUAGES_OF.get(word, ()))
    if not counts:
        return None
    code, best = counts.most_common(1)[0]
    return code if best >= 2 and best > english else None
