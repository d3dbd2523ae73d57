"""Finding states, organisations and armed groups in a statement: the gazetteer's mentions.

The gazetteer (``data/gazetteer.json``, built by ``python -m training.gazetteer`` from
pycountry and the reviewed ``data/gazetteer_additions.json``) lists every surface form
of an entity: names, demonyms ("South Korean"), capitals and seats of power used for
the government ("Seoul said", "the Kremlin"). A statement is cut into word tokens
once; a trie over the aliases' tokens then finds, left to right, the longest alias
that starts at each token. Matching is case-sensitive (names are capitalised in wire
copy, and "US" is not "us"); an alias shared by two entities ("Brussels": Belgium and
the EU) gives a mention of each, marked ``ambiguous`` as the gazetteer's doubtful
aliases are ("Georgia", "Jordan").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Abbreviations with dots ("U.S.", "U.K."), words (hyphens split them: "Russian-made"),
# the possessive, and any other single character that is not white space.
_TOKEN = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[^\W_]+|['’]s\b|\S")


@dataclass(frozen=True)
class Entity:
    code: str
    name: str
    kind: str  # state | organisation | armed_group


@dataclass(frozen=True)
class Mention:
    """An alias of ``entity`` at tokens ``[first, last)`` and characters ``[start, end)``."""

    entity: Entity
    alias: str
    form: str  # name | demonym | seat | leader
    ambiguous: bool
    first: int
    last: int
    start: int
    end: int


def tokenize(text: str) -> list[str]:
    """The tokens of ``text`` as the gazetteer's matcher cuts it (white space dropped)."""
    return _TOKEN.findall(text)


class Gazetteer:
    """The aliases of every entity as a token trie."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entities = {e["code"]: Entity(e["code"], e["name"], e["kind"]) for e in entries}
        self._trie: dict[str, Any] = {}
        for entry in entries:
            entity = self.entities[entry["code"]]
            ambiguous = set(entry.get("ambiguous", []))
            forms = {a: "demonym" for a in entry.get("demonyms", [])}
            forms.update({a: "seat" for a in entry.get("seats", [])})
            forms.update({a: "leader" for a in entry.get("leaders", [])})
            for alias in entry["aliases"]:
                node = self._trie
                for token in tokenize(alias):
                    node = node.setdefault(token, {})
                node.setdefault(None, []).append(
                    (entity, alias, forms.get(alias, "name"), alias in ambiguous)
                )
        for node in self._walk(self._trie):  # one alias of two entities: doubtful for both
            found = node.get(None)
            if found and len({entity.code for entity, *_ in found}) > 1:
                node[None] = [(entity, alias, form, True) for entity, alias, form, _ in found]

    @staticmethod
    def _walk(node: dict[str, Any]):
        yield node
        for key, child in node.items():
            if key is not None:
                yield from Gazetteer._walk(child)

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def mentions(self, text: str, tokens: list[str] | None = None) -> list[Mention]:
        """Every entity mentioned in ``text``, in order (longest alias first at each token)."""
        tokens = tokenize(text) if tokens is None else tokens
        found: list[Mention] = []
        trie, i, n = self._trie, 0, len(tokens)
        at, seen = 0, 0  # character position after tokens[:seen]
        while i < n:
            if tokens[i] not in trie:  # most tokens start no alias
                i += 1
                continue
            node, j, best = trie, i, None
            while j < n and tokens[j] in node:
                node = node[tokens[j]]
                j += 1
                if None in node:
                    best = (j, node[None])
            if best is None:
                i += 1
                continue
            last, matches = best
            for k in range(seen, i):  # character offsets only where there is a mention
                at = text.find(tokens[k], at) + len(tokens[k])
            start = text.find(tokens[i], at)
            end = start
            for k in range(i, last):
                end = text.find(tokens[k], end) + len(tokens[k])
            at, seen = end, last
            for entity, alias, form, ambiguous in matches:
                found.append(Mention(entity, alias, form, ambiguous, i, last, start, end))
            i = last
        return found
