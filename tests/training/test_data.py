"""The corpus loader rejects bad files with line numbers; the corpus meets its card."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from classifier.labels import LABELS
from tests.helpers import CORPUS
from training.data import DataError, holdout_split, load_statements

GOOD = '{"text": "Canada sent howitzers.", "label": "lethal"}\n'


def load_text(tmp_path, content: str):
    path = tmp_path / "d.jsonl"
    path.write_text(content, encoding="utf-8")
    return load_statements(path)


@pytest.mark.parametrize(
    "bad_line, reason",
    [
        ('{"text": "x", "label": "lethal"', "line 2: invalid JSON"),
        ('["text", "label"]', "line 2: expected a JSON object"),
        ('{"label": "lethal"}', "line 2: missing 'text'"),
        ('{"text": "   ", "label": "lethal"}', "line 2: 'text' is empty"),
        ('{"text": 5, "label": "lethal"}', "line 2: 'text' must be a string"),
        ('{"text": "Peru abstained."}', "line 2: missing 'label'"),
        ('{"text": "Peru abstained.", "label": "hostile"}', "line 2: unknown label 'hostile'"),
        (
            '{"text": "canada  sent howitzers.", "label": "neutral"}',
            "line 2: the same text is labelled 'neutral' here and 'lethal' on line 1",
        ),
    ],
)
def test_rejects_a_bad_row_with_its_line_and_reason(tmp_path, bad_line, reason):
    with pytest.raises(DataError) as error:
        load_text(tmp_path, GOOD + bad_line + "\n")
    assert reason in str(error.value)


def test_reports_every_problem_not_just_the_first(tmp_path):
    with pytest.raises(DataError) as error:
        load_text(tmp_path, "{bad\n" + GOOD + '{"text": "", "label": "lethal"}\n')
    assert len(error.value.problems) == 2
    assert "line 1" in error.value.problems[0] and "line 3" in error.value.problems[1]


def test_rejects_empty_and_non_utf8_files(tmp_path):
    with pytest.raises(DataError, match="no statements"):
        load_text(tmp_path, "\n\n")
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"text": "Bogot\xe1 sent aid", "label": "non_lethal"}\n'.encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_statements(path)


def test_keeps_every_valid_row_and_its_metadata(tmp_path):
    rows = load_text(
        tmp_path, GOOD + "\n" + GOOD + '{"text": "Peru abstained.", "label": "neutral", "id": 7}\n'
    )
    assert [r.line for r in rows] == [1, 3, 4]
    assert rows[2].meta == {"id": 7}


def test_holdout_split_is_fixed_and_stratified(corpus_rows):
    train, test = holdout_split(corpus_rows)
    _, again_test = holdout_split(list(corpus_rows))
    assert [r.text for r in test] == [r.text for r in again_test]
    assert len(test) == pytest.approx(0.2 * len(corpus_rows), abs=1)
    assert not {r.text for r in train} & {r.text for r in test}
    share = Counter(r.label for r in test)
    for label, count in Counter(r.label for r in corpus_rows).items():
        assert share[label] == pytest.approx(0.2 * count, abs=1)


def test_corpus_meets_the_data_card(corpus_rows):
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert len(corpus_rows) == len(records) >= 3000
    labels = Counter(r["label"] for r in records)
    assert all(labels[label] >= 450 for label in LABELS), labels
    assert len({r["actor"] for r in records}) >= 60
    assert len({r["recipient"] for r in records}) >= 8
    families = Counter(r["family"] for r in records)
    hard_cases = [
        "negation", "only_limited", "unchanged_continues", "conditional", "multi_aid",
        "allegation_denial", "recipient_request", "sanctions_vs_aid", "blocking",
    ]  # fmt: skip
    assert all(families[f] >= 150 for f in hard_cases), families
    texts = [" ".join(r["text"].lower().split()) for r in records]
    assert len(set(texts)) == len(texts), "duplicate texts in the corpus"


def test_minimal_pairs_in_the_corpus_differ_in_label():
    pairs: dict[str, list[str]] = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "pair" in record:
            pairs.setdefault(record["pair"], []).append(record["label"])
    assert len(pairs) >= 100
    assert all(len(labels) == 2 and labels[0] != labels[1] for labels in pairs.values())
