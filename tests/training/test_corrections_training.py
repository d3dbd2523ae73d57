"""`make train` and `make evaluate` with analysts' corrections read from the store."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifier.artifact import CURRENT, MANIFEST_FILE
from store import CorrectionStore, NewCorrection
from tests.helpers import write_jsonl
from training import evaluate, train
from training.corrections import live_accuracy, load_corrections, merge
from training.data import Statement, holdout_split, load_statements

CORPUS_TEXT = "Canada will deliver Leopard tanks to Kyiv."


def row(text: str, label: str) -> Statement:
    return Statement(text, label, 1, {})


def record(text, label, when, ident, predicted="neutral", version="v1"):
    return {
        "text": text,
        "label": label,
        "created_at": when,
        "correction_id": ident,
        "model_version": version,
        "predicted_label": predicted,
    }


def test_merge_replaces_corpus_labels_and_keeps_the_latest_of_a_conflict():
    train_rows = [row(CORPUS_TEXT, "non_lethal"), row("Brazil kept its position.", "neutral")]
    heldout = [row("Oslo sent field hospitals.", "diplomatic")]
    records = [
        record("canada will deliver  Leopard tanks to Kyiv.", "lethal", "2026-01-01T00:00", 1),
        record("A new real sentence about aid.", "non_lethal", "2026-01-02T00:00", 2),
        record("A new real sentence about aid.", "diplomatic", "2026-01-03T00:00", 3),
        record("Oslo sent field hospitals.", "non_lethal", "2026-01-04T00:00", 4),
    ]
    merged = merge(train_rows, heldout, records, weight=3.0)
    labels = {r.text.lower(): r.label for r in merged.train}
    assert labels["canada will deliver  leopard tanks to kyiv."] == "lethal"
    assert CORPUS_TEXT.lower() not in labels  # the corpus row is replaced, not kept beside
    assert labels["a new real sentence about aid."] == "diplomatic"  # the latest wins
    assert labels["oslo sent field hospitals."] == "non_lethal"  # moved out of held-out
    assert merged.heldout == []
    assert len(merged.train) == 4 and list(merged.weights) == [1.0, 3.0, 3.0, 3.0]
    summary = merged.summary
    assert (
        summary["rows"] == 4 and summary["texts"] == 3 and summary["latest"] == "2026-01-04T00:00"
    )
    assert summary["replaced_corpus_rows"] == 2 and summary["moved_from_heldout"] == 1
    [conflict] = summary["conflicts"]
    assert conflict["labels"] == ["non_lethal", "diplomatic"] and conflict["correction_id"] == 3
    assert len(summary["sha256"]) == 64


def test_merge_without_corrections_changes_nothing():
    rows = [row(CORPUS_TEXT, "lethal")]
    merged = merge(rows, [], [], weight=2.0)
    assert merged.train == rows and merged.weights is None and merged.summary == {"rows": 0}


def test_live_accuracy_per_model_version():
    records = [
        record("One.", "lethal", "t1", 1, predicted="lethal"),
        record("Two.", "opposed", "t2", 2, predicted="lethal"),
        record("Two.", "lethal", "t3", 3, predicted="lethal"),  # the latest judgement
        record("Three.", "opposed", "t4", 4, predicted="diplomatic", version="v2"),
    ]
    assert live_accuracy(records) == [
        {
            "model_version": "v1",
            "statements": 2,
            "right": 2,
            "accuracy": 1.0,
            "two_or_more_off": 0.0,
        },
        {
            "model_version": "v2",
            "statements": 1,
            "right": 0,
            "accuracy": 0.0,
            "two_or_more_off": 1.0,
        },
    ]


def test_no_database_file_means_no_corrections(tmp_path):
    url = f"sqlite:///{tmp_path / 'never' / 'made.db'}"
    assert load_corrections(url) == []
    assert not (tmp_path / "never").exists()  # reading does not create it


@pytest.fixture()
def corrected_db(tmp_path, tiny_corpus, monkeypatch):
    """A database with corrections of a corpus text (twice, in conflict) and a new one."""
    url = f"sqlite:///{tmp_path / 'corrections.db'}"
    corpus_text = load_statements(tiny_corpus)[0].text
    store = CorrectionStore(url)
    store.add(
        [
            NewCorrection(
                corpus_text, "opposed", "alice", model_version="v0", predicted_label="neutral"
            )
        ]
    )
    store.add(
        [
            NewCorrection(
                corpus_text, "diplomatic", "bob", model_version="v0", predicted_label="neutral"
            ),
            NewCorrection(
                "Team-written: Ruritania will ship rifles to Elbonia.",
                "lethal",
                "bob",
                model_version="v0",
                predicted_label="lethal",
            ),
        ]
    )
    store.close()
    monkeypatch.setenv("STANCEMETER_DATABASE_URL", url)
    monkeypatch.setenv("STANCEMETER_CORRECTION_WEIGHT", "3")
    return url


def test_train_merges_the_corrections_and_records_them(tmp_path, tiny_corpus, corrected_db, capsys):
    args = [
        "--data",
        str(tiny_corpus),
        "--out",
        str(tmp_path / "models"),
        "--quick",
        "--folds",
        "2",
        "--jobs",
        "1",
    ]
    assert train.main(args) == 0
    err = capsys.readouterr().err
    assert "3 analyst corrections of 2 texts" in err and "conflicting corrections" in err
    manifest = json.loads((tmp_path / "models" / CURRENT / MANIFEST_FILE).read_text())
    corrections = manifest["data"]["corrections"]
    assert corrections["rows"] == 3 and corrections["weight"] == 3.0
    assert corrections["sha256"] and corrections["latest"].startswith("20")
    assert corrections["conflicts"][0]["labels"] == ["opposed", "diplomatic"]
    assert corrections["replaced_corpus_rows"] == 1
    train_rows, heldout = holdout_split(load_statements(tiny_corpus))
    assert (
        manifest["data"]["train_rows"] + manifest["data"]["heldout_rows"]
        == len(train_rows) + len(heldout) + 1
    )  # one corpus text replaced, one new

    assert train.main([*args, "--no-corrections"]) == 0
    manifest = json.loads((tmp_path / "models" / CURRENT / MANIFEST_FILE).read_text())
    assert manifest["data"]["corrections"] == {"rows": 0}


def test_sample_weights_reach_the_fit(tiny_corpus):
    from classifier.pipeline import build_pipeline

    rows = load_statements(tiny_corpus)[:200]
    texts, labels = [r.text for r in rows], [r.label for r in rows]
    plain = build_pipeline().fit(texts, labels)
    weighted = build_pipeline().fit(texts, labels, clf__sample_weight=np.full(len(rows), 5.0))
    assert not np.allclose(plain.named_steps["clf"].coef_, weighted.named_steps["clf"].coef_)


def test_evaluate_reports_live_accuracy(
    tmp_path, saved_model_dir, tiny_corpus, corrected_db, capsys
):
    data = write_jsonl(
        tmp_path / "e.jsonl",
        [
            {"text": "Oslo sent medicine.", "label": "non_lethal"},
            {"text": "Hungary vetoed aid.", "label": "opposed"},
        ],
    )
    args = [
        "--model",
        str(saved_model_dir / CURRENT),
        "--data",
        str(data),
        "--corpus",
        str(tiny_corpus),
        "--out",
        str(tmp_path),
        "--no-learning-curve",
        "--bootstrap",
        "20",
    ]
    assert evaluate.main(args) == 0
    out = capsys.readouterr().out
    assert "live accuracy of v0: 0.500 on 2 statements" in out
    version = (saved_model_dir / CURRENT).resolve().name
    metrics = json.loads((tmp_path / version / "e" / "metrics.json").read_text())
    assert metrics["live_accuracy"][0]["statements"] == 2
    assert "Live accuracy" in (tmp_path / version / "e" / "report.html").read_text()
