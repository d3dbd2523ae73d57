"""`make track` killed mid-run (SIGKILL to the job, its cluster and its workers), then
run again: it finishes, redoes no partition that had finished, and every article is
in the table exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT
from tracker.job import run_job
from tracker.synthetic import generate
from tracker.table import PARTS, finished_parts, read_articles, read_table

pytestmark = pytest.mark.slow


def test_a_killed_run_resumes_and_every_article_is_in_the_table_once(tracker_model, model_dir,
                                                                     tmp_path):  # fmt: skip
    archive, out = tmp_path / "archive", tmp_path / "out"
    expected = generate(tracker_model, archive, scale=3, seed=5)  # ~250 articles
    command = [sys.executable, "-m", "tracker", "--archive", str(archive), "--out", str(out),
               "--model", str(model_dir), "--workers", "2", "--partition-size", "2"]  # fmt: skip
    job = subprocess.Popen(command, cwd=ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(finished_parts(out)) < 4 and job.poll() is None:
            assert time.monotonic() < deadline, "the job finished no partition in time"
            time.sleep(0.02)
    finally:
        os.killpg(job.pid, signal.SIGKILL)  # the job, its scheduler, nannies and workers
        job.wait()
    done_before = finished_parts(out)
    assert not (out / "report.html").exists(), "killed too late: the run had finished"
    assert not (out / "statements").exists()
    result = run_job(archive, out, model_dir, "sync", articles_per_partition=2, progress=False)
    assert result.reused == len(done_before) >= 4
    assert result.ran == result.partitions - len(done_before) > 0
    ids = read_articles(out).column("article_id").to_pylist()
    assert len(ids) == len(set(ids)) == expected["articles"]
    table = read_table(out)
    keys = list(zip(table.column("article_id").to_pylist(),
                    table.column("sentence_index").to_pylist()))  # fmt: skip
    assert len(keys) == len(set(keys))
    assert not [p for p in (out / PARTS).iterdir() if p.name.startswith(".")]  # no temp left
    assert (out / "report.html").is_file()
