"""What analysts' corrections are worth: real_dev in five folds, four fifths entered as
corrections through the API (into a temporary SQLite database), the model retrained with
the shipped hyperparameters fixed (no search), the remaining fifth scored; against the
same folds scored by the model trained without corrections, at several weights.

    python -m training.experiments.corrections_gain [--data ../shared/real_dev.jsonl]

Ships nothing: the database is deleted afterwards and real_dev enters neither the corpus
nor the project's database. Only figures are printed and written (never a sentence).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from classifier.artifact import CURRENT, MANIFEST_FILE
from classifier.labels import LABELS
from classifier.pipeline import build_pipeline
from config import settings
from service import create_app
from training.corrections import load_corrections, merge
from training.data import Statement, holdout_split, load_statements

WEIGHTS = (1.0, 2.0, 4.0)
FOLDS = 5
SEED = 0
TOKEN = "experiment-token-0123456789"


def shipped_params(models_dir: Path) -> dict[str, Any]:
    """The pipeline parameters `make train` chose for the shipped model."""
    chosen = json.loads((models_dir / CURRENT / MANIFEST_FILE).read_text())["hyperparameters"]
    assert chosen["char_ngrams"] == "off", "the experiment fixes the word-only pipeline"
    return {
        "clf__C": chosen["C"],
        "features__words__min_df": chosen["word_min_df"],
        "features__words__ngram_range": tuple(chosen["word_ngram_range"]),
        "features__chars": "drop",
    }


def fit(rows: list[Statement], weights: np.ndarray | None, params: dict[str, Any]) -> Any:
    extra = {} if weights is None else {"clf__sample_weight": weights}
    with threadpool_limits(1):
        return build_pipeline(**params).fit(
            [r.text for r in rows], [r.label for r in rows], **extra
        )


def figures(truth: list[str], predicted: list[str]) -> dict[str, float]:
    levels = {label: level for level, label in enumerate(LABELS)}
    off = np.abs(np.array([levels[t] - levels[p] for t, p in zip(truth, predicted)]))
    return {
        "macro_f1": float(
            f1_score(truth, predicted, average="macro", labels=list(LABELS), zero_division=0)
        ),
        "two_or_more_off": float((off >= 2).mean()),
    }


def enter_through_the_api(rows: list[Statement], url: str, batch: int = 500) -> int:
    """POST the rows as corrections (source ``import``) to the service's test client."""
    app = create_app(
        replace(settings(), database_url=url, annotator_tokens=f"exp:{TOKEN}", max_batch=batch)
    )
    client, stored = app.test_client(), 0
    for start in range(0, len(rows), batch):
        body = {
            "corrections": [
                {"text": r.text, "label": r.label, "source": "import"}
                for r in rows[start : start + batch]
            ]
        }
        answer = client.post(
            "/v1/corrections", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status_code == 201, answer.get_json()
        stored += len(answer.get_json()["corrections"])
    app.extensions["stancemeter"]["corrections"].get().close()
    return stored


def run(data: Path, weights: tuple[float, ...], folds: int) -> dict[str, Any]:
    config = settings()
    params = shipped_params(config.models_dir)
    corpus_train, _ = holdout_split(load_statements(config.corpus))
    real = load_statements(data)
    started = time.perf_counter()
    print(f"baseline: fitting on {len(corpus_train)} corpus rows ...", file=sys.stderr)
    baseline = fit(corpus_train, None, params)
    splits = StratifiedKFold(folds, shuffle=True, random_state=SEED).split(
        [r.text for r in real], [r.label for r in real]
    )
    per_fold: list[dict[str, Any]] = []
    for number, (entered, scored) in enumerate(splits, 1):
        truth = [real[i].label for i in scored]
        texts = [real[i].text for i in scored]
        fold: dict[str, Any] = {
            "fold": number,
            "entered": len(entered),
            "scored": len(scored),
            "without": figures(truth, list(baseline.predict(texts))),
        }
        with tempfile.TemporaryDirectory(prefix="corrections-gain-") as folder:
            url = f"sqlite:///{folder}/experiment.db"
            enter_through_the_api([real[i] for i in entered], url)
            records = load_corrections(url)
        for weight in weights:
            merged = merge(corpus_train, [], records, weight)
            model = fit(merged.train, merged.weights, params)
            fold[f"weight {weight:g}"] = figures(truth, list(model.predict(texts)))
        print(f"fold {number}: {json.dumps(fold)}", file=sys.stderr)
        per_fold.append(fold)
    conditions = ["without"] + [f"weight {w:g}" for w in weights]
    mean = {
        c: {k: float(np.mean([f[c][k] for f in per_fold])) for k in ("macro_f1", "two_or_more_off")}
        for c in conditions
    }
    return {
        "data_rows": len(real),
        "folds": folds,
        "hyperparameters": {k: str(v) for k, v in params.items()},
        "mean": mean,
        "per_fold": per_fold,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m training.experiments.corrections_gain", description=__doc__
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/real_dev.jsonl"))
    parser.add_argument("--weights", type=float, nargs="+", default=list(WEIGHTS))
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument(
        "--out", type=Path, default=Path("reports/experiments/corrections_gain.json")
    )
    args = parser.parse_args(argv)
    result = run(args.data, tuple(args.weights), args.folds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print("| condition | macro-F1 | 2+ levels off |\n|---|---:|---:|")
    for condition, values in result["mean"].items():
        print(
            f"| {condition} | {values['macro_f1']:.3f} | {100 * values['two_or_more_off']:.1f}% |"
        )
    print(
        f"({result['folds']} folds of {result['data_rows']} rows, {result['seconds']} s; "
        f"written to {args.out})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
