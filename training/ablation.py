"""Ablations: what each part of the analyzer and of the corpus adds, on data never tuned on.

    python -m training.ablation [--data data/statements.jsonl] [--jobs 2] [--out FILE.json]

Every configuration fits the default pipeline (``DEFAULT_PARAMS``, no search) on the
same training rows of the fixed split and is scored on the same sets: the held-out
split of the corpus, ``../shared/real_dev.jsonl`` (real text), the blind stress set
``tests/fixtures/stress.jsonl`` and the held-out negation pairs. A configuration
switches off cue families (:func:`classifier.scopes.configure`), the main-clause
block, or the corpus rows of a round (``"round"`` field). An experiment, not a step
of training: nothing is saved but the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import joblib
from threadpoolctl import threadpool_limits

from classifier.cues import FAMILIES
from config import settings
from training.data import Statement, holdout_split, load_statements
from training.metrics import classification_figures, pair_agreement

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "real_dev": ROOT.parent / "shared" / "real_dev.jsonl",
    "stress": ROOT / "tests" / "fixtures" / "stress.jsonl",
}
PAIRS = ROOT / "tests" / "fixtures" / "negation_pairs.jsonl"


def configurations() -> dict[str, dict[str, Any]]:
    """Name -> (cue families off, main-clause block on, corpus rounds left out)."""
    everything: dict[str, Any] = {"disabled": [], "main": True, "without_rounds": []}
    found = {"all": everything}
    found["no main-clause block"] = {**everything, "main": False}
    for family in FAMILIES:
        found[f"no {family} cues"] = {**everything, "disabled": [family]}
    found["no new cues, no main block"] = {**everything, "disabled": list(FAMILIES), "main": False}
    found["no round 6"] = {**everything, "without_rounds": [6]}
    found["before (no round 6, new cues or main block)"] = {
        "disabled": list(FAMILIES), "main": False, "without_rounds": [6]
    }  # fmt: skip
    return found


def _score(name: str, config: dict[str, Any], train: list[Statement],
           sets: dict[str, list[Statement]]) -> dict[str, Any]:  # fmt: skip
    from classifier import scopes
    from classifier.model import StanceModel
    from classifier.pipeline import build_pipeline

    scopes.configure(frozenset(config["disabled"]))
    rows = [r for r in train if r.meta.get("round") not in config["without_rounds"]]
    params = {} if config["main"] else {"features__main": "drop"}
    with threadpool_limits(1):
        pipeline = build_pipeline(**params).fit([r.text for r in rows], [r.label for r in rows])
    model = StanceModel(pipeline)
    result: dict[str, Any] = {"name": name, "config": config, "train_rows": len(rows)}
    for set_name, statements in sets.items():
        predicted = [p.label for p in model.predict([r.text for r in statements])]
        gold = [r.label for r in statements]
        if set_name == "negation_pairs":
            result[set_name] = pair_agreement(gold, predicted)
        else:
            figures = classification_figures(gold, predicted)
            result[set_name] = {
                key: figures[key]
                for key in ("rows", "macro_f1", "accuracy", "share_two_or_more_levels_off")
            }
            result[set_name]["recall"] = {
                label: v["recall"] for label, v in figures["per_label"].items()
            }
    scopes.configure()
    return result


def _pairs() -> list[Statement]:
    records = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    records.sort(key=lambda r: r["pair"])  # the two members of a pair side by side
    return [Statement(r["text"], r["label"], i, {}) for i, r in enumerate(records)]


def run(data: Path, jobs: int, names: list[str] | None = None) -> list[dict[str, Any]]:
    train, heldout = holdout_split(load_statements(data))
    sets = {"heldout": heldout, "negation_pairs": _pairs()}
    sets.update({name: load_statements(path) for name, path in SETS.items() if path.exists()})
    chosen = {n: c for n, c in configurations().items() if names is None or n in names}
    return joblib.Parallel(n_jobs=jobs)(
        joblib.delayed(_score)(name, config, train, sets) for name, config in chosen.items()
    )


def table(results: list[dict[str, Any]]) -> str:
    sets = [s for s in ("heldout", "real_dev", "stress") if s in results[0]]
    header = f"{'configuration':44}" + "".join(f"{s + ' F1':>12}{'2+off':>7}" for s in sets)
    lines = [header + f"{'pairs':>7}"]
    for r in results:
        cells = "".join(f"{r[s]['macro_f1']:12.3f}{r[s]['share_two_or_more_levels_off']:7.3f}"
                        for s in sets)  # fmt: skip
        lines.append(f"{r['name'][:44]:44}{cells}{r['negation_pairs']['differ']:7.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.ablation", description=__doc__)
    parser.add_argument("--data", type=Path, default=settings().corpus)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", action="append", help="run only this configuration")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    results = run(args.data, args.jobs, args.only)
    print(table(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
