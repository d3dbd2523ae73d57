"""`python -m training.evaluate` on a tiny corpus: files, numbers, errors, the gate."""

from __future__ import annotations

import json

import pytest

from classifier.artifact import CURRENT
from classifier.model import load_model
from tests.helpers import CHECK_TEXTS, write_jsonl
from training.evaluate import gate_threshold, main
from training.metrics import classification_figures

ROWS = [
    {"text": "Canada will deliver Leopard tanks to Kyiv.", "label": "lethal"},
    {"text": "Oslo sent field hospitals and medicine to Gaza.", "label": "non_lethal"},
    {"text": "The EU imposed new sanctions on Moscow.", "label": "diplomatic"},
    {"text": "Brazil said its position remains unchanged.", "label": "neutral"},
    {"text": "Hungary vetoed the aid package for Ukraine.", "label": "opposed"},
    {"text": "Japan will not send weapons to Ukraine.", "label": "neutral"},
]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory, saved_model_dir, tiny_corpus):
    out = tmp_path_factory.mktemp("reports")
    data = write_jsonl(out / "tiny_eval.jsonl", ROWS)
    args = ["--model", str(saved_model_dir / CURRENT), "--data", str(data),
            "--corpus", str(tiny_corpus), "--out", str(out), "--bootstrap", "100"]  # fmt: skip
    code = main(args)
    assert code == 0
    version = load_model(saved_model_dir / CURRENT).version
    return out / version / "tiny_eval", saved_model_dir


def test_report_files_exist_and_hold_the_numbers(evaluated):
    folder, models = evaluated
    metrics = json.loads((folder / "metrics.json").read_text())
    predicted = [p.label for p in load_model(models / CURRENT).predict([r["text"] for r in ROWS])]
    expected = classification_figures([r["label"] for r in ROWS], predicted)
    figures = metrics["figures"]
    assert figures["macro_f1"] == pytest.approx(expected["macro_f1"])
    assert figures["confusion_matrix"] == expected["confusion_matrix"]
    assert figures["mean_absolute_level_error"] == pytest.approx(
        expected["mean_absolute_level_error"]
    )
    assert figures["macro_f1_ci95"][0] <= figures["macro_f1"] <= figures["macro_f1_ci95"][1]
    assert {"log_loss", "brier", "ece"} <= set(figures["calibration"])
    assert set(metrics["baselines"]) == {"majority label", "keyword rules"}
    assert len(metrics["learning_curve"]) == 5
    assert metrics["data"]["rows"] == 6 and metrics["data"]["name"] == "tiny_eval"
    wrong = sum(a != r["label"] for a, r in zip(predicted, ROWS))
    assert len(metrics["most_confident_errors"]) == min(wrong, 25)

    html = (folder / "report.html").read_text()
    assert f"{figures['macro_f1']:.3f}" in html
    # heat map, bars, reliability, coverage, learning curve
    assert html.count("data:image/png;base64,") == 5
    triage = figures["triage"]
    assert triage["accepted"] + triage["flagged"] == 6 and 0 <= triage["coverage"] <= 1
    assert "Triage at the review threshold" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    markdown = (folder / "report.md").read_text()
    assert f"| model | {figures['macro_f1']:.3f} |" in markdown
    assert "| keyword rules |" in markdown


def test_the_previous_model_is_compared_when_there_is_one(tmp_path, saved_model_dir, tiny_corpus):
    import shutil

    from classifier.artifact import save_artifact

    models = tmp_path / "models"
    shutil.copytree(saved_model_dir, models, symlinks=True)
    first = load_model(models / CURRENT)
    save_artifact(first.pipeline, {**first.manifest, "note": "retrained"}, models, CHECK_TEXTS)
    data = write_jsonl(tmp_path / "e.jsonl", ROWS)
    assert main(["--data", str(data), "--model", str(models / CURRENT), "--corpus",
                 str(tiny_corpus), "--out", str(tmp_path / "r"), "--no-learning-curve",
                 "--bootstrap", "50"]) == 0  # fmt: skip
    [metrics_path] = (tmp_path / "r").glob("*/e/metrics.json")
    metrics = json.loads(metrics_path.read_text())
    assert metrics["previous"]["version"] == first.version
    assert metrics["previous"]["difference"]["macro_f1"] == 0.0  # the same pipeline


def test_a_malformed_data_file_is_a_clear_error(tmp_path, saved_model_dir, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "label": "neutral"}\n{"text": "x", "label": "hostile"}\n')
    code = main(["--model", str(saved_model_dir / CURRENT), "--data", str(bad),
                 "--out", str(tmp_path / "r")])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "line 2: unknown label 'hostile'" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_quality_gate(tmp_path, saved_model_dir, tiny_corpus, monkeypatch, capsys):
    data = write_jsonl(tmp_path / "g.jsonl", ROWS)
    args = ["--model", str(saved_model_dir / CURRENT), "--data", str(data), "--corpus",
            str(tiny_corpus), "--out", str(tmp_path), "--no-learning-curve", "--bootstrap", "20",
            "--gate"]  # fmt: skip
    monkeypatch.setattr("training.evaluate.gate_threshold", lambda: 1.01)
    assert main(args) == 3
    assert "quality gate FAILED" in capsys.readouterr().err
    monkeypatch.setattr("training.evaluate.gate_threshold", lambda: 0.0)
    assert main(args) == 0
    assert 0.0 < gate_threshold() < 1.0  # the real one, from pyproject.toml
