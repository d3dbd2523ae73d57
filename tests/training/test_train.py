"""`python -m training.train`: the real command, on a small corpus."""

from __future__ import annotations

import json
import os

from sklearn.model_selection import ParameterGrid

from classifier.artifact import CURRENT, MANIFEST_FILE
from classifier.model import load_model
from training.train import cv_table, main, param_grid, search, simplest_near_best


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
    options = list(ParameterGrid(param_grid()))
    assert all(
        set(c) == {"clf__C", "features__words__ngram_range", "features__words__min_df",
                   "features__chars"}
        for c in options
    )  # fmt: skip
    assert {c["features__chars"] for c in options} == {"drop"}  # too slow to serve (docstring)
    assert len({c["clf__C"] for c in options}) >= 3
    assert {c["features__words__ngram_range"] for c in options} == {(1, 2)}
    assert {c["features__words__min_df"] for c in options} == {1, 2}
    assert len(options) == 6


def test_ties_go_to_the_simplest_candidate():
    results = {
        "mean_test_score": [0.850, 0.8515, 0.840, 0.852],
        "params": [
            {"clf__C": 30.0, "features__words__ngram_range": (1, 2), "features__chars": "drop"},
            {"clf__C": 10.0, "features__words__ngram_range": (1, 2), "features__chars": "drop"},
            {"clf__C": 3.0, "features__words__ngram_range": (1, 1), "features__chars": "drop"},
            {"clf__C": 10.0, "features__words__ngram_range": (1, 2), "features__chars": "x"},
        ],
    }
    # 0.8515 is within 0.002 of the best (0.852, with characters) and simpler; 0.840 is not
    assert simplest_near_best(results) == 1


def test_the_manifest_holds_every_candidate_described_from_get_params(tiny_corpus):
    from training.data import load_statements

    rows = load_statements(tiny_corpus)
    grid = [{"clf__C": [1.0, 10.0], "features__words__min_df": [1]}]
    found = search(grid, folds=2, jobs=1).fit([r.text for r in rows], [r.label for r in rows])
    table = cv_table(found)
    assert [row["rank"] for row in table] == sorted(row["rank"] for row in table)
    assert {row["hyperparameters"]["C"] for row in table} == {1.0, 10.0}
    assert all(row["hyperparameters"]["class_weight"] == "balanced" for row in table)
    assert found.best_estimator_.get_params()["clf__C"] in (1.0, 10.0)
