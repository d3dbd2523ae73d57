"""Load and faults against the real gunicorn server: the same load code as `make loadtest`,
with shorter durations. Nothing may fail that the issue says must not."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import threading
import time

import pytest
import requests

from bench.loadtest import run_load
from classifier.artifact import CURRENT, SCORER_FILE, save_artifact
from classifier.model import load_model
from tests.helpers import CHECK_TEXTS, TOKEN
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LOAD_SECONDS = float(os.environ.get("STANCEMETER_TEST_LOAD_SECONDS", "12"))


@pytest.fixture()
def server(models, tmp_path):
    with gunicorn_server(models, tmp_path / "gunicorn.log", STANCEMETER_ADMIN_TOKEN=TOKEN,
                         STANCEMETER_READ_TIMEOUT="2") as running:  # fmt: skip
        yield running


def in_background(function, *args):
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", function(*args)))
    thread.start()
    return thread, box


def test_mixed_load_loses_nothing(server, capsys):
    result = run_load(server.url, LOAD_SECONDS, 16, server)
    figures = result.summary()
    with capsys.disabled():
        print(f"\nload ({LOAD_SECONDS:.0f} s, 16 connections): {json.dumps(figures)}")
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["dropped"] == 0
    assert figures["ok"] > 100 and set(figures["by_kind"]) == {"single", "batch", "explain"}
    start, end = result.rss_mb[len(result.rss_mb) // 3][1], result.rss_mb[-1][1]
    assert end / start - 1 < 0.10, result.rss_mb


def test_reloads_under_load_fail_no_request(server, models, capsys):
    first = os.readlink(models / CURRENT)
    model = load_model(models / CURRENT)
    thread, box = in_background(run_load, server.url, LOAD_SECONDS, 16)
    versions = {first}
    outcomes = []
    for attempt in range(5):
        time.sleep(LOAD_SECONDS / 7)
        if attempt == 2:  # a corrupted artifact: refused, the old model keeps serving
            broken = models / "broken-under-load"
            shutil.copytree(models / os.readlink(models / CURRENT), broken)
            (broken / SCORER_FILE).write_bytes(b"\x80corrupted")
            answer = requests.post(server.url + "/v1/model/reload", headers=AUTH,
                                   json={"version": broken.name}, timeout=30)  # fmt: skip
            outcomes.append(answer.status_code)
            continue
        version = save_artifact(
            model.pipeline, {**model.manifest, "n": attempt}, models, CHECK_TEXTS
        ).name
        versions.add(version)
        answer = requests.post(server.url + "/v1/model/reload", headers=AUTH, timeout=30)
        outcomes.append(answer.status_code)
        assert answer.json()["version"] == version
    thread.join()
    figures = box["result"].summary()
    with capsys.disabled():
        print(f"\nreloads under load {outcomes}: {json.dumps(figures)}")
    assert outcomes == [200, 200, 409, 200, 200]
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["dropped"] == 0
    assert set(figures["versions"]) <= versions  # every answer names a real version


def test_a_killed_worker_is_replaced_while_load_goes_on(server, capsys):
    thread, box = in_background(run_load, server.url, LOAD_SECONDS, 8)
    time.sleep(LOAD_SECONDS / 3)
    victim, survivor = server.worker_pids()[:2]
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    ready_in = server.wait_until(
        lambda: len(server.worker_pids()) == 2 and victim not in server.worker_pids()
        and server.ready(), timeout=5,
    )  # fmt: skip
    assert time.monotonic() - killed_at <= 5
    assert survivor in server.worker_pids()
    thread.join()
    figures = box["result"].summary()
    with capsys.disabled():
        print(f"\nworker killed, ready again in {ready_in:.2f} s: {json.dumps(figures)}")
    # only requests in flight on the killed worker may fail (8 connections at most)
    assert figures["errors"] <= 8, figures["first_errors"]
    assert figures["ok"] > 50


def test_sigterm_drains_requests_in_flight(server):
    batch = {"statements": [{"text": f"Statement {i}: Oslo sent tents and shells."}
                            for i in range(20)], "explain": True}  # fmt: skip
    slow = {"statements": batch["statements"] * 40, "explain": True}  # takes about a second
    thread, box = in_background(
        lambda: requests.post(server.url + "/v1/predict", json=slow, timeout=60)
    )
    time.sleep(0.3)
    server.process.send_signal(signal.SIGTERM)
    thread.join()
    response = box["result"]
    assert response.status_code == 200 and len(response.json()["predictions"]) == 800
    assert server.process.wait(40) == 0


def test_a_slow_client_gets_a_408_and_blocks_no_one(server):
    with socket.create_connection(("127.0.0.1", server.port)) as slow:
        slow.sendall(b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 100\r\n\r\n{\"text\": ")  # fmt: skip
        # meanwhile everyone else is served
        for _ in range(5):
            assert requests.post(server.url + "/v1/predict", json={"text": "x"},
                                 timeout=5).status_code == 200  # fmt: skip
        slow.settimeout(10)
        answer = read_response(slow)
    assert answer.startswith("HTTP/1.1 408")
    assert '"code":"request_timeout"' in answer.replace(" ", "")


def read_response(sock: socket.socket) -> str:
    """A whole HTTP response from ``sock``: headers, then Content-Length bytes of body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data.decode()
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)  # fmt: skip
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    return (head + b"\r\n\r\n" + body).decode()


def test_oversized_headers_are_refused(server):
    response = requests.get(server.url + "/healthz", headers={"X-Big": "a" * 20_000}, timeout=5)
    assert 400 <= response.status_code < 500
