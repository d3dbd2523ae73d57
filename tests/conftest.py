"""Shared fixtures. The whole suite runs with an empty NLTK data path, which
proves the text pipeline needs no downloaded NLTK data."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import nltk
import pytest

from tests.helpers import CORPUS, write_jsonl

EMPTY_NLTK_DATA = tempfile.mkdtemp(prefix="empty-nltk-data-")
nltk.data.path[:] = [EMPTY_NLTK_DATA]
# No test touches the developer's var/ database: the default store of every app and
# every `training` run in the tests (servers included) is a file of its own.
os.environ["STANCEMETER_DATABASE_URL"] = (
    f"sqlite:///{tempfile.mkdtemp(prefix='stancemeter-db-')}/default.db"
)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (tests/postgres.py), stopped at the end."""
    from tests.postgres import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """An empty database: an SQLite file, then a database on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres").new_database()


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
def full_model(corpus_rows, trained_model):
    """``trained_model`` with the relevance model and the actor ranker, fitted as
    ``make train`` fits them, on the same training split."""
    from classifier.actors import RecipientModel
    from classifier.fastpath import LinearScorer
    from classifier.model import StanceModel
    from training.actors import fit_ranker
    from training.data import holdout_split
    from training.recipients import fit_recipients
    from training.relevance import fit_relevance, load_nonstance, split_nonstance

    train, _ = holdout_split(corpus_rows)
    other_train, _ = split_nonstance(load_nonstance())
    relevance = LinearScorer.from_pipeline(fit_relevance([r.text for r in train], other_train))
    recipients = RecipientModel(LinearScorer.from_pipeline(fit_recipients(train)))
    return StanceModel(trained_model.pipeline, trained_model.manifest, None, relevance,
                       fit_ranker(train), recipients)  # fmt: skip


@pytest.fixture(scope="session")
def full_models(tmp_path_factory, full_model) -> Path:
    """A models directory whose ``current`` is :func:`full_model`, saved with its files."""
    from classifier.artifact import save_artifact
    from classifier.model import ACTORS_FILE, RECIPIENTS_FILE, RELEVANCE_FILE
    from tests.helpers import CHECK_TEXTS

    models = tmp_path_factory.mktemp("full-models")
    extras = {RELEVANCE_FILE: full_model.relevance.save, ACTORS_FILE: full_model.actors.save,
              RECIPIENTS_FILE: full_model.recipients.save}  # fmt: skip
    save_artifact(full_model.pipeline, {"version": "x"}, models, CHECK_TEXTS, extras)
    return models


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
