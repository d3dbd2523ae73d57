"""Evaluate a model and write a report a person can read.

    python -m training.evaluate [--model models/current] [--data FILE.jsonl] [--out reports/]
                                [--gate] [--no-learning-curve]

Without ``--data`` the model is scored on the fixed held-out 20% of the corpus
it was trained on. The report goes to ``reports/<model version>/<data name>/``:
``metrics.json``, ``report.html`` (self-contained) and ``report.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, learning_curve
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from classifier.articles import RELEVANCE_THRESHOLD
from classifier.artifact import ArtifactError, sha256_file
from classifier.loading import resolve_model_dir
from classifier.model import Prediction, StanceModel, load_model
from config import settings
from store import StoreError
from training.actors import evaluate_parties
from training.baselines import KeywordRules, MajorityBaseline
from training.calibration import coverage_curve
from training.corrections import live_accuracy, load_corrections
from training.data import DataError, Statement, holdout_split, load_statements
from training.metrics import classification_figures, evaluate_predictions
from training.report import write_report

ROOT = Path(__file__).resolve().parent.parent
ERRORS_SHOWN = 25
FIGURES_COMPARED = ("accuracy", "macro_f1", "mean_absolute_level_error",
                    "share_two_or_more_levels_off")  # fmt: skip


def gate_threshold(config: Path = ROOT / "pyproject.toml") -> float:
    """The quality gate's minimum macro-F1, from ``[tool.stancemeter.evaluate]``."""
    with open(config, "rb") as handle:
        return float(tomllib.load(handle)["tool"]["stancemeter"]["evaluate"]["min_macro_f1"])


def previous_model(model_dir: Path) -> StanceModel | None:
    """The newest other version saved before this one that still loads."""
    older = sorted(
        (p for p in model_dir.parent.iterdir()
         if p.is_dir() and not p.is_symlink() and p.name < model_dir.name
         and not p.name.startswith(".")),
        reverse=True,
    )  # fmt: skip
    for candidate in older:
        try:
            return load_model(candidate, model_dir.parent)
        except ArtifactError:
            continue
    return None


def learning_points(rows: list[Statement], model: StanceModel) -> list[dict[str, Any]]:
    """Macro-F1 against training-set size, by 5-fold cross-validation on ``rows``."""
    texts = np.array([r.text for r in rows], dtype=object)
    labels = np.array([r.label for r in rows])
    with threadpool_limits(1):
        sizes, train, valid = learning_curve(
            clone(model.pipeline), texts, labels,
            train_sizes=[0.1, 0.25, 0.5, 0.75, 1.0],
            cv=StratifiedKFold(5, shuffle=True, random_state=0),
            scoring="f1_macro", n_jobs=2, shuffle=True, random_state=0,
        )  # fmt: skip
    return [
        {"train_rows": int(n), "train_mean": float(t.mean()), "train_sd": float(t.std()),
         "validation_mean": float(v.mean()), "validation_sd": float(v.std())}
        for n, t, v in zip(sizes, train, valid)
    ]  # fmt: skip


def confident_errors(
    model: StanceModel, rows: list[Statement], predicted: list[str], probabilities: np.ndarray
) -> list[dict[str, Any]]:
    wrong = [i for i, row in enumerate(rows) if predicted[i] != row.label]
    wrong.sort(key=lambda i: -probabilities[i].max())
    errors = []
    for i in wrong[:ERRORS_SHOWN]:
        explained = model.explain(rows[i].text, top_k=6).explanation
        assert explained is not None
        errors.append({
            "line": rows[i].line,
            "text": rows[i].text,
            "true": rows[i].label,
            "predicted": predicted[i],
            "probability": float(probabilities[i].max()),
            "toward": [{"term": t.term, "weight": t.weight} for t in explained.toward],
            "away": [{"term": t.term, "weight": t.weight} for t in explained.away],
        })  # fmt: skip
    return errors


