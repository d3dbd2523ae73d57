"""Shared fixtures. The whole suite runs with an empty NLTK data path, which
proves the text pipeline needs no downloaded NLTK data."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import nltk
import pytest

from tests.helpers import CORPUS, write_jsonl

EMPTY_NLTK_DATA = tempfile.mkdtemp(prefix="empty-nltk-data-")
nltk.data.path[:] = [EMPTY_NLTK_DATA]


@pytest.fixture(scope="session")
def corpus_rows():
    from training.data import load_statements

    return load_statements(CORPUS)


@pytest.fixture(scope="session")
def trained_model(corpus_rows):
    """A model fitted with the default hyperparameters on the corpus's training split."""
    from classifier.model import StanceModel
    from classifier.pipeline import build_pipeline
    from training.data import holdout_split

    train, _ = holdout_split(corpus_rows)
    pipeline = build_pipeline().fit([r.text for r in train], [r.label for r in train])
    return StanceModel(pipeline, {"version": "test-default"})


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory, corpus_rows) -> Path:
    """A small stratified sample of the corpus (100 per label), for fast training runs."""
    rng = random.Random(7)
    by_label: dict[str, list] = {}
    for row in corpus_rows:
        by_label.setdefault(row.label, []).append(row)
    sample = [r for rows in by_label.values() for r in rng.sample(rows, 100)]
    path = tmp_path_factory.mktemp("tiny") / "tiny.jsonl"
    return write_jsonl(path, [{"text": r.text, "label": r.label} for r in sample])


@pytest.fixture(scope="session")
def saved_model_dir(tmp_path_factory, tiny_corpus) -> Path:
    """A models directory with one version trained by the real CLI, and ``current``."""
    from training.train import main

    models = tmp_path_factory.mktemp("models")
    assert (
        main(
            [
                "--data",
                str(tiny_corpus),
                "--out",
                str(models),
                "--quick",
                "--folds",
                "2",
                "--jobs",
                "1",
            ]
        )
        == 0
    )
    return models
