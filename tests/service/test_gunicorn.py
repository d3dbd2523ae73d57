"""The real server: gunicorn with the project's config, on 127.0.0.1, over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
import requests

from classifier.artifact import CURRENT, SCORER_FILE
from classifier.labels import LABELS
from tests.helpers import TOKEN, retrain_into
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def served_versions(url: str, count: int = 20) -> set[str]:
    return {
        requests.post(url + "/v1/predict", json={"text": "x"}, timeout=10).json()["model"][
            "version"
        ]
        for _ in range(count)
    }


def wait_for_version(url: str, version: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served_versions(url) == {version}:
            return
        time.sleep(0.2)
    raise AssertionError(f"workers did not all switch to {version}")


def test_gunicorn_serves_reloads_and_stops_cleanly(models, tmp_path):
    server = gunicorn_server(models, tmp_path / "gunicorn.log", STANCEMETER_ADMIN_TOKEN=TOKEN)
    with server:
        url = server.url
        first = os.readlink(models / CURRENT)
        # predict, batch, explain
        one = requests.post(url + "/v1/predict", json={"text": "Romania sent a Patriot battery."},
                            headers={"X-Request-ID": "it-1"}, timeout=10)  # fmt: skip
        assert one.status_code == 200 and one.headers["X-Request-ID"] == "it-1"
        prediction = one.json()["predictions"][0]
        assert prediction["level"] == LABELS.index(prediction["label"])
        batch = requests.post(
            url + "/v1/predict",
            json={
                "statements": [
                    {"id": i, "text": f"Statement number {i} on aid."} for i in range(50)
                ]
            },
            timeout=10,
        )
        assert [p["id"] for p in batch.json()["predictions"]] == list(range(50))
        explained = requests.post(
            url + "/v1/predict", json={"text": "Oslo sent ambulances.", "explain": True}, timeout=10
        )
        assert explained.json()["predictions"][0]["explanation"]["toward"]
        bad = requests.post(url + "/v1/predict", data="{", timeout=10,
                            headers={"Content-Type": "application/json"})  # fmt: skip
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_json"

        # reload: refused without the token
        assert requests.post(url + "/v1/model/reload", timeout=10).status_code == 401
        # a broken model directory: refused, the old model keeps answering on every worker
        shutil.copytree(models / first, models / "broken-1")
        (models / "broken-1" / SCORER_FILE).write_bytes(b"garbage")
        failed = requests.post(url + "/v1/model/reload", json={"version": "broken-1"},
                               headers=AUTH, timeout=10)  # fmt: skip
        assert failed.status_code == 409 and "still serving" in failed.json()["error"]["message"]
        assert served_versions(url) == {first}
        # with the token: every worker moves to the new model
        second = retrain_into(models)
        workers_before = set(server.worker_pids())
        reloaded = requests.post(url + "/v1/model/reload", headers=AUTH, timeout=10)
        assert reloaded.status_code == 200
        assert reloaded.json() == {"version": second, "previous": first}
        wait_for_version(url, second)
        deadline = time.monotonic() + 35
        while not set(server.worker_pids()).isdisjoint(workers_before):
            assert time.monotonic() < deadline, "old workers did not exit"
            time.sleep(0.2)

        assert server.stop() == 0
    log = server.log()
    access = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(r["path"] == "/v1/predict" and r["request_id"] == "it-1" for r in access)
    assert "Traceback" not in log
    # the configured worker class is the one running (gunicorn turns a sync worker
    # that is given threads into gthread without being asked)
    assert "Using worker: service.gunicorn_worker.PromptCloseSyncWorker" in log
    assert "Control socket listening" not in log  # no shared socket between instances
