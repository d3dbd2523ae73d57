"""Train a model: choose hyperparameters by cross-validation, refit, score, save.

    python -m training.train [--data data/statements.jsonl] [--out models/]

The held-out 20% (see :func:`training.data.holdout_split`) is never used for
fitting or tuning; it is scored once, at the end, and the score is recorded in
the manifest beside the cross-validation figures.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import Any

import joblib
import nltk
import numpy as np
import scipy
import sklearn
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from threadpoolctl import threadpool_limits

from classifier.artifact import save_artifact, sha256_file
from classifier.labels import LABELS
from classifier.pipeline import build_pipeline
from config import settings
from store import StoreError
from training.calibration import calibrate
from training.companions import fit_companions
from training.corrections import describe as describe_corrections
from training.corrections import load_corrections, merge
from training.data import DataError, holdout_split, load_statements

SEED = 0
FOLDS = 5
NEAR_BEST = 0.002
"""Candidates within this macro-F1 of the best count as tied; the simplest of them wins."""


def param_grid() -> list[dict[str, list[Any]]]:
    """The search space, as ``GridSearchCV`` takes it: C by min_df over word 1-2-grams,
    6 candidates. Word unigrams alone ranked below every bigram candidate in each search
    on this corpus. The character block (``char_vectorizer``) is no longer searched: on
    the corpus of round 6 its best candidate led the best word-only one by 0.002 macro-F1
    in cross-validation (0.8425 against 0.8404, within one fold SD of 0.006), while it
    made single predictions 2.5x and batches 20x slower (``make bench``: 619 us p50,
    1,400 statements/s) and tripled the fitting cost. ``build_pipeline`` still takes it."""
    return [
        {
            "clf__C": [3.0, 10.0, 30.0],
            "features__words__ngram_range": [(1, 2)],
            "features__words__min_df": [1, 2],
            "features__chars": ["drop"],
        },
    ]


QUICK_GRID: list[dict[str, list[Any]]] = [
    {"clf__C": [10.0], "features__words__min_df": [1], "features__chars": ["drop"]}
]


def _complexity(params: dict[str, Any]) -> tuple:
    """Smaller is simpler: no character block, shorter n-grams, higher min_df, smaller C."""
    return (
        params.get("features__chars", "drop") != "drop",
        params.get("features__words__ngram_range", (1, 2))[1],
        -params.get("features__words__min_df", 1),
        params.get("clf__C", 0.0),
    )


def simplest_near_best(cv_results: dict[str, Any]) -> int:
    """``GridSearchCV(refit=...)``: the index of the simplest candidate whose mean
    macro-F1 is within :data:`NEAR_BEST` of the best one."""
    means = np.asarray(cv_results["mean_test_score"])
    near = [i for i, mean in enumerate(means) if mean >= means.max() - NEAR_BEST]
    return min(near, key=lambda i: (_complexity(cv_results["params"][i]), -means[i]))


def search(grid: list[dict[str, list[Any]]], folds: int, jobs: int) -> GridSearchCV:
    """The hyperparameter search: stratified folds, macro-F1, the simplest near-best refit."""
    return GridSearchCV(
        build_pipeline(),
        grid,
        scoring="f1_macro",
        cv=StratifiedKFold(folds, shuffle=True, random_state=SEED),
        refit=simplest_near_best,
        n_jobs=jobs,
        verbose=1,
        error_score="raise",
    )


def describe(pipeline: Any) -> dict[str, Any]:
    """The pipeline's hyperparameters that the search or the defaults set, read from
    ``get_params()`` (JSON-friendly values)."""
    params = pipeline.get_params()
    chars = params["features__chars"]
    described = {
        "C": params["clf__C"],
        "class_weight": params["clf__class_weight"],
        "word_ngram_range": list(params["features__words__ngram_range"]),
        "word_min_df": params["features__words__min_df"],
        "sublinear_tf": params["features__words__sublinear_tf"],
        "main_clause_block": params["features__main"] != "drop",
        "char_ngrams": "off" if chars == "drop" else
        f"{chars.analyzer} {chars.ngram_range[0]}-{chars.ngram_range[1]}",
    }  # fmt: skip
    return described


def cv_table(found: GridSearchCV) -> list[dict[str, Any]]:
    """Every candidate's hyperparameters and cross-validated figures, best first."""
    results = found.cv_results_
    rows = []
    for i, params in enumerate(results["params"]):
        candidate = clone(found.estimator).set_params(**params)
        rows.append({
            "hyperparameters": describe(candidate),
            "mean": round(float(results["mean_test_score"][i]), 4),
            "sd": round(float(results["std_test_score"][i]), 4),
            "rank": int(results["rank_test_score"][i]),
            "mean_fit_seconds": round(float(results["mean_fit_time"][i]), 2),
        })  # fmt: skip
    return sorted(rows, key=lambda row: row["rank"])


