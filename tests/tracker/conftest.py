"""A small synthetic archive with planted change points, and the model that checked it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.synthetic import generate


@pytest.fixture(scope="session")
def model_dir(full_models) -> Path:
    """The test model (with relevance and actors), as the directory a worker loads."""
    return (full_models / "current").resolve()


@pytest.fixture(scope="session")
def archive(tmp_path_factory, full_model) -> tuple[Path, dict]:
    """12 months, 7 planted pairs, 6 planted change points, 4 bad lines; ~80 articles."""
    folder = tmp_path_factory.mktemp("archive")
    return folder, generate(full_model, folder, seed=3)