def triage_figures(truth: list[str], predicted: list[str], probabilities: np.ndarray,
                   threshold: float) -> dict[str, Any]:  # fmt: skip
    """The predictions the model does not flag for review, at its own threshold."""
    accepted = probabilities.max(axis=1) >= threshold
    kept_truth = [t for t, keep in zip(truth, accepted) if keep]
    kept_predicted = [p for p, keep in zip(predicted, accepted) if keep]
    figures: dict[str, Any] = {
        "threshold": threshold,
        "coverage": float(accepted.mean()),
        "accepted": int(accepted.sum()),
        "flagged": int((~accepted).sum()),
    }
    if kept_truth:
        kept = classification_figures(kept_truth, kept_predicted)
        figures.update(
            {key: kept[key] for key in ("macro_f1", "accuracy", "share_two_or_more_levels_off")}
        )
    return figures


def compare(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, float]:
    return {key: current[key] - previous[key] for key in FIGURES_COMPARED}


def evaluate(
    model_path: Path | None,
    data: Path | None,
    out: Path,
    corpus: Path | None = None,
    curve: bool = True,
    bootstrap: int = 1000,
) -> dict[str, Any]:
    """Score the model and its baselines on the rows; write the report; return the metrics."""
    started = time.perf_counter()
    corpus = corpus or settings().corpus
    model_dir = resolve_model_dir(model_path)
    model = load_model(model_dir, model_dir.parent)
    corpus_rows = load_statements(corpus)
    train_rows, heldout = holdout_split(corpus_rows)
    rows = heldout if data is None else load_statements(data)
    name = "heldout" if data is None else data.stem
    notes = []
    if data is None and model.manifest.get("data", {}).get("sha256") != sha256_file(corpus):
        notes.append(f"{corpus} changed since this model was trained; its held-out rows may "
                     "include rows the model was trained on.")  # fmt: skip
    print(f"evaluating {model.version} on {len(rows)} rows ({name})", file=sys.stderr)
    truth = [r.label for r in rows]
    texts = [r.text for r in rows]
    probabilities = model.predict_proba(texts)
    predictions = model.predict(texts)
    predicted = [p.label for p in predictions]
    figures = evaluate_predictions(truth, predicted, probabilities, bootstrap)
    figures["triage"] = triage_figures(truth, predicted, probabilities, model.review_threshold)
    train_labels = [r.label for r in train_rows]
    majority = MajorityBaseline().fit(train_labels)
    baselines = {
        "majority label": evaluate_predictions(
            truth, majority.predict(texts), majority.predict_proba(texts), bootstrap
        ),
        "keyword rules": evaluate_predictions(
            truth, KeywordRules().predict(texts), None, bootstrap
        ),
    }
    report: dict[str, Any] = {
        "model": {"version": model.version, "path": str(model_dir),
                  "scores": model.manifest.get("scores", {})},
        "data": {"name": name, "path": str(data or corpus), "rows": len(rows),
                 "split": "held-out 20%" if data is None else "whole file",
                 "sha256": sha256_file(data or corpus)},
        "figures": figures,
        "baselines": baselines,
        "notes": notes,
    }  # fmt: skip
    old = previous_model(model_dir)
    if old is not None:
        old_predicted = [p.label for p in old.predict(texts)]
        old_figures = evaluate_predictions(
            truth, old_predicted, old.predict_proba(texts), bootstrap
        )
        report["previous"] = {"version": old.version, "figures": old_figures,
                              "difference": compare(figures, old_figures)}  # fmt: skip
    report["companions"] = companion_figures(model, rows, predictions)
    try:
        corrections = load_corrections(settings().database_url)
    except StoreError as exc:
        corrections = []
        notes.append(f"live accuracy left out: {exc}")
    if corrections:
        report["live_accuracy"] = live_accuracy(corrections)
    report["coverage_curve"] = coverage_curve(probabilities.max(axis=1), truth, predicted)
    report["most_confident_errors"] = confident_errors(model, rows, predicted, probabilities)
    if curve:
        print("learning curve: 5 sizes x 5 folds on the corpus ...", file=sys.stderr)
        with tqdm(total=1, desc="learning curve", file=sys.stderr, disable=None) as bar:
            report["learning_curve"] = learning_points(corpus_rows, model)
            bar.update(1)
    report["seconds"] = round(time.perf_counter() - started, 1)
    target = out / model.version / name
    write_report(report, target)
    report["path"] = str(target)
    return report


