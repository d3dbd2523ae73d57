"""python -m classifier.analyze: .txt files, folders, JSON Lines; sentences or summaries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT, read_jsonl

ARTICLES = read_jsonl(ROOT / "tests/fixtures/articles.jsonl")[:3]


def run(models, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "classifier.analyze", "--model",
                           str(models / "current"), *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True)  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("articles")
    for article in ARTICLES:
        (path / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
    (path / "notes.md").write_text("not an article")
    return path


def test_a_folder_gives_every_sentence_with_its_file(full_models, folder):
    result = run(full_models, "--input", str(folder))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["file"] for line in lines} == {f"{a['id']}.txt" for a in ARTICLES}
    for line in lines:
        text = (folder / line["file"]).read_text(encoding="utf-8")
        sentence = line["sentence"]
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert (sentence["prediction"] is None) == (not sentence["relevant"])


def test_json_lines_pass_their_fields_and_summarise(full_models, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": a["id"], "date": a["date"], "text": a["text"]})
                              + "\n" for a in ARTICLES))  # fmt: skip
    out = tmp_path / "out.jsonl"
    result = run(full_models, "--input", str(source), "--output", str(out), "--summary")
    assert result.returncode == 0, result.stderr
    lines = read_jsonl(out)
    assert [line["id"] for line in lines] == [a["id"] for a in ARTICLES]
    assert all(line["date"] and isinstance(line["summary"], list) for line in lines)
    assert any(row["label"] == "lethal" for row in lines[0]["summary"])


def test_a_bad_article_is_named_and_the_old_output_kept(full_models, tmp_path):
    out = tmp_path / "keep.jsonl"
    out.write_text("old\n")
    bad = json.dumps({"text": "Oslo sent tents."}) + "\n" + json.dumps({"text": "  "}) + "\n"
    result = run(full_models, "--output", str(out), stdin=bad)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("line 2: 'text' is empty")
    assert out.read_text() == "old\n"
    assert "Traceback" not in result.stderr
