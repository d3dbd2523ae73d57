"""Run by the MLflow peer's own Python (bench/mlflow_peer.py), not the project's:
fit what a user would write first, ``make_pipeline(TfidfVectorizer(ngram_range=(1, 2)),
LogisticRegression())``, on the corpus and log it with MLflow.

    <peer venv>/bin/python bench/mlflow_fit.py CORPUS TRACKING_DIR URI_FILE

It imports nothing from stancemeter (the peer's environment does not have it) and
writes the logged model's URI to URI_FILE for ``mlflow models serve -m``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import mlflow
import numpy as np
from mlflow.models import infer_signature
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline


def main(corpus: str, tracking_dir: str, uri_file: str) -> None:
    rows = [json.loads(line) for line in Path(corpus).read_text(encoding="utf-8").splitlines()]
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    pipeline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
    pipeline.fit(texts, labels)
    tracking = Path(tracking_dir)
    mlflow.set_tracking_uri(f"sqlite:///{tracking / 'mlflow.db'}")
    # artifacts beside the store (MLflow's default is ./mlruns in the current directory)
    experiment = mlflow.create_experiment("stancemeter-peer", (tracking / "artifacts").as_uri())
    mlflow.set_experiment(experiment_id=experiment)
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(
            pipeline,
            name="tfidf-lr",
            # a 1-D string tensor: the served model gets a NumPy array of texts, as the
            # pipeline expects ({"inputs": [text, ...]})
            signature=infer_signature(np.array(texts[:5]), pipeline.predict(texts[:5])),
        )
    Path(uri_file).write_text(info.model_uri)


if __name__ == "__main__":
    main(*sys.argv[1:4])
