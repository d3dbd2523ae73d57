"""The cue families of issue 11, one rule per test: what each family marks, and that
each can be switched off for an ablation without touching the others."""

from __future__ import annotations

import pytest

from classifier import scopes
from classifier.cues import FAMILIES, FAMILY_PAIRS, cue_table, pair_table
from classifier.text import tokenize


def marked(text: str, suffix: str = "_neg") -> list[str]:
    return [t[: -len(suffix)] for t in tokenize(text) if t.endswith(suffix)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Oslo paused deliveries of shells", ["deliveri", "of", "shell"]),
        ("Rome delayed the howitzers", ["the", "howitz"]),
        ("Lisbon revoked the export licences", ["the", "export", "licenc"]),
        ("Madrid is holding back the tanks", ["the", "tank"]),
        ("Athens put off the transfer of jets", ["the", "transfer", "of", "jet"]),
    ],
)
def test_suspension_opens_a_negation(text, expected):
    assert marked(text) == expected


def test_suspension_in_the_passive_or_at_the_clause_end_negates_the_clause_before():
    assert marked("Deliveries of shells were paused in May") == ["deliveri", "of", "shell",
                                                                  "were"]  # fmt: skip
    assert marked("Rome has put deliveries on hold.")[-2:] == ["deliveri", "on"]
    assert "shell_neg" in tokenize("The shells were held back at the border")


def test_a_negated_suspension_keeps_the_aid_flowing():
    assert "shell" in tokenize("Warsaw will not pause deliveries of shells")
    assert "tank" in tokenize("Berlin will not hold back the tanks")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A decree prohibits the transit of weapons", ["the", "transit", "of", "weapon"]),
        ("Parliament forbade arms exports to Riyadh", ["arm", "export", "to", "riyadh"]),
        ("It declared an embargo on rifles", ["on", "rifl"]),
    ],
)
def test_prohibition_opens_a_negation(text, expected):
    assert marked(text) == expected


def test_a_lifted_prohibition_is_not_a_negation_of_the_aid():
    assert "export" in tokenize("Seoul will not prohibit arms exports")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Canberra is examining a transfer of drones", ["a", "transfer", "of", "drone"]),
        ("The transfer is pending approval", ["approv"]),
        ("Kyiv is awaiting a decision on jets", ["a", "decis", "on", "jet"]),
        ("Berlin proposed sending tanks", ["send", "tank"]),
        ("Ottawa is willing to supply shells", ["to", "suppli", "shell"]),
        ("Ministers discussed a transfer of howitzers", ["a", "transfer", "of", "howitz"]),
    ],
)
def test_modality_opens_a_hypothetical_scope(text, expected):
    assert marked(text, "_hyp") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Customs seized a cargo of drones", ["a", "cargo", "of", "drone"]),
        ("The navy intercepted the arms shipment", ["the", "arm", "shipment"]),
        ("Police impounded trucks of aid", ["truck", "of", "aid"]),
        ("Border guards turned back the convoy", ["the", "convoy"]),
        ("The payments were held up by Budapest", ["by", "budapest"]),
    ],
)
def test_interception_opens_a_negation(text, expected):
    assert marked(text) == expected


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_can_be_switched_off_alone(family):
    table = cue_table(frozenset({family}))
    for words in FAMILIES[family]:
        assert not set(words.split()) & set(table)
    for other in set(FAMILIES) - {family}:
        for words in FAMILIES[other]:
            assert set(words.split()) <= set(table)
    pairs = pair_table(frozenset({family}))
    for second, firsts in FAMILY_PAIRS.get(family, {}).items():
        assert not any(pairs.get(second, {}).get(first) == kind and
                       all(first not in p.get(second, {}) for n, p in FAMILY_PAIRS.items()
                           if n != family) for first, kind in firsts.items())  # fmt: skip


def test_configure_changes_the_analyzer_and_back():
    text = "Customs seized a cargo of drones"
    assert "drone_neg" in tokenize(text)
    try:
        scopes.configure(frozenset({"interception"}))
        assert "drone" in tokenize(text) and "drone_neg" not in tokenize(text)
    finally:
        scopes.configure()
    assert "drone_neg" in tokenize(text)


def test_unknown_families_are_refused():
    with pytest.raises(ValueError, match="unknown cue families"):
        cue_table(frozenset({"sarcasm"}))


def test_pressing_others_to_stop_is_a_condemnation_not_a_refusal():
    """Rule 8: "urged Berlin to halt deliveries" opposes them; "halted deliveries" refuses."""
    assert marked("Minsk urged Warsaw to halt arms shipments", "_opp") == ["arm", "shipment"]
    assert marked("Minsk demanded that arms shipments be halted", "_opp")[-3:] == [
        "arm", "shipment", "be"
    ]  # fmt: skip
    assert marked("Warsaw halted arms shipments") == ["arm", "shipment"]
    # not pressed by anyone: "did not urge", and an end to the war is a call for talks
    assert "arm_neg" in tokenize("Minsk did not urge Warsaw to halt arms shipments")
    assert "war_neg" in tokenize("The UN called for an end to the war")
    assert "arm_neg" in tokenize("Minsk urged talks. Warsaw halted arms shipments")
