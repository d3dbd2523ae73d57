"""/metrics against the real gunicorn with 2 workers: the figures are the sum over
both workers, and they survive a worker being killed and replaced."""

from __future__ import annotations

import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from classifier.labels import LABELS
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
PREDICT = "/v1/predict"
TEXTS = ["Oslo sent field hospitals to Gaza.", "Japan will not send weapons to Ukraine.",
         "Hungary vetoed the EU aid package.", "Spain will send tanks to Ukraine."]  # fmt: skip


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics: (name, sorted labels) -> value."""
    answer = requests.get(url + "/metrics", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def total(samples: dict, name: str, **labels: str) -> float:
    """The sum of ``name`` over the series whose labels include ``labels``."""
    return sum(value for (n, series), value in samples.items()
               if n == name and set(labels.items()) <= set(series))  # fmt: skip


def predict_requests(samples: dict) -> float:
    return total(samples, "stancemeter_http_requests_total", endpoint=PREDICT, status="200")


def statements_sent(url: str, count: int) -> int:
    """``count`` predict requests (singles, and batches of up to 150 statements so that
    requests overlap and both workers take some) from 8 threads at once; the number of
    statements they carried."""

    def send(i: int) -> int:
        size = (1, 2, 50, 150)[i % 4]
        body = ({"text": TEXTS[i % 4]} if size == 1 else
                {"statements": [{"text": TEXTS[(i + j) % 4]} for j in range(size)]})  # fmt: skip
        answer = requests.post(url + PREDICT, json=body, timeout=30)
        assert answer.status_code == 200
        return len(answer.json()["predictions"])

    with ThreadPoolExecutor(8) as pool:
        return sum(pool.map(send, range(count)))


def per_worker_requests(directory: Path) -> dict[int, float]:
    """Each worker's own count of predict requests, from its own counter file."""
    counts = {}
    for path in directory.glob("counter_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        metrics = MultiProcessCollector.merge([str(path)], accumulate=False)
        counts[pid] = sum(s.value for m in metrics for s in m.samples
                          if s.name == "stancemeter_http_requests_total"
                          and s.labels.get("endpoint") == PREDICT)  # fmt: skip
    return counts


def test_metrics_are_the_sum_over_both_workers_and_survive_a_killed_worker(models, tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_999999.db").write_bytes(b"left over by an earlier server")
    server = gunicorn_server(models, tmp_path / "gunicorn.log",
                             STANCEMETER_METRICS_DIR=str(directory))  # fmt: skip
    with server:
        url = server.url
        assert not (directory / "counter_999999.db").exists()  # emptied at start-up
        before = scrape(url)  # the start-up check already sent one prediction
        n = 120
        sent = statements_sent(url, n)
        after = scrape(url)

        assert predict_requests(after) - predict_requests(before) == n
        histogram = "stancemeter_http_request_duration_seconds_count"
        assert (
            total(after, histogram, endpoint=PREDICT) - total(before, histogram, endpoint=PREDICT)
            == n
        )
        size = "stancemeter_http_request_size_bytes_count"
        assert total(after, size, endpoint=PREDICT) - total(before, size, endpoint=PREDICT) == n
        labels = {label: total(after, "stancemeter_predictions_total", label=label)
                  - total(before, "stancemeter_predictions_total", label=label)
                  for label in LABELS}  # fmt: skip
        assert sum(labels.values()) == sent
        assert (
            total(after, "stancemeter_statements_total", endpoint=PREDICT)
            - total(before, "stancemeter_statements_total", endpoint=PREDICT)
            == sent
        )
        # both workers answered, and /metrics is their sum
        workers = server.worker_pids()
        assert len(workers) == 2
        own = per_worker_requests(directory)
        assert all(own.get(pid, 0) > 0 for pid in workers), own
        assert sum(own.values()) == predict_requests(after)
        info = {dict(series)["pid"]: value for (name, series), value in after.items()
                if name == "stancemeter_model_info"}  # fmt: skip
        assert info == {str(pid): 1.0 for pid in workers}  # liveall: one series per worker

        # SIGKILL one worker (ours: a child of the master this test started)
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while True:  # replaced: two workers, the new one serving (its model_info is set)
            current = server.worker_pids()
            replaced = scrape(url)
            info = {dict(series)["pid"] for (name, series), _ in replaced.items()
                    if name == "stancemeter_model_info"}  # fmt: skip
            if victim not in current and len(current) == 2 and info == set(map(str, current)):
                break
            assert time.monotonic() < deadline, f"not replaced: {current}, {info}"
            time.sleep(0.1)
        for name in ("stancemeter_http_requests_total", histogram,
                     "stancemeter_predictions_total", "stancemeter_statements_total"):  # fmt: skip
            assert total(replaced, name) >= total(after, name), name
        assert predict_requests(replaced) == predict_requests(after)
        assert str(victim) not in info  # mark_process_dead dropped its live gauge

        more = statements_sent(url, 40)
        final = scrape(url)
        assert predict_requests(final) == predict_requests(after) + 40
        assert (
            total(final, "stancemeter_predictions_total")
            == total(after, "stancemeter_predictions_total") + more
        )
        assert server.stop() == 0
    assert directory.is_dir()  # a directory the operator chose is kept
    assert "Traceback" not in server.log()


def test_metrics_bind_and_token_restrict_the_scrape(models, tmp_path):
    from service.process import free_port

    metrics_port = free_port()
    server = gunicorn_server(models, tmp_path / "gunicorn.log",
                             STANCEMETER_METRICS_BIND=f"127.0.0.1:{metrics_port}",
                             STANCEMETER_METRICS_TOKEN="scrape-me")  # fmt: skip
    with server:
        main = requests.get(server.url + "/metrics", timeout=10,
                            headers={"Authorization": "Bearer scrape-me"})  # fmt: skip
        assert main.status_code == 404 and main.json()["error"]["code"] == "not_found"
        metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
        refused = requests.get(metrics_url, timeout=10)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
        wrong = requests.get(metrics_url, timeout=10, headers={"Authorization": "Bearer no"})
        assert wrong.status_code == 401
        ok = requests.get(metrics_url, timeout=10, headers={"Authorization": "Bearer scrape-me"})
        assert ok.status_code == 200 and "stancemeter_model_info" in ok.text
        made = Path(re.search(r"metrics directory (\S+)", server.log()).group(1))
        assert made.is_dir() and list(made.glob("counter_*.db"))
    assert not made.exists()  # the temporary directory the master made is gone
