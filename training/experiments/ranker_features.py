"""What each part of the actor ranker adds: feature groups left out one at a time, and
the joint choice's thresholds by cross-validation.

    python -m training.experiments.ranker_features [--sets tests/fixtures/stress.jsonl ...]

Ablation: the ranker fitted on the corpus's training split without one group of
features (:mod:`classifier.actor_features`), with the shipped recipient model refitted
on the same rows, measured on the held-out split and on each ``--sets`` file (sets the
ranker was never tuned on: the blind stress sets). Thresholds: 3-fold cross-validation
on the training split only (ranker and recipient model refitted per fold), over a grid
of the actor and recipient thresholds of :meth:`ActorRanker.choose`; an actor threshold
of 0 is the choice without a "no actor named" option. Prints figures, never a sentence.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from classifier.actors import ActorRanker, RecipientModel
from classifier.fastpath import LinearScorer
from config import settings
from training.actors import evaluate_parties, fit_ranker
from training.data import Statement, holdout_split, load_statements
from training.recipients import fit_recipients

GROUPS: dict[str, tuple[str, ...]] = {
    "all features": (),
    "without the entity (code=)": ("code=",),
    "without the context bags (L=, R=)": ("L=", "R="),
    "without both (the first ranker's features)": ("code=", "L=", "R="),
}
ACTOR_THRESHOLDS = (0.0, 0.02, 0.05, 0.1, 0.2)
RECIPIENT_THRESHOLDS = (0.2, 0.3, 0.4)
FOLDS = 3
SEED = 0
STRESS = (Path("tests/fixtures/stress.jsonl"), Path("tests/fixtures/parties_stress.jsonl"))


def _recipient_model(rows: Sequence[Statement]) -> RecipientModel:
    config = settings()
    pipeline = fit_recipients(rows, config.gazetteer, config.actor_codes)
    return RecipientModel(LinearScorer.from_pipeline(pipeline))


def _measure(
    ranker: ActorRanker, recipients: RecipientModel, rows: Sequence[Statement],
    thresholds: tuple[float, float] | None = None,
) -> tuple[float, float]:  # fmt: skip
    parties = partial(ranker.parties, recipients=recipients)
    if thresholds is not None:
        parties = partial(parties, thresholds=thresholds)
    found = evaluate_parties(parties, ranker.gazetteer, rows, settings().actor_codes)
    return found["actor_accuracy"], found["recipient_accuracy"]


def ablation(train: list[Statement], sets: dict[str, list[Statement]]) -> list[dict[str, Any]]:
    config, recipients, out = settings(), _recipient_model(train), []
    for name, drop in GROUPS.items():
        ranker = fit_ranker(train, config.gazetteer, config.actor_codes, drop)
        row: dict[str, Any] = {"features": name, "weights": len(ranker.features)}
        for set_name, rows in sets.items():
            row[set_name] = _measure(ranker, recipients, rows)
        out.append(row)
        print(json.dumps(row), file=sys.stderr)
    return out


def thresholds(train: list[Statement]) -> list[dict[str, Any]]:
    config = settings()
    fold = np.random.default_rng(SEED).integers(0, FOLDS, len(train))
    grid = list(itertools.product(ACTOR_THRESHOLDS, RECIPIENT_THRESHOLDS))
    scores: dict[tuple[float, float], list[tuple[float, float]]] = {g: [] for g in grid}
    for k in range(FOLDS):
        fit_rows = [r for r, f in zip(train, fold) if f != k]
        test_rows = [r for r, f in zip(train, fold) if f == k]
        ranker = fit_ranker(fit_rows, config.gazetteer, config.actor_codes)
        recipients = _recipient_model(fit_rows)
        for point in grid:
            scores[point].append(_measure(ranker, recipients, test_rows, point))
        print(f"fold {k + 1} of {FOLDS}", file=sys.stderr)
    return [
        {"actor_threshold": a, "recipient_threshold": r,
         "actor_accuracy": round(float(np.mean([s[0] for s in v])), 4),
         "recipient_accuracy": round(float(np.mean([s[1] for s in v])), 4)}
        for (a, r), v in scores.items()
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("data/statements.jsonl"))
    parser.add_argument("--sets", type=Path, nargs="*", default=list(STRESS))
    parser.add_argument("--out", type=Path, default=Path("reports/ranker_features.json"))
    parser.add_argument("--skip-thresholds", action="store_true")
    args = parser.parse_args(argv)
    train, heldout = holdout_split(load_statements(args.data))
    sets = {"heldout": heldout, **{p.stem: load_statements(p) for p in args.sets}}
    report = {"sets": {name: len(rows) for name, rows in sets.items()},
              "figures": "(actor accuracy, recipient accuracy)",
              "ablation": ablation(train, sets)}  # fmt: skip
    if not args.skip_thresholds:
        report["thresholds_cv"] = thresholds(train)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
