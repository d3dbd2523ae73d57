"""Training killed with SIGKILL at any point leaves `models/current` on a complete model,
and no half-written version is ever chosen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from classifier.artifact import CURRENT
from classifier.model import load_model
from tests.helpers import ROOT

pytestmark = pytest.mark.slow

# Runs training, but SIGKILLs itself just before or just after one step of saving.
_CHILD = """
import os, signal, sys, runpy
where, when = sys.argv[1], sys.argv[2]
module_name, _, attr = where.rpartition(".")
import joblib, classifier.fastpath
module = {"joblib": joblib, "os": os,
          "classifier.fastpath.LinearScorer": classifier.fastpath.LinearScorer}[module_name]
real = getattr(module, attr)
def wrapper(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(module, attr, wrapper)
sys.argv = ["train"] + sys.argv[3:]
runpy.run_module("training.train", run_name="__main__")
"""
SAVE_STEPS = [
    ("joblib.dump", "before"),
    ("joblib.dump", "after"),
    ("classifier.fastpath.LinearScorer.save", "after"),
    ("os.rename", "before"),
    ("os.rename", "after"),
    ("os.symlink", "after"),
    ("os.replace", "before"),
]


def check_models(models, previous: str) -> str:
    """`current` loads (both ways) and every visible version is complete; returns current."""
    current = os.readlink(models / CURRENT)
    assert not current.startswith("."), "current points at a staging directory"
    for lean in (False, True):
        assert load_model(models / CURRENT, lean=lean).version == current
    for entry in models.iterdir():
        if entry.name != CURRENT and not entry.name.startswith("."):
            load_model(entry, models)  # raises on anything half-written
    manifest = json.loads((models / current / "manifest.json").read_text())
    assert manifest["version"] == current, "current's manifest names another version"
    return current


@pytest.fixture()
def models(tmp_path, saved_model_dir):
    target = tmp_path / "models"
    shutil.copytree(saved_model_dir, target, symlinks=True)
    return target


def train_args(tiny_corpus, models) -> list[str]:
    return ["--data", str(tiny_corpus), "--out", str(models), "--quick", "--folds", "2",
            "--jobs", "1"]  # fmt: skip


@pytest.mark.parametrize("where, when", SAVE_STEPS)
def test_killed_while_saving(models, tiny_corpus, where, when):
    previous = os.readlink(models / CURRENT)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, where, when, *train_args(tiny_corpus, models)],
        cwd=ROOT, capture_output=True, timeout=300,
    )  # fmt: skip
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    current = check_models(models, previous)
    # before the link is replaced, the previous model stays current
    if (where, when) != ("os.replace", "after"):
        assert current == previous


@pytest.mark.parametrize("share", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_killed_at_any_moment(models, tiny_corpus, share):
    previous = os.readlink(models / CURRENT)
    command = [sys.executable, "-m", "training.train", *train_args(tiny_corpus, models)]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=300)
    duration = time.monotonic() - started
    after_full_run = check_models(models, previous)
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(duration * share)
    child.kill()
    child.wait()
    check_models(models, after_full_run)
