"""`python -m classifier.predict`: JSON Lines and plain text in, JSON Lines out."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from classifier.artifact import CURRENT
from tests.conftest import ROOT


def run(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "classifier.predict", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def model_arg(saved_model_dir):
    return ["--model", str(saved_model_dir / CURRENT)]


def test_json_lines_pass_their_fields_through(model_arg):
    stdin = (
        '{"id": "a1", "text": "Canada will deliver Leopard tanks.", "source": "wire"}\n'
        '{"id": 2, "text": "Peru said its position remains unchanged."}\n'
    )
    result = run(model_arg, stdin)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a1", 2]
    assert lines[0]["source"] == "wire"
    for line in lines:
        prediction = line["prediction"]
        assert set(prediction) == {"label", "level", "probabilities"}
        assert sum(prediction["probabilities"].values()) == pytest.approx(1.0)


def test_plain_text_lines_and_explanations(model_arg, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("Canada will deliver Leopard tanks.\n\nOslo sent field hospitals.\n")
    out = tmp_path / "out.jsonl"
    result = run([*model_arg, "--explain", "--top-k", "3", "--input", str(source),
                  "--output", str(out)], "")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["text"] for line in lines] == [
        "Canada will deliver Leopard tanks.", "Oslo sent field hospitals.",
    ]  # fmt: skip
    explanation = lines[0]["prediction"]["explanation"]
    assert explanation["label"] == lines[0]["prediction"]["label"]
    assert 0 < len(explanation["toward"]) <= 3
    assert {"term", "feature", "weight", "spans"} == set(explanation["toward"][0])


def test_bad_input_says_which_line(model_arg):
    result = run(model_arg, '{"text": "ok"}\n{"text": \n')
    assert result.returncode == 2
    assert "line 2: invalid JSON" in result.stderr
    result = run(model_arg, '{"id": 1}\n')
    assert result.returncode == 2 and "line 1" in result.stderr


def test_a_missing_model_is_a_clear_error(tmp_path):
    result = run(["--model", str(tmp_path / "none")], "hello\n")
    assert result.returncode == 2
    assert "no model at" in result.stderr and "Traceback" not in result.stderr
