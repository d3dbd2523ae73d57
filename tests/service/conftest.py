from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config import Settings
from service import create_app
from tests.helpers import ANNOTATOR_TOKEN, TOKEN


@pytest.fixture()
def models(tmp_path, saved_model_dir):
    target = tmp_path / "models"
    shutil.copytree(saved_model_dir, target, symlinks=True)
    return target


@pytest.fixture()
def settings(models, tmp_path) -> Settings:
    return Settings(models_dir=models, admin_token=TOKEN, max_batch=5, max_chars=200,
                    max_body_bytes=20_000, annotator_tokens=f"analyst:{ANNOTATOR_TOKEN}",
                    database_url=f"sqlite:///{tmp_path / 'corrections.db'}")  # fmt: skip


@pytest.fixture()
def app(settings):
    return create_app(settings)


@pytest.fixture()
def client(app):
    return app.test_client()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, for the page tests."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )  # fmt: skip
        yield browser
        browser.close()
