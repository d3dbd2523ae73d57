"""Against real gunicorn: a request that asks for too much work is refused before the
work, the health checks answer while the workers are busy with the heaviest requests
that are allowed, and text the model cannot read is refused or flagged."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
LONG = (
    "Berlin said on Tuesday it would deliver Leopard tanks, artillery shells and "
    "air-defence missiles to Kyiv before the winter, officials confirmed. " * 80
)[:9990]
HEAVIEST_SEEN = {"statements": [{"text": LONG}] * 1000, "explain": True, "top_k": 50}
HEAVIEST_ALLOWED = {"statements": [{"text": LONG}] * 20, "explain": True, "top_k": 50}


@pytest.fixture(scope="module")
def server(tmp_path_factory, saved_model_dir):
    log = tmp_path_factory.mktemp("limits-log") / "gunicorn.log"
    with gunicorn_server(saved_model_dir, log) as running:
        yield running


def health_while(url: str, body: dict, seconds: float) -> tuple[list[int], list[float]]:
    """Two clients post ``body`` again and again for ``seconds`` while /healthz and
    /readyz are asked every 50 ms: the statuses of the heavy answers and the seconds
    each health answer took (a client timeout of 10 s fails the test)."""
    statuses: list[int] = []
    stop = time.monotonic() + seconds

    def heavy() -> None:
        while time.monotonic() < stop:
            statuses.append(requests.post(url + "/v1/predict", json=body, timeout=60).status_code)

    threads = [threading.Thread(target=heavy) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    took = []
    while time.monotonic() < stop:
        for path in ("/healthz", "/readyz"):
            started = time.monotonic()
            assert requests.get(url + path, timeout=10).status_code == 200
            took.append(time.monotonic() - started)
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    return statuses, took


def test_the_heaviest_request_seen_is_refused_before_the_work(server):
    response = requests.post(server.url + "/v1/predict", json=HEAVIEST_SEEN, timeout=60)
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert (
        error["code"] == "request_too_large"
        and "STANCEMETER_MAX_EXPLAIN_CHARS" in (error["message"])
    )
    statuses, took = health_while(server.url, HEAVIEST_SEEN, 3.0)
    assert set(statuses) == {413} and took


def test_health_answers_while_both_workers_explain_the_heaviest_allowed(server):
    """Before the limits, two such requests kept /healthz silent for 15-19 s; now one
    request's work is bounded, so a health check waits for at most one of them
    (about 0.5 s here; measured in the README)."""
    statuses, took = health_while(server.url, HEAVIEST_ALLOWED, 4.0)
    assert statuses and set(statuses) == {200}
    assert len(took) >= 4 and max(took) < 10


def test_text_the_model_cannot_read(server):
    digits = requests.post(server.url + "/v1/predict", json={"text": "42"}, timeout=10)
    assert digits.status_code == 422 and digits.json()["error"]["field"] == "text"
    body = {"statements": [{"text": "Deutschland liefert Panzer an die Ukraine."},
                           {"text": "Україна отримала допомогу від союзників"}]}  # fmt: skip
    german, ukrainian = requests.post(server.url + "/v1/predict", json=body, timeout=10).json()[
        "predictions"
    ]
    assert (german["review"], german["reason"], german["language"]) == (True, "not_english", "de")
    assert (ukrainian["reason"], ukrainian["language"]) == ("not_english", "uk")
