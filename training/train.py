"""Train a model: choose hyperparameters by cross-validation, refit, score, save.

    python -m training.train [--data data/statements.jsonl] [--out models/]

The held-out 20% (see :func:`training.data.holdout_split`) is never used for
fitting or tuning; it is scored once, at the end, and the score is recorded in
the manifest beside the cross-validation figures.
"""

from __future__ import annotations

import os

# One BLAS/OpenMP thread per process, set before numpy loads: on a 2-core machine
# oversubscribed threads made small logistic-regression fits many times slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from itertools import product  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import joblib  # noqa: E402
import nltk  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402
from tqdm import tqdm  # noqa: E402

from classifier.artifact import save_artifact, sha256_file  # noqa: E402
from classifier.labels import LABELS  # noqa: E402
from classifier.pipeline import build_pipeline, char_vectorizer  # noqa: E402
from training.data import DataError, Statement, holdout_split, load_statements  # noqa: E402

SEED = 0
FOLDS = 5
# Word n-grams: the full grid. Character n-grams (a FeatureUnion block) cost three
# times as much to fit, so they are tried beside the middle of the word grid only.
WORD_GRID: dict[str, list[Any]] = {
    "clf__C": [3.0, 10.0, 30.0],
    "features__words__ngram_range": [(1, 1), (1, 2)],
    "features__words__min_df": [1, 2],
    "chars": [False],
}
CHAR_GRID: dict[str, list[Any]] = {
    "clf__C": [10.0, 30.0],
    "features__words__ngram_range": [(1, 2)],
    "features__words__min_df": [1],
    "chars": [True],
}
GRID = [WORD_GRID, CHAR_GRID]
QUICK_GRID = [
    {
        "clf__C": [10.0],
        "features__words__ngram_range": [(1, 2)],
        "features__words__min_df": [1],
        "chars": [False],
    }
]


def candidates(grids: list[dict[str, list[Any]]]) -> list[dict[str, Any]]:
    """Every combination of each grid, in order."""
    found = []
    for grid in grids:
        keys = list(grid)
        found += [dict(zip(keys, values)) for values in product(*(grid[k] for k in keys))]
    return found


def pipeline_for(candidate: dict[str, Any]) -> Any:
    params = {k: v for k, v in candidate.items() if k != "chars"}
    params["features__chars"] = char_vectorizer() if candidate["chars"] else "drop"
    return build_pipeline(**params)


def _score_fold(candidate: dict[str, Any], texts, labels, train_idx, test_idx) -> tuple[str, float]:
    with threadpool_limits(1):
        model = pipeline_for(candidate).fit(texts[train_idx], labels[train_idx])
        predicted = model.predict(texts[test_idx])
    return repr(candidate), float(f1_score(labels[test_idx], predicted, average="macro"))


def cross_validate(
    rows: list[Statement], grid: list[dict[str, list[Any]]], folds: int, jobs: int
) -> list[dict[str, Any]]:
    """Macro-F1 mean and sd over stratified folds for every candidate, best first.

    Ties (within 0.002) go to the simpler candidate: fewer features, then smaller C.
    """
    texts = np.array([r.text for r in rows], dtype=object)
    labels = np.array([r.label for r in rows])
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, labels))
    options = candidates(grid)
    tasks = [(c, tr, te) for c in options for tr, te in splits]
    scores: dict[str, list[float]] = {repr(c): [] for c in options}
    parallel = joblib.Parallel(n_jobs=jobs, return_as="generator_unordered")
    jobs_iter = parallel(
        joblib.delayed(_score_fold)(c, texts, labels, tr, te) for c, tr, te in tasks
    )
    for key, score in tqdm(jobs_iter, total=len(tasks), desc="cross-validation", unit="fit"):
        scores[key].append(score)
    results = [
        {"params": c, "mean": float(np.mean(scores[repr(c)])), "sd": float(np.std(scores[repr(c)]))}
        for c in options
    ]
    best = max(r["mean"] for r in results)

    def rank(result: dict[str, Any]) -> tuple:
        p = result["params"]
        near_best = result["mean"] >= best - 0.002
        size = (p["chars"], p["features__words__ngram_range"][1], -p["features__words__min_df"])
        return (not near_best, size, p["clf__C"], -result["mean"])

    return sorted(results, key=rank)


def describe(candidate: dict[str, Any]) -> dict[str, Any]:
    """The chosen hyperparameters as JSON-friendly values."""
    return {
        "C": candidate["clf__C"],
        "word_ngram_range": list(candidate["features__words__ngram_range"]),
        "word_min_df": candidate["features__words__min_df"],
        "char_ngrams": "char_wb 2-5" if candidate["chars"] else "off",
        "class_weight": "balanced",
        "sublinear_tf": True,
    }


def train(
    data: Path, out: Path, folds: int = FOLDS, jobs: int = 2, quick: bool = False
) -> dict[str, Any]:
    """Run the whole training; returns the saved manifest (with ``path``)."""
    started = time.perf_counter()
    rows = load_statements(data)
    train_rows, test_rows = holdout_split(rows)
    print(
        f"{len(rows)} statements from {data}: {len(train_rows)} for training, "
        f"{len(test_rows)} held out",
        file=sys.stderr,
    )
    results = cross_validate(train_rows, QUICK_GRID if quick else GRID, folds, jobs)
    chosen = results[0]
    print(f"chosen: {describe(chosen['params'])}", file=sys.stderr)
    with threadpool_limits(1):
        model = pipeline_for(chosen["params"]).fit(
            [r.text for r in train_rows], [r.label for r in train_rows]
        )
        predicted = model.predict([r.text for r in test_rows])
    truth = [r.label for r in test_rows]
    manifest = {
        "labels": list(LABELS),
        "hyperparameters": describe(chosen["params"]),
        "data": {
            "path": str(data),
            "sha256": sha256_file(data),
            "rows": len(rows),
            "train_rows": len(train_rows),
            "heldout_rows": len(test_rows),
        },
        "scores": {
            "cv_folds": folds,
            "cv_macro_f1_mean": round(chosen["mean"], 4),
            "cv_macro_f1_sd": round(chosen["sd"], 4),
            "heldout_macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
            "heldout_accuracy": round(float(accuracy_score(truth, predicted)), 4),
        },
        "cv_results": [
            {
                "hyperparameters": describe(r["params"]),
                "mean": round(r["mean"], 4),
                "sd": round(r["sd"], 4),
            }
            for r in sorted(results, key=lambda r: -r["mean"])
        ],
        "libraries": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "nltk": nltk.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "joblib": joblib.__version__,
        },
    }
    manifest["training_seconds"] = round(time.perf_counter() - started, 1)
    path = save_artifact(model, manifest, out)
    return {**manifest, "path": str(path), "version": path.name}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("data/statements.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--jobs", type=int, default=2, help="parallel fits (default 2)")
    parser.add_argument("--quick", action="store_true", help="one candidate, for smoke tests")
    args = parser.parse_args(argv)
    try:
        result = train(args.data, args.out, args.folds, args.jobs, args.quick)
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
