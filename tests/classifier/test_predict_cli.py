"""`python -m classifier.predict`: JSON Lines and plain text in, JSON Lines out."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from classifier.artifact import CURRENT
from tests.helpers import ROOT


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
        assert set(prediction) == {
            "label",
            "level",
            "probabilities",
            "confidence",
            "review",
            "reason",
            "language",
            "relevance",
            "actor",
            "recipient",
        }
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


def hidden_files(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def test_a_bad_line_leaves_an_existing_output_untouched(model_arg, tmp_path):
    keep = tmp_path / "keep.jsonl"
    keep.write_text('{"old": true}\n')
    keep.chmod(0o640)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Oslo sent tents."}\n{"text": 5}\n')
    result = run([*model_arg, "--input", str(bad), "--output", str(keep)], "")
    assert result.returncode == 2
    assert "line 2" in result.stderr and "Traceback" not in result.stderr
    assert keep.read_text() == '{"old": true}\n'
    assert hidden_files(tmp_path) == []  # the temporary file is gone
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "Oslo sent tents."}\n')
    result = run([*model_arg, "--input", str(good), "--output", str(keep)], "")
    assert result.returncode == 0, result.stderr
    assert json.loads(keep.read_text())["prediction"]["label"]
    assert keep.stat().st_mode & 0o777 == 0o640 and hidden_files(tmp_path) == []


def test_inputs_that_cannot_be_read_are_one_line_errors(model_arg, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"Oslo sent tents.\ncaf\xe9 au lait\n")
    cases = {
        str(tmp_path / "missing.jsonl"): "No such file",
        str(tmp_path): "Is a directory",
        str(latin): "line 2: not UTF-8",
    }
    for path, words in cases.items():
        result = run([*model_arg, "--input", path], "")
        assert result.returncode == 2, path
        errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1 and words in errors[0], result.stderr
        assert "Traceback" not in result.stderr


def test_an_unreadable_file_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    import builtins

    from classifier.predict import main

    secret = tmp_path / "secret.jsonl"
    secret.write_text('{"text": "x"}\n')
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):  # root may read anything: refuse by hand
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    assert main(["--input", str(secret)]) == 2
    assert capsys.readouterr().err == f"error: cannot read {secret}: Permission denied\n"


def test_the_first_line_decides_the_format_of_the_whole_file(model_arg):
    text = "Oslo sent field hospitals.\n{braces} open this line of plain text\n"
    result = run(model_arg, text)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "Oslo sent field hospitals.", "{braces} open this line of plain text",
    ]  # fmt: skip
    assert "reading plain text lines" in result.stderr
    result = run(model_arg, '\n{"text": "Oslo sent tents."}\n')
    assert result.returncode == 0 and "reading JSON Lines" in result.stderr
    assert "line 2" in result.stderr  # the first non-empty line
    forced = run([*model_arg, "--format", "text"], '{"text": "Oslo sent tents."}\n')
    assert json.loads(forced.stdout)["text"] == '{"text": "Oslo sent tents."}'
    assert forced.stderr == ""  # nothing to announce: the format was chosen
    strict = run([*model_arg, "--format", "jsonl"], "Oslo sent tents.\n")
    assert strict.returncode == 2 and "line 1: invalid JSON" in strict.stderr


def test_csv_with_a_text_column(model_arg, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text,source\n7,"Oslo sent tents, and food.",wire\n'
                      '8,"Two\nlines.",desk\n')  # fmt: skip
    result = run([*model_arg, "--format", "csv", "--input", str(source)], "")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["text"], r["source"]) for r in lines] == [
        ("7", "Oslo sent tents, and food.", "wire"), ("8", "Two\nlines.", "desk"),
    ]  # fmt: skip
    assert all("label" in r["prediction"] for r in lines)
    result = run([*model_arg, "--format", "csv"], "id,body\n1,Oslo sent tents.\n")
    assert result.returncode == 2
    assert result.stderr == (
        "error: <stdin>: line 1: the CSV header needs a 'text' column; it has 'id', 'body'\n"
    )
    result = run([*model_arg, "--format", "csv"], "id,text\n1,Oslo,sent tents\n")
    assert result.returncode == 2 and "line 2: 3 fields" in result.stderr