def companion_figures(
    model: StanceModel, rows: list[Statement], predictions: list[Prediction]
) -> dict[str, Any]:
    """Relevance recall (every row of a stance data set states a stance) and the actor
    and recipient accuracy, for a model that has those parts; ``predictions`` are the
    model's for ``rows``."""
    found: dict[str, Any] = {}
    if model.relevance is not None:
        kept = sum(1 for p in predictions if (p.relevance or 0) >= RELEVANCE_THRESHOLD)
        found["relevance_recall"] = round(kept / max(len(rows), 1), 4)
    if model.actors is not None:
        parties = {row.text: (p.actor, p.recipient) for row, p in zip(rows, predictions)}
        found["actors"] = evaluate_parties(
            parties.__getitem__, model.actors.gazetteer, rows, settings().actor_codes
        )
    return found


def summary(report: dict[str, Any]) -> str:
    figures = report["figures"]
    rows = [("model", figures), *report["baselines"].items()]
    if "previous" in report:
        rows.append((f"previous {report['previous']['version']}", report["previous"]["figures"]))
    lines = [
        f"{report['model']['version']} on {report['data']['name']} ({report['data']['rows']} rows)",
        f"{'':34} {'macro-F1':>9} {'95% CI':>15} {'accuracy':>9} {'MAE lvl':>8} {'2+ off':>7}",
    ]
    for name, f in rows:
        low, high = f["macro_f1_ci95"]
        lines.append(
            f"{name[:34]:34} {f['macro_f1']:9.3f} {f'[{low:.3f}, {high:.3f}]':>15} "
            f"{f['accuracy']:9.3f} {f['mean_absolute_level_error']:8.3f} "
            f"{f['share_two_or_more_levels_off']:7.3f}"
        )
    calibration = figures.get("calibration")
    if calibration:
        lines.append(f"calibration: log loss {calibration['log_loss']:.3f}, "
                     f"Brier {calibration['brier']:.3f}, ECE {calibration['ece']:.3f}")  # fmt: skip
    companions = report.get("companions", {})
    if "relevance_recall" in companions:
        lines.append(f"relevance: {companions['relevance_recall']:.3f} of the rows kept as stance")
    actors = companions.get("actors", {})
    if "actor_accuracy" in actors:
        lines.append(f"actor accuracy {actors['actor_accuracy']:.3f} "
                     f"({actors['actor_accuracy_when_named']:.3f} when named), recipient "
                     f"{actors['recipient_accuracy']:.3f} "
                     f"({actors['recipient_accuracy_when_named']:.3f} when named)")  # fmt: skip
    for live in report.get("live_accuracy", []):
        lines.append(f"live accuracy of {live['model_version']}: {live['accuracy']:.3f} on "
                     f"{live['statements']} statements analysts corrected or confirmed "
                     f"({live['two_or_more_off']:.3f} two or more levels off)")  # fmt: skip
    lines.extend(f"note: {note}" for note in report["notes"])
    lines.append(f"report: {report['path']}/report.html")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__)
    parser.add_argument("--model", type=Path, help="model directory (default: models/current)")
    parser.add_argument("--data", type=Path, help="labelled JSON Lines (default: held-out split)")
    defaults = settings()
    parser.add_argument(
        "--corpus",
        type=Path,
        default=defaults.corpus,
        help=f"training corpus (default {defaults.corpus}, STANCEMETER_CORPUS)",
    )
    parser.add_argument("--out", type=Path, default=defaults.reports_dir,
                        help=f"reports directory (default {defaults.reports_dir}, "
                        "STANCEMETER_REPORTS_DIR)")  # fmt: skip
    parser.add_argument("--gate", action="store_true", help="exit 3 under the macro-F1 gate")
    parser.add_argument("--no-learning-curve", dest="curve", action="store_false")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap rounds (1000)")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.model, args.data, args.out, args.corpus, args.curve, args.bootstrap)
    except (DataError, ArtifactError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(report))
    if args.gate:
        threshold = gate_threshold()
        score = report["figures"]["macro_f1"]
        if score < threshold:
            print(f"quality gate FAILED: macro-F1 {score:.3f} < {threshold:.3f}", file=sys.stderr)
            return 3
        print(f"quality gate passed: macro-F1 {score:.3f} >= {threshold:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