def train(
    data: Path, out: Path, folds: int = FOLDS, jobs: int = 2, quick: bool = False,
    corrections: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """Run the whole training; returns the saved manifest (with ``path``). With
    ``corrections``, the analysts' corrections in the database are merged in
    (training/corrections.py)."""
    started = time.perf_counter()
    config = settings()
    rows = load_statements(data)
    corpus_train, corpus_heldout = holdout_split(rows)
    records = load_corrections(config.database_url) if corrections else []
    merged = merge(corpus_train, corpus_heldout, records, config.correction_weight,
                   config.database_url)  # fmt: skip
    train_rows, test_rows = merged.train, merged.heldout
    print(
        f"{len(rows)} statements from {data}: {len(train_rows)} for training, "
        f"{len(test_rows)} held out; {describe_corrections(merged.summary)}",
        file=sys.stderr,
    )
    texts = np.array([r.text for r in train_rows], dtype=object)
    labels = np.array([r.label for r in train_rows])
    weights = {} if merged.weights is None else {"clf__sample_weight": merged.weights}
    with threadpool_limits(1):
        grid = QUICK_GRID if quick else param_grid()
        found = search(grid, folds, jobs).fit(texts, labels, **weights)
    model = found.best_estimator_
    chosen = found.best_index_
    print("calibrating confidence on out-of-fold scores ...", file=sys.stderr)
    with threadpool_limits(1):
        calibration = calibrate(model, texts, labels, found.cv, jobs, merged.weights)
    print(f"chosen: {describe(model)}", file=sys.stderr)
    heldout_texts = [r.text for r in test_rows]
    predicted = model.predict(heldout_texts)
    truth = [r.label for r in test_rows]
    manifest = {
        "labels": list(LABELS),
        "hyperparameters": describe(model),
        "data": {
            "path": str(data),
            "sha256": sha256_file(data),
            "rows": len(rows),
            "train_rows": len(train_rows),
            "heldout_rows": len(test_rows),
            "corrections": merged.summary,
        },
        "scores": {
            "cv_folds": folds,
            "cv_macro_f1_mean": round(float(found.cv_results_["mean_test_score"][chosen]), 4),
            "cv_macro_f1_sd": round(float(found.cv_results_["std_test_score"][chosen]), 4),
            "heldout_macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
            "heldout_accuracy": round(float(accuracy_score(truth, predicted)), 4),
        },
        "calibration": calibration,
        "cv_results": cv_table(found),
        "libraries": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "nltk": nltk.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "joblib": joblib.__version__,
        },
    }
    extras = fit_companions(corpus_train, test_rows, manifest)
    manifest["training_seconds"] = round(time.perf_counter() - started, 1)
    path = save_artifact(model, manifest, out, heldout_texts, extras)
    return {**manifest, "path": str(path), "version": path.name}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__)
    defaults = settings()
    parser.add_argument(
        "--data",
        type=Path,
        default=defaults.corpus,
        help=f"labelled JSON Lines (default {defaults.corpus}, STANCEMETER_CORPUS)",
    )
    parser.add_argument("--out", type=Path, default=defaults.models_dir,
                        help=f"models directory (default {defaults.models_dir}, "
                        "STANCEMETER_MODELS_DIR)")  # fmt: skip
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--jobs", type=int, default=2, help="parallel fits (default 2)")
    parser.add_argument("--quick", action="store_true", help="one candidate, for smoke tests")
    parser.add_argument(
        "--no-corrections",
        action="store_true",
        help="leave out the analysts' corrections (STANCEMETER_DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    try:
        result = train(args.data, args.out, args.folds, args.jobs, args.quick,
                       not args.no_corrections)  # fmt: skip
    except StoreError as exc:
        print(f"error: the corrections cannot be read: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scores = result["scores"]
    print(
        f"model {result['version']} saved to {result['path']} ({result['training_seconds']} s)\n"
        f"  CV macro-F1       {scores['cv_macro_f1_mean']:.3f} ± {scores['cv_macro_f1_sd']:.3f}"
        f" ({scores['cv_folds']} folds)\n"
        f"  held-out macro-F1 {scores['heldout_macro_f1']:.3f}"
        f"  accuracy {scores['heldout_accuracy']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
