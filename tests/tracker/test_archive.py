"""Reading an archive: partitions by byte offsets and row groups, checked articles."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tracker.archive import ArchiveError, Reject, check_record, parse_date, plan, read_partition


def article(i: int, **changes) -> dict:
    return {"id": f"n{i}", "date": "2024-03-0" + str(1 + i % 9), "source": "Harbour Wire",
            "title": f"t{i}", "text": f"Article {i} says little.", **changes}  # fmt: skip


def test_jsonl_partitions_cover_every_line_once_by_byte_offsets(tmp_path):
    lines = [json.dumps(article(i), ensure_ascii=False) for i in range(23)]
    lines[5] = json.dumps(article(5, text="Kyiv, Zürich and Łódź."), ensure_ascii=False)
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(article(99)), encoding="utf-8")  # no final \n
    partitions = plan(tmp_path, 5)
    assert [(p.name, p.first_line) for p in partitions] == [
        ("a.jsonl", 1), ("a.jsonl", 6), ("a.jsonl", 11), ("a.jsonl", 16), ("a.jsonl", 21),
        ("b.jsonl", 1)]  # fmt: skip
    read = [a for p in partitions for a in read_partition(p)[0]]
    assert [a.id for a in read] == [f"n{i}" for i in range(23)] + ["n99"]
    assert read[5].text == "Kyiv, Zürich and Łódź." and read[5].where == "a.jsonl:6"


def test_parquet_partitions_are_row_groups(tmp_path):
    rows = [article(i) for i in range(10)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "x.parquet", row_group_size=4)
    partitions = plan(tmp_path, 100)
    assert len(partitions) == 3
    read = [read_partition(p)[0] for p in partitions]
    assert [len(r) for r in read] == [4, 4, 2]
    assert read[2][1].where == "x.parquet:row 10" and read[2][1].id == "n9"


def test_keys_change_with_the_content_and_the_context(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps(article(1)) + "\n")
    key = plan(tmp_path, 10)[0].key("v1", "")
    assert plan(tmp_path, 10)[0].key("v1", "") == key
    assert plan(tmp_path, 10)[0].key("v2", "") != key
    assert plan(tmp_path, 10)[0].key("v1", "2024-01-01") != key
    (tmp_path / "a.jsonl").write_text(json.dumps(article(2)) + "\n")
    assert plan(tmp_path, 10)[0].key("v1", "") != key


@pytest.mark.parametrize(("record", "reason"), [
    ({"date": "2024-01-01", "source": "s"}, "no text"),
    ({"date": "2024-01-01", "source": "s", "text": " \n"}, "no text"),
    ({"date": "2024-01-01", "source": "s", "text": 5}, "no text"),
    ({"date": "yesterday", "source": "s", "text": "x"}, "bad date 'yesterday'"),
    ({"date": "2024-02-30", "source": "s", "text": "x"}, "bad date '2024-02-30'"),
    ({"source": "s", "text": "x"}, "bad date None"),
    ({"date": "2024-01-01", "text": "x"}, "no source"),
    (["not", "an", "object"], "not a JSON object"),
])  # fmt: skip
def test_a_bad_record_is_a_reject_with_its_reason(record, reason):
    result = check_record(record, "f.jsonl:3")
    assert isinstance(result, Reject) and result.reason == reason and result.where == "f.jsonl:3"


def test_a_bad_line_is_a_reject_and_the_others_are_read(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(json.dumps(article(1)).encode() + b"\n\xff\xfe{}\n"
                                       + b"{oops\n" + json.dumps(article(2)).encode())  # fmt: skip
    articles, rejects = read_partition(plan(tmp_path, 10)[0])
    assert [a.id for a in articles] == ["n1", "n2"]
    reasons = [(r.where, r.reason) for r in rejects]
    assert reasons == [("a.jsonl:2", "not UTF-8"), ("a.jsonl:3", "not a JSON object")]


def test_dates_and_ids():
    assert parse_date("2024-03-05T23:10:00+02:00") == date(2024, 3, 5)
    assert parse_date(" 2024-03-05 ") == date(2024, 3, 5)
    assert parse_date(date(2024, 3, 5)) == date(2024, 3, 5)
    a = check_record({"date": "2024-03-05", "source": "s", "text": "x"}, "w")
    b = check_record({"date": "2024-03-05", "source": "s", "text": "x", "id": ""}, "v")
    assert a.id == b.id and len(a.id) == 16  # the same content is the same article
    assert check_record({"date": "2024-03-05", "source": "s", "text": "x", "id": 7}, "w").id == "7"


def test_an_archive_without_articles_is_an_error(tmp_path):
    with pytest.raises(ArchiveError, match="no such file"):
        plan(tmp_path / "missing", 10)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ArchiveError, match=r"no \.jsonl, \.ndjson or \.parquet"):
        plan(tmp_path, 10)
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(ArchiveError, match="not a readable Parquet file"):
        plan(tmp_path, 10)
