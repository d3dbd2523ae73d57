"""A small synthetic archive with planted change points, and the model that checked it."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.model import load_model
from tracker.synthetic import generate

REVIEW_THRESHOLD = 0.75
"""The test model is not calibrated; this review threshold makes it flag its doubtful
predictions, as a trained model does, so flagged statements are part of the tests."""


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, full_model) -> Path:
    """The test model (with relevance and actors) saved with a review threshold: the
    directory a worker loads."""
    from classifier.artifact import save_artifact
    from classifier.model import ACTORS_FILE, RELEVANCE_FILE
    from tests.helpers import CHECK_TEXTS

    models = tmp_path_factory.mktemp("tracker-models")
    extras = {RELEVANCE_FILE: full_model.relevance.save, ACTORS_FILE: full_model.actors.save}
    manifest = {"version": "x", "calibration": {"temperature": 1.0,
                                                "review_threshold": REVIEW_THRESHOLD}}  # fmt: skip
    return save_artifact(full_model.pipeline, manifest, models, CHECK_TEXTS, extras)


@pytest.fixture(scope="session")
def tracker_model(model_dir):
    return load_model(model_dir, model_dir.parent, lean=True)


@pytest.fixture(scope="session")
def archive(tmp_path_factory, tracker_model) -> tuple[Path, dict]:
    """12 months, 7 planted pairs, 6 planted change points, 4 bad lines; ~80 articles."""
    folder = tmp_path_factory.mktemp("archive")
    return folder, generate(tracker_model, folder, seed=3)
