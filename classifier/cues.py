"""The cue words of the analyzer's scopes, by family: each family a documented list.

A cue's *kind* says what it does to the words after it (see :mod:`classifier.scopes`):

* ``negate`` opens a negation scope (``_neg``);
* ``stop`` opens a negation scope, but right after a negation cancels it ("will not
  suspend arms sales": the arms keep flowing, rule 3 of the guide), and in the passive
  negates the clause before it ("deliveries were paused");
* ``condemn`` opens a condemnation scope (``_opp``): what follows is the target of the
  actor's criticism, not its support (rule 1);
* ``hypothetical`` opens a hypothetical scope (``_hyp``): considered, not given (rule 4);
* ``end`` closes any scope; ``punct`` closes it and is not a feature;
* ``directive`` ("urged", "demanded", "pressed") is an ordinary word, but a stop verb
  after it in the same clause opens a condemnation scope instead of a negation: pressing
  others to stop is ``opposed`` (rule 8), stopping one's own aid ``neutral``.

The base lists came with the first analyzer. The five families after them were added
for the real-text error categories of issue 11. A sixth (verbs of attribution such
as "prolong" and "blame" opening a condemnation scope) was dropped: switching it off
raised every figure on data the model was not tuned on (``python -m training.ablation``).
The effect of each remaining family alone is within the noise of those sets; the README
has the table. Each is switchable for ablations
(:func:`cue_table` with ``disabled``); every entry is covered by a test in
``tests/classifier/test_cues.py``.
"""

from __future__ import annotations

NEGATE = "negate"
STOP = "stop"
END = "end"
CONDEMN = "condemn"
HYPO = "hypothetical"
PUNCT = "punct"
DIRECTIVE = "directive"

BASE: dict[str, str] = {
    # negation particles, refusals, and acting against what others give
    "not no never none nothing nobody nowhere neither nor without cannot "
    "refuse refused refuses refusing refusal decline declined declines declining "
    "reject rejected rejects rejecting rejection deny denied denies denying denial "
    "fail failed fails unwilling "
    "block blocked blocks blocking veto vetoed vetoes vetoing "
    "prevent prevented prevents preventing bar barred bars barring "
    "refrain refrained refrains refraining rebuff rebuffed rebuffs": NEGATE,
    # conditional, hypothetical or under review; not "would" (reported speech: "said it
    # would send tanks" is a pledge) nor "may" (the month)
    "could might if unless whether consider considers considered considering "
    "mull mulls mulled mulling weigh weighs weighed weighing study studies studying "
    "explore explores explored exploring option options possible possibly potential": HYPO,
    # speaking against something: what follows is the target
    "condemn condemned condemns condemning condemnation denounce denounced denounces "
    "denouncing protest protested protests protesting criticise criticised criticises "
    "criticising criticize criticized criticizes criticizing criticism slam slammed slams "
    "deplore deplored deplores decry decried decries oppose opposed opposes opposing "
    "opposition object objected objects objecting objection objections warn warned warns": (
        CONDEMN
    ),
    # stopping one's own flow of support
    "suspend suspended suspends suspending suspension halt halted halts halting "
    "stop stopped stops stopping freeze froze frozen freezes freezing "
    "withhold withheld withholds withholding cease ceased ceases ceasing "
    "restrict restricted restricts restricting ban banned bans banning "
    "withdraw withdrew withdrawn withdraws withdrawing cancel cancelled canceled cancels "
    "cancelling scrap scrapped scraps shelve shelved shelves shelving postpone postponed "
    "postpones discontinue discontinued discontinues end ended ends ending": STOP,
    "but while whereas although though however yet instead except only "
    "apart besides meanwhile still": END,
    '. , ; : ! ? ( ) "': PUNCT,
}

