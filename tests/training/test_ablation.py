"""The ablation runner: each configuration really changes what is fitted, every set is
scored, and the shipped analyzer is restored afterwards."""

from __future__ import annotations

import json

from classifier import scopes
from classifier.cues import FAMILIES, cue_table
from training import ablation


def test_every_family_and_the_main_block_can_be_switched_off():
    configurations = ablation.configurations()
    assert {f"no {family} cues" for family in FAMILIES} <= configurations.keys()
    assert configurations["no main-clause block"]["main"] is False
    assert configurations["no round 6"]["without_rounds"] == [6]


def test_a_run_scores_each_set_and_restores_the_analyzer(tiny_corpus, tmp_path):
    names = ["all", "no main-clause block", "no directive cues"]  # in the runner's order
    out = tmp_path / "ablation.json"
    assert ablation.main(["--data", str(tiny_corpus), "--jobs", "1", "--out", str(out)]
                         + [f"--only={n}" for n in names]) == 0  # fmt: skip
    results = json.loads(out.read_text())
    assert [r["name"] for r in results] == names
    for result in results:
        assert result["heldout"]["rows"] == 100
        assert 0 <= result["heldout"]["macro_f1"] <= 1
        assert 0 <= result["negation_pairs"]["differ"] <= 1
    # the runner switched families off in this process; the shipped analyzer is back
    shipped, disabled = scopes.CUES, scopes.DISABLED
    assert shipped == cue_table() and not disabled
    table = ablation.table(results)
    assert table.splitlines()[0].startswith("configuration") and len(table.splitlines()) == 4
