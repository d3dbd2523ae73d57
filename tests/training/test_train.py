"""`python -m training.train`: the real command, on a small corpus."""

from __future__ import annotations

import json
import os

from classifier.artifact import CURRENT, MANIFEST_FILE
from classifier.model import load_model
from training.train import GRID, candidates, main


def test_training_saves_a_verified_model_with_its_scores(saved_model_dir):
    manifest = json.loads((saved_model_dir / CURRENT / MANIFEST_FILE).read_text())
    assert manifest["version"] == os.readlink(saved_model_dir / CURRENT)
    scores = manifest["scores"]
    assert 0.0 <= scores["heldout_macro_f1"] <= 1.0 and scores["cv_folds"] == 2
    assert manifest["data"]["rows"] == 500 and manifest["data"]["heldout_rows"] == 100
    assert manifest["hyperparameters"]["class_weight"] == "balanced"
    assert {"scikit-learn", "nltk", "numpy"} <= set(manifest["libraries"])
    model = load_model(saved_model_dir / CURRENT)
    assert model.predict(["Romania delivered a Patriot battery."])[0].label == "lethal"


def test_same_data_and_seed_train_the_same_model(tmp_path, tiny_corpus, saved_model_dir):
    args = ["--data", str(tiny_corpus), "--out", str(tmp_path), "--quick", "--folds", "2",
            "--jobs", "1"]  # fmt: skip
    assert main(args) == 0
    texts = ["Kenya called for restraint.", "Hungary vetoed the aid package."]
    again = load_model(tmp_path / CURRENT).predict(texts)
    assert again == load_model(saved_model_dir / CURRENT).predict(texts)


def test_bad_data_exits_with_the_line_number(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Chile sent aid", "label": "non_lethal"}\n{"text": "x", "label": 3}\n')
    assert main(["--data", str(bad), "--out", str(tmp_path / "m")]) == 2
    assert "line 2: unknown label 3" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_grid_covers_the_hyperparameters_the_issue_names():
    options = candidates(GRID)
    assert all(
        set(c) == {"clf__C", "features__words__ngram_range", "features__words__min_df", "chars"}
        for c in options
    )
    assert {c["chars"] for c in options} == {False, True}  # the feature union, on and off
    assert len({c["clf__C"] for c in options}) >= 3
    assert {c["features__words__ngram_range"] for c in options} == {(1, 1), (1, 2)}
    assert {c["features__words__min_df"] for c in options} == {1, 2}
    assert len(options) == len({repr(c) for c in options}) == 14
