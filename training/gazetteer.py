"""Build data/gazetteer.json: the surface forms of states, organisations and armed groups.

Why: stancemeter is learning WHO supports WHOM. Mentions of states, organisations and
armed groups in a sentence are found with this gazetteer, and a model then picks the
actor and the recipient among them, by the codes of the shared convention (ISO alpha-3
for states, upper-case identifiers for the rest; see data/actor_codes.json).

What: every state that pycountry lists (its alpha_3, name, official_name, common_name),
plus Kosovo (XKX), merged with the hand-written, reviewed data/gazetteer_additions.json
(short names, demonyms, capitals, metonyms, common names, ambiguous aliases, and the
organisations and armed groups) and data/leaders.json (leaders and ministers).
pycountry's inverted forms ("Korea, Republic of") are not surface forms and are left
out; parentheses are dropped ("Holy See (Vatican City State)" -> "Holy See"); each alias
with accents also gets its ASCII spelling.

Rebuild after editing the additions (no network: pycountry ships its data):

    .venv/bin/python -m training.gazetteer

The output is deterministic: entries sorted by code, aliases sorted and de-duplicated.
An alias in `ambiguous` needs context before the matcher trusts it (a first name, a
US state, another state's capital, a part of a longer name).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parent.parent
ADDITIONS = ROOT / "data" / "gazetteer_additions.json"
LEADERS = ROOT / "data" / "leaders.json"
OUTPUT = ROOT / "data" / "gazetteer.json"
STATE_FIELDS = ("names", "demonyms", "capitals", "metonyms")
KINDS = ("state", "organisation", "armed_group")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bb": "'", "\u02bc": "'"})


def ascii_fold(text: str) -> str:
    """'Côte d’Ivoire' -> "Cote d'Ivoire": drop accents, straighten apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*\([^)]*\)", "", text)).strip()


def _sorted_unique(forms: set[str]) -> list[str]:
    return sorted({f for f in forms if f}, key=lambda s: (s.casefold(), s))


def _entry(
    code: str,
    kind: str,
    name: str,
    forms: list[str],
    ambiguous: list[str],
    demonyms: list[str] | None = None,
    seats: list[str] | None = None,
) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"{code}: unknown kind {kind!r}")
    aliases = {_clean(f) for f in [name, *forms]}
    aliases |= {ascii_fold(a) for a in aliases}
    unknown = set(ambiguous) - aliases
    if unknown:
        raise ValueError(f"{code}: ambiguous forms that are not aliases: {sorted(unknown)}")
    flagged = set(ambiguous) | {ascii_fold(a) for a in ambiguous}

    def typed(group: list[str]) -> list[str]:  # a form type the actor ranker can use
        cleaned = {_clean(f) for f in group}
        return _sorted_unique(cleaned | {ascii_fold(f) for f in cleaned})

    return {
        "code": code,
        "kind": kind,
        "name": name,
        "aliases": _sorted_unique(aliases),
        "ambiguous": _sorted_unique(flagged),
        "demonyms": typed(list(demonyms or [])),
        "seats": typed(list(seats or [])),
    }


def _pycountry_forms(country: Any) -> tuple[str, list[str]]:
    """The short name pycountry prefers, and its forms that can appear in running text."""
    raw = [getattr(country, f, "") for f in ("common_name", "name", "official_name")]
    forms = [_clean(r) for r in raw if r and ", " not in r]
    return (forms[0] if forms else _clean(country.name)), forms


def _typed(add: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A state's demonyms, and its capitals and seats of power."""
    return add.get("demonyms", []), [*add.get("capitals", []), *add.get("metonyms", [])]


def build(additions: dict[str, Any], leaders: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    states: dict[str, dict[str, Any]] = additions["states"]
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for country in pycountry.countries:
        code = country.alpha_3
        add = states.get(code, {})
        short, forms = _pycountry_forms(country)
        extra = [f for field in STATE_FIELDS for f in add.get(field, [])]
        name = add.get("name") or short
        entries.append(_entry(code, "state", name, forms + extra, add.get("ambiguous", []),
                              *_typed(add)))  # fmt: skip
        seen.add(code)
    for code, add in states.items():  # states pycountry lacks (XKX Kosovo)
        if code not in seen:
            extra = [f for field in STATE_FIELDS for f in add.get(field, [])]
            entries.append(_entry(code, "state", add["name"], extra, add.get("ambiguous", []),
                                  *_typed(add)))  # fmt: skip
    for ent in additions["entities"]:
        forms = [*ent.get("aliases", []), *ent.get("demonyms", [])]
        entries.append(
            _entry(
                ent["code"],
                ent["kind"],
                ent["name"],
                forms,
                ent.get("ambiguous", []),
                ent.get("demonyms", []),
            )
        )
    codes = [e["code"] for e in entries]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"codes defined twice: {duplicates}")
    _add_leaders(entries, leaders or {})
    return sorted(entries, key=lambda e: e["code"])


def _add_leaders(entries: list[dict[str, Any]], leaders: dict[str, Any]) -> None:
    """Each party's leaders and ministers (data/leaders.json) as aliases of the form
    ``leader``: "Scholz said" names Germany as "Berlin said" does."""
    by_code = {entry["code"]: entry for entry in entries}
    unknown = sorted(set(leaders) - set(by_code))
    if unknown:
        raise ValueError(f"leaders of unknown codes: {unknown}")
    for code, people in leaders.items():
        entry = by_code[code]
        names = {_clean(n) for n in people["names"]}
        names |= {ascii_fold(n) for n in names}
        doubtful = set(people.get("ambiguous", []))
        if doubtful - names:
            raise ValueError(f"{code}: ambiguous leaders that are not listed: {doubtful - names}")
        doubtful |= {ascii_fold(n) for n in doubtful}
        entry["aliases"] = _sorted_unique(set(entry["aliases"]) | names)
        entry["ambiguous"] = _sorted_unique(set(entry["ambiguous"]) | doubtful)
        entry["leaders"] = _sorted_unique(names)
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for alias in entry["aliases"]:
            owners.setdefault(alias, set()).add(entry["code"])
    for entry in entries:  # a leader of two parties (Rutte) is doubtful for both
        shared = {n for n in entry.get("leaders", []) if len(owners[n]) > 1}
        if shared:
            entry["ambiguous"] = _sorted_unique(set(entry["ambiguous"]) | shared)


def main() -> None:
    additions = json.loads(ADDITIONS.read_text(encoding="utf-8"))
    leaders = json.loads(LEADERS.read_text(encoding="utf-8"))["leaders"]
    entries = build(additions, leaders)
    text = json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    OUTPUT.write_text(text, encoding="utf-8")
    kinds = {k: sum(e["kind"] == k for e in entries) for k in KINDS}
    aliases = sum(len(e["aliases"]) for e in entries)
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(entries)} entries {kinds}, {aliases} aliases")


if __name__ == "__main__":
    main()