FAMILIES: dict[str, dict[str, str]] = {
    # 1. Stopping one's own aid for a while: paused, delayed, put off, held back.
    "suspension": {
        "pause paused pauses pausing delay delayed delays delaying defer deferred defers "
        "deferring postponing postponement revoke revoked revokes revoking "
        "moratorium": STOP,
    },
    # 2. A law, decree or embargo that forbids the supply or transit of weapons.
    "prohibition": {
        "prohibit prohibited prohibits prohibiting prohibition forbid forbids forbade "
        "forbidden forbidding outlaw outlawed outlaws embargo embargoes embargoed": STOP,
    },
    # 3. Modality, plans and reviews: examined, pending, awaiting a decision, proposed.
    "modality": {
        "examine examines examined examining review reviews reviewing assess assesses "
        "assessing assessment evaluate evaluates evaluating evaluation pending await "
        "awaits awaiting awaited proposal proposals propose proposed proposes proposing willing "
        "prepared feasibility prospect prospects eventual eventually request requests "
        "requested requesting discuss discusses discussed discussing discussion discussions": HYPO,
    },
    # 4. Hostile acts against aid in concrete verbs: seized, intercepted, impounded.
    "interception": {
        "seize seized seizes seizing seizure intercept intercepted intercepts intercepting "
        "interception impound impounded impounds confiscate confiscated confiscates "
        "confiscating obstruct obstructed obstructs obstructing blockade blockaded "
        "sabotage sabotaged sabotaging": NEGATE,
    },
    # 5. Pressing others to stop: "urged Berlin to halt deliveries" (rule 8).
    "directive": {
        "urge urged urges urging demand demanded demands demanding press pressed presses "
        "pressing pressure pressured pressures pressuring ask asked asks asking tell told "
        "tells telling insist insisted insists insisting push pushed pushes pushing "
        "call called calls calling appeal appealed appeals appealing": DIRECTIVE,
    },
}

# Two-word cues: the second word, then the first words that make it a cue and the kind.
BASE_PAIRS: dict[str, dict[str, str]] = {
    "out": dict.fromkeys(("rule", "rules", "ruled", "ruling"), NEGATE),
    "of": dict.fromkeys(("instead", "short"), NEGATE),
    "than": {"rather": NEGATE},
    "to": {"yet": NEGATE},  # "has yet to deliver"
    "down": dict.fromkeys(("turn", "turned", "turns", "turning"), NEGATE),
    "against": dict.fromkeys(
        ("decide", "decided", "decides", "deciding", "advise", "advised"), NEGATE
    ),
}
FAMILY_PAIRS: dict[str, dict[str, dict[str, str]]] = {
    "suspension": {
        "back": dict.fromkeys(("hold", "holds", "held", "holding"), STOP),
        "hold": {"on": STOP},  # "put on hold"
        "off": dict.fromkeys(("put", "puts", "putting"), STOP),
    },
    "interception": {
        "back": dict.fromkeys(("turn", "turns", "turned", "turning"), NEGATE),
        "up": dict.fromkeys(("held", "holding"), NEGATE),  # "payments held up"
    },
}


def cue_table(disabled: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every single-word cue and its kind, without the families in ``disabled``."""
    unknown = disabled - FAMILIES.keys()
    if unknown:
        raise ValueError(f"unknown cue families {sorted(unknown)}; known: {sorted(FAMILIES)}")
    table: dict[str, str] = {}
    groups = [BASE, *(family for name, family in FAMILIES.items() if name not in disabled)]
    for group in groups:
        for words, kind in group.items():
            table.update(dict.fromkeys(words.split(), kind))
    return table


def pair_table(disabled: frozenset[str] = frozenset()) -> dict[str, dict[str, str]]:
    """Every two-word cue: ``{second word: {first word: kind}}``."""
    table = {second: dict(firsts) for second, firsts in BASE_PAIRS.items()}
    for name, pairs in FAMILY_PAIRS.items():
        if name not in disabled:
            for second, firsts in pairs.items():
                table.setdefault(second, {}).update(firsts)
    return table
