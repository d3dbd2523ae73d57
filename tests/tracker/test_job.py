"""`make track` end to end: a 2-worker LocalCluster and the local scheduler give the
same table and report, and the change points are exactly the planted ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

from tracker.job import TrackError, run_job
from tracker.table import read_articles, read_table

pytestmark = pytest.mark.slow
OUTPUTS = ("report.html", "summary.csv", "tracker.json", "rejects.jsonl", "articles.parquet")


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes on 127.0.0.1, closed after this module."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:  # fmt: skip
        yield local


@pytest.fixture(scope="module")
def runs(cluster, archive, model_dir, tmp_path_factory):
    folder, _ = archive
    out = tmp_path_factory.mktemp("runs")
    on_cluster = run_job(folder, out / "cluster", model_dir, cluster.scheduler_address,
                         articles_per_partition=8, progress=False)  # fmt: skip
    local = run_job(folder, out / "local", model_dir, "sync", articles_per_partition=8,
                    progress=False)  # fmt: skip
    return out, on_cluster, local


def planted(expected: dict) -> list[tuple]:
    return sorted((c["actor"], c["recipient"], c["month"], c["from_label"], c["to_label"])
                  for c in expected["change_points"])  # fmt: skip


def found(out: Path) -> list[tuple]:
    document = json.loads((out / "tracker.json").read_text(encoding="utf-8"))
    return sorted((c["actor"], c["recipient"], c["month"], c["from_label"], c["to_label"])
                  for c in document["change_points"])  # fmt: skip


def test_the_cluster_ran_on_two_workers_and_the_local_scheduler_on_one(runs):
    _, on_cluster, local = runs
    assert on_cluster.workers == 2 and local.workers == 1
    assert on_cluster.ran == on_cluster.partitions == local.ran > 2
    assert len(on_cluster.worker_rss_mb) == 2 and all(mb > 50 for mb in on_cluster.worker_rss_mb)


def test_cluster_and_local_scheduler_give_the_same_table_and_report(runs):
    out, _, _ = runs
    for name in OUTPUTS:
        assert (out / "cluster" / name).read_bytes() == (out / "local" / name).read_bytes(), name
    assert read_table(out / "cluster").equals(read_table(out / "local"))
    months = sorted(p.name for p in (out / "cluster" / "statements").iterdir())
    assert months == sorted(p.name for p in (out / "local" / "statements").iterdir())
    for month in months:
        a = pq.read_table(out / "cluster" / "statements" / month / "part-0.parquet")
        assert a.equals(pq.read_table(out / "local" / "statements" / month / "part-0.parquet"))


@pytest.mark.parametrize("where", ["cluster", "local"])
def test_the_change_points_are_exactly_the_planted_ones(runs, archive, where):
    out, _, _ = runs
    assert found(out / where) == planted(archive[1])
    assert len(planted(archive[1])) == 6


def test_every_article_is_in_the_table_once_with_every_sentence_read(runs, archive):
    out, result, _ = runs
    expected = archive[1]
    articles = read_articles(out / "cluster")
    ids = articles.column("article_id").to_pylist()
    assert len(ids) == len(set(ids)) == expected["articles"] == result.articles
    assert sum(articles.column("sentences").to_pylist()) == expected["sentences"]
    table = read_table(out / "cluster")
    keys = list(zip(table.column("article_id").to_pylist(),
                    table.column("sentence_index").to_pylist()))  # fmt: skip
    assert len(keys) == len(set(keys)) == sum(articles.column("statements").to_pylist())
    assert set(table.column("article_id").to_pylist()) <= set(ids)
    # each month's file holds that month's statements only, dated in it
    for month in {m for m in table.column("month").to_pylist()}:
        rows = pq.read_table(out / "cluster" / "statements" / f"month={month}" / "part-0.parquet")
        assert {d.strftime("%Y-%m") for d in rows.column("date").to_pylist()} == {month}


def test_the_table_has_every_column_the_issue_names(runs, model_dir):
    out, _, _ = runs
    row = read_table(out / "cluster").to_pylist()[0]
    for column in ("date", "source", "article_id", "sentence_index", "start", "end", "sentence",
                   "actor", "recipient", "level", "label", "confidence", "review",
                   "model_version"):  # fmt: skip
        assert column in row
    assert row["model_version"] == model_dir.name and 0 <= row["level"] <= 4


def test_bad_articles_are_rejected_with_their_reason_and_the_run_goes_on(runs):
    out, result, _ = runs
    rejects = [json.loads(line) for line in (out / "cluster" / "rejects.jsonl").open()]
    assert sorted(r["reason"] for r in rejects) == sorted(
        ["no text", "bad date '2023-02-30'", "not UTF-8", "not a JSON object"]
    )
    assert all(r["where"].startswith("2023-01.jsonl:") for r in rejects)
    assert result.rejects == 4


def test_flagged_statements_are_listed_and_move_no_timeline(runs, archive):
    out, _, _ = runs
    table = read_table(out / "cluster")
    flagged = [r for r in table.to_pylist() if r["review"]]
    html = (out / "cluster" / "report.html").read_text(encoding="utf-8")
    # planted statements are never flagged, fillers are never statements: exactly the
    # doubtful ones are flagged
    assert len(flagged) == archive[1]["doubtful_statements"] > 0
    assert table.num_rows == archive[1]["planted_statements"] + len(flagged)
    for row in flagged[:5]:
        assert row["sentence"] in html
    assert found(out / "cluster") == planted(archive[1])  # flagged ones changed nothing


def test_a_second_run_redoes_nothing_and_writes_the_same(runs, archive, model_dir):
    out, first, _ = runs
    before = {name: (out / "local" / name).read_bytes() for name in OUTPUTS}
    again = run_job(archive[0], out / "local", model_dir, "sync", articles_per_partition=8,
                    progress=False)  # fmt: skip
    assert again.ran == 0 and again.reused == first.partitions
    assert {name: (out / "local" / name).read_bytes() for name in OUTPUTS} == before


def test_since_adds_only_the_new_articles(archive, model_dir, tmp_path, runs):
    folder, _ = archive
    first_half, everything = tmp_path / "first", tmp_path / "all"
    first_half.mkdir()
    for path in sorted(folder.iterdir())[:6]:
        shutil.copy(path, first_half / path.name)
    out = tmp_path / "out"
    run_job(first_half, out, model_dir, "sync", articles_per_partition=8, progress=False)
    shutil.copytree(folder, everything)
    added = run_job(everything, out, model_dir, "sync", since="2023-07-01",
                    articles_per_partition=8, progress=False)  # fmt: skip
    full, _, _ = runs
    assert read_table(out).equals(read_table(full / "cluster"))
    assert added.articles == read_articles(full / "cluster").num_rows
    assert found(out) == found(full / "cluster")


def test_the_same_article_twice_is_in_the_table_once(archive, model_dir, tmp_path):
    folder, _ = archive
    copy = tmp_path / "archive"
    copy.mkdir()
    first = sorted(folder.glob("*.jsonl"))[1]
    shutil.copy(first, copy / "a.jsonl")
    shutil.copy(first, copy / "b.jsonl")
    result = run_job(copy, tmp_path / "out", model_dir, "sync", progress=False)
    lines = sum(1 for line in first.open() if line.strip())
    assert result.articles == lines and result.rejects == lines
    rejects = [json.loads(r) for r in (tmp_path / "out" / "rejects.jsonl").open()]
    assert all(r["reason"].startswith("duplicate of the article at a.jsonl:") for r in rejects)


def test_an_unknown_scheduler_is_refused(archive, model_dir, tmp_path):
    with pytest.raises(TrackError, match="unknown scheduler 'bogus'"):
        run_job(archive[0], tmp_path / "out", model_dir, "bogus", progress=False)


def test_an_unreachable_scheduler_is_a_clear_error(archive, model_dir, tmp_path):
    import socket

    with socket.socket() as probe:  # a free port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        TrackError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"
    ):
        run_job(archive[0], tmp_path / "out", model_dir, f"tcp://127.0.0.1:{port}",
                progress=False)  # fmt: skip


def test_the_command_line_says_what_is_wrong_in_one_line(tmp_path, capsys):
    from tracker.cli import main

    assert main(["--archive", str(tmp_path / "missing"), "--out", str(tmp_path / "o"),
                 "--scheduler", "sync"]) == 2  # fmt: skip
    assert (
        capsys.readouterr().err.strip() == f"error: {tmp_path / 'missing'}: no such file or folder"
    )
    with pytest.raises(SystemExit):
        main(["--archive", str(tmp_path), "--since", "2023-13-01"])
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err
