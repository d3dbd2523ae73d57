"""Saved models: round trip, tamper and version checks, safe paths, atomic ``current``."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from classifier.artifact import (
    CURRENT,
    MANIFEST_FILE,
    MODEL_FILE,
    ArtifactError,
    point_current,
    save_artifact,
)
from classifier.loading import resolve_model_dir
from classifier.model import load_model
from tests.helpers import CHECK_TEXTS


@pytest.fixture()
def models(tmp_path, saved_model_dir):
    """A private copy of a models directory holding one trained version."""
    target = tmp_path / "models"
    shutil.copytree(saved_model_dir, target, symlinks=True)
    return target


def version_of(models) -> str:
    return os.readlink(models / CURRENT)


def test_round_trip_gives_the_same_predictions(models):
    model = load_model(models / CURRENT)
    texts = ["Norway will deliver air-defence systems.", "Peru abstained in the vote."]
    again = load_model(models / version_of(models), models_dir=models)
    assert model.predict(texts) == again.predict(texts)
    assert model.version == version_of(models)
    manifest = json.loads((models / CURRENT / MANIFEST_FILE).read_text())
    assert manifest["labels"] == ["opposed", "neutral", "diplomatic", "non_lethal", "lethal"]
    assert set(manifest["scores"]) >= {"cv_macro_f1_mean", "cv_macro_f1_sd", "heldout_macro_f1"}
    assert len(manifest["data"]["sha256"]) == 64


def test_a_tampered_model_is_refused(models):
    path = models / CURRENT / MODEL_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="does not match the manifest"):
        load_model(models / CURRENT)


def test_a_model_from_another_sklearn_version_is_refused(models):
    path = models / CURRENT / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "sklearn_version": "0.24.2"}))
    with pytest.raises(ArtifactError, match=r"trained with scikit-learn 0\.24\.2"):
        load_model(models / CURRENT)


def test_a_missing_or_broken_manifest_is_refused(models):
    (models / CURRENT / MANIFEST_FILE).write_text("{not json")
    with pytest.raises(ArtifactError, match="unreadable"):
        load_model(models / CURRENT)
    (models / CURRENT / MANIFEST_FILE).unlink()
    with pytest.raises(ArtifactError, match="missing"):
        load_model(models / CURRENT)


def test_paths_outside_the_models_directory_are_refused(models, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(models / version_of(models), outside / "v1")
    with pytest.raises(ArtifactError, match="only loaded from"):
        load_model(outside / "v1", models_dir=models)
    with pytest.raises(ArtifactError, match="only loaded from"):
        load_model(models / ".." / "elsewhere" / "v1", models_dir=models)
    (models / "sneaky").symlink_to(outside / "v1")
    with pytest.raises(ArtifactError, match="only loaded from"):
        load_model("sneaky", models_dir=models)


def test_bare_version_names_resolve_inside_the_models_directory(models):
    version = version_of(models)
    assert resolve_model_dir(version, models) == (models / version).resolve()
    with pytest.raises(ArtifactError, match="no model"):
        resolve_model_dir("20990101T000000Z-deadbeef", models)


def test_saving_switches_current_atomically(models):
    first = version_of(models)
    model = load_model(models / CURRENT)
    second = save_artifact(
        model.pipeline, {"labels": model.manifest["labels"]}, models, CHECK_TEXTS
    )
    assert version_of(models) == second.name != first
    assert load_model(models / CURRENT).version == second.name
    assert not [p for p in models.iterdir() if p.name.startswith(".")]  # no leftovers
    point_current(models, first)
    assert load_model(models / CURRENT).version == first


def test_a_failed_save_leaves_the_previous_model_current(models, monkeypatch):
    first = version_of(models)
    model = load_model(models / CURRENT)
    before = sorted(p.name for p in models.iterdir())

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("joblib.dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        save_artifact(model.pipeline, {}, models, CHECK_TEXTS)
    assert version_of(models) == first
    assert sorted(p.name for p in models.iterdir()) == before


def test_saving_clears_what_killed_saves_left_and_nothing_in_progress(models):
    """A save killed midway leaves a hidden staging directory or link (never loaded);
    the next save removes those of dead processes and keeps a live one's."""
    first = version_of(models)
    dead = 2**22 + 17  # above Linux's largest pid: no such process
    (models / f".staging-{dead}-1").mkdir()
    (models / f".staging-{dead}-1" / MODEL_FILE).write_bytes(b"half written")
    os.symlink(first, models / f".{CURRENT}-{dead}-2")
    (models / f".staging-{os.getpid()}-3").mkdir()  # a save in progress here
    model = load_model(models / CURRENT)
    save_artifact(model.pipeline, {"labels": model.manifest["labels"]}, models, CHECK_TEXTS)
    hidden = sorted(p.name for p in models.iterdir() if p.name.startswith("."))
    assert hidden == [f".staging-{os.getpid()}-3"]


