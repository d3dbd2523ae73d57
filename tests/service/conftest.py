from __future__ import annotations

import shutil

import pytest

from config import Settings
from service import create_app
from tests.helpers import TOKEN


@pytest.fixture()
def models(tmp_path, saved_model_dir):
    target = tmp_path / "models"
    shutil.copytree(saved_model_dir, target, symlinks=True)
    return target


@pytest.fixture()
def settings(models) -> Settings:
    return Settings(models_dir=models, admin_token=TOKEN, max_batch=5, max_chars=200,
                    max_body_bytes=20_000)  # fmt: skip


@pytest.fixture()
def app(settings):
    return create_app(settings)


@pytest.fixture()
def client(app):
    return app.test_client()
