"""Prometheus metrics of the service, summed over every gunicorn worker.

Under gunicorn, ``service/gunicorn_conf.py`` gives the master a directory in
``PROMETHEUS_MULTIPROC_DIR`` (emptied at start-up, before any worker exists), and
``prometheus_client`` then keeps every worker's values in memory-mapped files there;
a scrape reads all of them with a fresh :class:`MultiProcessCollector`. Without that
variable (the Flask test client, one process) an app keeps its metrics in its own
registry. The limits of multiprocess mode (README, Metrics): no custom collectors
and no process or platform metrics, a gauge needs a ``multiprocess_mode``, and the
files of dead workers stay, so their counters keep counting toward the totals
(which is why the totals do not go backwards when a worker is replaced).

Labels have bounded values only: endpoints are the app's URL rules (``other`` for
a path no rule matches), methods the standard ones, statuses three digits, labels
the five of the scale, reasons the screening's.
"""

from __future__ import annotations

import os
import socket
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import Blueprint, Flask, Response, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

from classifier.labels import LABELS
from service.auth import bearer_matches
from service.errors import APIError

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
DURATION_BUCKETS = (0.0005, 0.001, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.0075, 0.01,
                    0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # fmt: skip
"""Seconds: 0.5 ms steps around a single prediction's 1-5 ms, then up to a batch's 1 s and
past it (the slowest allowed request takes about 1 s)."""
SIZE_BUCKETS = (128, 512, 2048, 8192, 32768, 131072, 524288, 2097152, 8388608, 16777216)
"""Bytes: one statement (~100-500 bytes) up to the 16 MiB body limit."""
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
OUTCOMES = ("ok", "failed")
OTHER = "other"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def multiprocess_dir() -> str | None:
    """The multiprocess directory in force, if any (set by gunicorn's master)."""
    return os.environ.get(MULTIPROC_ENV) or None


class ServiceMetrics:
    """The service's metrics. Children of labelled metrics are kept in dicts: a
    ``labels()`` call validates and locks, several microseconds on every request."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled  # off: nothing is counted (STANCEMETER_METRICS=off)
        self.multiprocess = multiprocess_dir() is not None
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "stancemeter_http_requests", "HTTP requests answered, by endpoint, method and status.",
            ["endpoint", "method", "status"], registry=r,
        )  # fmt: skip
        self.duration = Histogram(
            "stancemeter_http_request_duration_seconds",
            "Time from receiving a request to its answer being built, by endpoint.",
            ["endpoint"], buckets=DURATION_BUCKETS, registry=r,
        )  # fmt: skip
        self.size = Histogram(
            "stancemeter_http_request_size_bytes",
            "Request body size (Content-Length), by endpoint.",
            ["endpoint"], buckets=SIZE_BUCKETS, registry=r,
        )  # fmt: skip
        self.statements = Counter(
            "stancemeter_statements", "Statements predicted (sentences, for /v1/analyze).",
            ["endpoint"], registry=r,
        )  # fmt: skip
        self.predictions = Counter(
            "stancemeter_predictions",
            "Predictions handed out, by label (the label mix, for drift).", ["label"], registry=r,
        )  # fmt: skip
        self.review_flags = Counter(
            "stancemeter_review_flags", "Predictions flagged for review, by reason.",
            ["reason"], registry=r,
        )  # fmt: skip
        self.model_info = Gauge(
            "stancemeter_model_info",
            "The model version a worker serves (1), one series per worker.",
            ["version"], multiprocess_mode="liveall", registry=r,
        )  # fmt: skip
        self.reloads = Counter(
            "stancemeter_model_reloads", "Model reload requests that got to loading, by outcome.",
            ["outcome"], registry=r,
        )  # fmt: skip
        for label in LABELS:  # every label has a series from the start, 0 until seen
            self.predictions.labels(label)
        for outcome in OUTCOMES:
            self.reloads.labels(outcome)
        self._children: dict[tuple, Any] = {}

    def _child(self, metric: Any, *values: str) -> Any:
        key = (metric, *values)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*values)
        return child

    def observe_request(
        self, endpoint: str, method: str, status: str, seconds: float, size: int | None
    ) -> None:
        self._child(self.requests, endpoint, method, status).inc()
        self._child(self.duration, endpoint).observe(seconds)
        if size is not None:
            self._child(self.size, endpoint).observe(size)

    def count_predictions(self, endpoint: str, predictions: Sequence[Any]) -> None:
        """Statements, labels and review flags of one answer's predictions."""
        if not self.enabled:
            return
        self._child(self.statements, endpoint).inc(len(predictions))
        if len(predictions) == 1:
            [prediction] = predictions
            self._child(self.predictions, prediction.label).inc()
            if prediction.review:
                self._child(self.review_flags, prediction.reason or OTHER).inc()
            return
        for label, count in Tally(p.label for p in predictions).items():
            self._child(self.predictions, label).inc(count)
        for reason, count in Tally(p.reason or OTHER for p in predictions if p.review).items():
            self._child(self.review_flags, reason).inc(count)

    def model_loaded(self, version: str, previous: str | None = None) -> None:
        """This worker now serves ``version`` (and no longer ``previous``)."""
        if not self.enabled:
            return
        if previous is not None and previous != version:
            if self.multiprocess:  # a multiprocess gauge cannot drop a series; 0 says "not now"
                self._child(self.model_info, previous).set(0)
            else:
                self.model_info.remove(previous)
                self._children.pop((self.model_info, previous), None)
        self._child(self.model_info, version).set(1)

    def reload_outcome(self, ok: bool) -> None:
        if not self.enabled:
            return
        self._child(self.reloads, OUTCOMES[0] if ok else OUTCOMES[1]).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text format of every worker's metrics (or this app's alone), and its type."""
        if self.multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        else:
            registry = self.registry
        return generate_latest(registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """WSGI middleware timing and counting every request, error pages included:
    ``app.wsgi_app = MetricsMiddleware(app.wsgi_app, metrics, app.url_map)``."""

    def __init__(self, app: WSGIApp, metrics: ServiceMetrics, url_map: Map) -> None:
        self.app, self.metrics, self.url_map = app, metrics, url_map
        self._static: frozenset[str] | None = None

    def endpoint(self, path: str) -> str:
        """The URL rule ``path`` falls under (``/reports/<name>``), else ``other``."""
        if self._static is None:  # the rules are complete once the first request comes
            self._static = frozenset(r.rule for r in self.url_map.iter_rules() if not r.arguments)
        if path in self._static:
            return path
        try:
            rule, _ = self.url_map.bind("localhost").match(path, return_rule=True)
        except HTTPException:  # no rule, or a method the rule does not take
            return OTHER
        return rule.rule  # type: ignore[union-attr]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status: list[str] = []

        def start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(code[:3])
            return start_response(code, headers, exc_info)

        body = self.app(environ, start)
        seconds = time.perf_counter() - started
        method = environ.get("REQUEST_METHOD", "")
        length = environ.get("CONTENT_LENGTH")
        self.metrics.observe_request(
            self.endpoint(environ.get("PATH_INFO") or "/"),
            method if method in METHODS else OTHER,
            status[-1] if status else "000",
            seconds,
            int(length) if length and length.isdigit() else None,
        )
        return body


def _address(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) as the address a socket reports."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    info = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
    return info[0][4][0], int(port)


def register_metrics(app: Flask, metrics: ServiceMetrics) -> None:
    """``GET /metrics``: not in the OpenAPI document (it is not part of the API), open
    by default, else restricted to a bearer token and/or gunicorn's metrics bind."""
    settings = app.extensions["stancemeter"]["settings"]
    token, bind = settings.metrics_token, settings.metrics_bind
    address = _address(bind) if bind else None
    blueprint = Blueprint("metrics", __name__)

    @blueprint.get("/metrics")
    def scrape() -> Response:
        if address is not None:
            client = request.environ.get("gunicorn.socket")
            if client is None or client.getsockname()[:2] != address:
                raise APIError(404, "not_found", "no such endpoint; see /openapi.json for the API")
        if token and not bearer_matches(request.headers.get("Authorization", ""), token):
            raise APIError(401, "unauthorized", "send 'Authorization: Bearer <metrics token>'")
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

    app.register_blueprint(blueprint)