def test_current_cannot_point_at_a_missing_version(models):
    with pytest.raises(ArtifactError, match="no such model version"):
        point_current(models, "nope")
    with pytest.raises(ArtifactError, match="no such model version"):
        point_current(models, "../x")


def test_a_model_from_another_analyzer_is_refused(models):
    path = models / CURRENT / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "analyzer_fingerprint": "0" * 16}))
    with pytest.raises(ArtifactError, match="another version of the text analyzer"):
        load_model(models / CURRENT)
    with pytest.raises(ArtifactError, match="another version of the text analyzer"):
        load_model(models / CURRENT, lean=True)


def test_a_tampered_scorer_is_refused(models):
    from classifier.artifact import SCORER_FILE

    (models / CURRENT / SCORER_FILE).write_bytes(b"PK\x03\x04 not arrays")
    with pytest.raises(ArtifactError, match="does not match the manifest"):
        load_model(models / CURRENT, lean=True)


def _refused(models, before):
    assert sorted(p.name for p in models.iterdir()) == before, "something of the save was kept"


def test_a_scorer_with_a_wrong_idf_is_not_saved(models, monkeypatch):
    """The served scorer must be the model: one wrong idf weight and the save is refused."""
    from classifier.fastpath import LinearScorer

    first, before = version_of(models), sorted(p.name for p in models.iterdir())
    model = load_model(models / CURRENT)
    real = LinearScorer.from_pipeline.__func__

    def wrong_idf(cls, pipeline):
        scorer = real(cls, pipeline)
        idf = scorer.blocks[0].idf.copy()
        idf[::2] *= 1.05  # some terms weighed wrongly (a uniform factor would cancel in the norm)
        scorer.blocks[0].idf = idf
        return scorer

    monkeypatch.setattr(LinearScorer, "from_pipeline", classmethod(wrong_idf))
    with pytest.raises(ArtifactError, match="differs from the pipeline"):
        save_artifact(model.pipeline, {}, models, CHECK_TEXTS)
    assert version_of(models) == first
    _refused(models, before)


@pytest.mark.parametrize("view", [0, 1], ids=["all words", "main clause"])
def test_a_scorer_with_a_changed_analyzer_is_not_saved(models, monkeypatch, view):
    """The scorer tokenizes on its own (both its paths read classifier.text.analyze): if
    either view drifts from the pipeline's analyzer, no save."""
    import classifier.text

    first, before = version_of(models), sorted(p.name for p in models.iterdir())
    model = load_model(models / CURRENT)
    real = classifier.text.analyze

    def drifted(text: str) -> tuple[list[str], list[str]]:
        views = list(real(text))
        views[view] = views[view][1:]
        return views[0], views[1]

    monkeypatch.setattr(classifier.text, "analyze", drifted)
    with pytest.raises(ArtifactError, match="differs from the pipeline"):
        save_artifact(model.pipeline, {}, models, CHECK_TEXTS)
    assert version_of(models) == first
    _refused(models, before)


def test_a_saved_model_records_its_scorer_check(models):
    manifest = json.loads((models / CURRENT / MANIFEST_FILE).read_text())
    assert manifest["scorer_check"]["rows"] > 0
    assert manifest["scorer_check"]["max_difference"] <= 1e-9
