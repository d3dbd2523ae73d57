"""Corrections through the real gunicorn under load, then killed: 8 clients post for
POSTING_SECONDS while others predict, a worker is SIGKILLed half-way, then the whole
server mid-write; after a restart every acknowledged correction is there exactly once
and nothing is half-written. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests

from store import CorrectionStore, text_hash
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
POSTING_SECONDS = 10.0  # the 10 s of concurrent posting
POSTERS = 8
PREDICTORS = 2
BATCH = 2
TOKENS = {f"client{i}": f"client-token-{i:04d}" for i in range(POSTERS)}
LABELS = ("opposed", "neutral", "diplomatic", "non_lethal", "lethal")


class Load:
    """The posting and predicting clients, and what the server acknowledged."""

    def __init__(self, url: str) -> None:
        self.url, self.stop = url, threading.Event()
        self.acknowledged: dict[tuple[str, str], int] = {}  # (annotator, key) -> id
        self.server_errors: list[str] = []
        self.refused = 0
        self.predictions = 0
        self._lock = threading.Lock()

    def post(self, client: int) -> None:
        name, session, number = f"client{client}", requests.Session(), 0
        headers = {"Authorization": f"Bearer {TOKENS[name]}"}
        while not self.stop.is_set():
            number += 1
            batch = [
                {
                    "text": f"Client {client} says batch {number} item {j} sends aid.",
                    "label": LABELS[(number + j) % 5],
                    "client_key": f"{number}-{j}",
                    "note": "load test",
                    "seconds_spent": 1.5,
                }
                for j in range(BATCH)
            ]
            try:
                answer = session.post(
                    self.url + "/v1/corrections",
                    json={"corrections": batch},
                    headers=headers,
                    timeout=15,
                )
            except requests.RequestException:
                with self._lock:
                    self.refused += 1  # the worker or the server was killed: not acknowledged
                time.sleep(0.05)
                continue
            if answer.status_code >= 500:
                self.server_errors.append(f"{answer.status_code} {answer.text[:200]}")
            elif answer.status_code == 201:
                with self._lock:
                    for row in answer.json()["corrections"]:
                        self.acknowledged[(row["annotator"], row["client_key"])] = row["id"]

    def predict(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            try:
                answer = session.post(
                    self.url + "/v1/predict",
                    timeout=15,
                    json={"text": "Oslo sent field hospitals to Gaza."},
                )
            except requests.RequestException:
                time.sleep(0.05)
                continue
            if answer.status_code >= 500:
                self.server_errors.append(f"predict {answer.status_code}")
            self.predictions += answer.status_code == 200


def kill_all(server) -> None:
    """SIGKILL the master and every worker at once: nothing gets to clean up."""
    pids = [server.process.pid, *server.worker_pids()]
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    server.process.wait(10)


def test_acknowledged_corrections_survive_sigkill(models, database_url, tmp_path):
    env = {
        "STANCEMETER_DATABASE_URL": database_url,
        "STANCEMETER_LOG_PREDICTIONS": "1",
        "STANCEMETER_ANNOTATOR_TOKENS": ",".join(f"{n}:{t}" for n, t in TOKENS.items()),
    }
    server = gunicorn_server(models, tmp_path / "first.log", **env)
    server.start()
    load = Load(server.url)
    threads = [threading.Thread(target=load.post, args=(i,)) for i in range(POSTERS)]
    threads += [threading.Thread(target=load.predict) for _ in range(PREDICTORS)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(POSTING_SECONDS / 2)
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)  # one worker, mid-request most likely
        time.sleep(POSTING_SECONDS / 2)
        acknowledged_before_kill = len(load.acknowledged)
        kill_all(server)  # the whole server, while the clients are still posting
        time.sleep(0.3)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(30)
        if server.process.poll() is None:
            kill_all(server)
    assert load.server_errors == [], load.server_errors[:5]
    assert acknowledged_before_kill > 20 * POSTERS, acknowledged_before_kill
    assert load.predictions > 0

    with gunicorn_server(models, tmp_path / "second.log", **env) as restarted:
        store = CorrectionStore(database_url)
        try:
            rows = _all_rows(store)
        finally:
            store.close()
        listed = requests.get(
            restarted.url + "/v1/corrections?limit=1",
            headers={"Authorization": f"Bearer {TOKENS['client0']}"},
            timeout=10,
        ).json()
    assert listed["total"] == len(rows)
    stored: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        stored.setdefault((row["annotator"], row["client_key"]), []).append(row)
        # nothing half-written: every field of every row is there and consistent
        assert row["text"] and row["text_hash"] == text_hash(row["text"])
        assert row["label"] in LABELS and row["predicted_label"] in LABELS
        assert set(row["probabilities"]) == set(LABELS) and row["note"] == "load test"
        assert row["model_version"] and row["created_at"] and row["seconds_spent"] == 1.5
    assert all(len(found) == 1 for found in stored.values()), "a correction stored twice"
    missing = [key for key in load.acknowledged if key not in stored]
    assert missing == [], f"{len(missing)} acknowledged corrections lost: {missing[:5]}"
    assert all(stored[key][0]["id"] == ident for key, ident in load.acknowledged.items())
    batches: dict[tuple[str, str], int] = {}
    for annotator, key in stored:  # a batch is stored whole or not at all
        batch = (annotator, key.split("-")[0])
        batches[batch] = batches.get(batch, 0) + 1
    assert set(batches.values()) == {BATCH}
    print(
        f"\n{database_url.split(':')[0]}: {len(load.acknowledged)} acknowledged, "
        f"{len(rows)} stored, {load.refused} requests cut by the kills, "
        f"{load.predictions} predictions"
    )


def _all_rows(store: CorrectionStore) -> list[dict]:
    rows, offset = [], 0
    while True:
        _, page = store.list(limit=500, offset=offset)
        rows += page
        offset += len(page)
        if not page:
            return rows
