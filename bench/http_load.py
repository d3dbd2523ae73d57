"""HTTP figures against gunicorn with the project's config: wrk load, cold start, RSS."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.common import ROOT, OtherLoad, repeat, summary
from classifier.articles import split_sentences
from service.process import Server

LUA = ROOT / "bench" / "post.lua"
ARTICLE = ROOT / "tests" / "fixtures" / "articles.jsonl"
"""The first of the team's test articles (14 sentences) is the /v1/analyze load."""
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(
    url: str, body: dict, connections: int, seconds: int, path: str = "/v1/predict"
) -> dict[str, float]:
    """One wrk run: requests/s, p50/p99 latency (ms), and errors (non-2xx, socket errors)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(body, handle)
    out = subprocess.run(
        ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-s", str(LUA), url + path, "--", handle.name],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    Path(handle.name).unlink()
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.M))
    if "50" not in latency or "99" not in latency:
        raise RuntimeError(f"wrk gave no latency distribution:\n{out}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": errors,
    }


def load_figures(
    url: str, sample: list[str], quick: bool, server_pids: list[int]
) -> dict[str, Any]:
    """wrk figures for each kind of request; one warm-up run, then the repetitions."""
    seconds, reps = (1, 3) if quick else (10, 5)
    article = ARTICLE.read_text(encoding="utf-8").splitlines()[0]
    article_text = json.loads(article)["text"]
    sentences = [article_text[start:end] for start, end in split_sentences(article_text)]
    bodies = {  # name: (path, body, statements or sentences per request)
        "single": ("/v1/predict", {"text": sample[0]}, 1),
        "batch_100": ("/v1/predict", {"statements": [{"text": t} for t in (sample * 2)[:100]]},
                      100),
        "batch_1000": ("/v1/predict",
                       {"statements": [{"text": t} for t in (sample * 2)[:1000]]}, 1000),
        "batch_1000_labels": ("/v1/predict", {"statements": [{"text": t} for t in
                              (sample * 2)[:1000]], "fields": LABELS_ONLY}, 1000),
        "explain": ("/v1/predict", {"text": sample[1], "explain": True}, 1),
        "analyze_article": ("/v1/analyze", {"text": article_text}, len(sentences)),
        "predict_article_sentences": (
            "/v1/predict", {"statements": [{"text": s} for s in sentences]}, len(sentences)
        ),
    }  # fmt: skip
    figures: dict[str, Any] = {}
    for name, (path, body, size) in bodies.items():
        figures[name] = interleaved({name: (url, path, body)}, size, seconds, reps,
                                    server_pids)[name]  # fmt: skip
    return figures


LABELS_ONLY = ["label", "probabilities"]
"""What MLflow's pyfunc answers (a label; we add the probabilities): a like-for-like batch."""

Target = tuple[str, str, dict]
"""(base URL, path, body) of one server's load."""


def interleaved(
    targets: dict[str, Target], size: int, seconds: int, reps: int, server_pids: list[int]
) -> dict[str, Any]:
    """wrk figures for each target, their repetitions taken in turn (A B A B ...), so
    that a side-by-side comparison sees the same machine; one warm-up run each first."""
    for url, path, body in targets.values():
        wrk(url, body, 8, 1, path)  # first-request work (caches, lazy imports)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    elsewhere: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(reps):
        for name, (url, path, body) in targets.items():
            with OtherLoad(server_pids) as other:
                runs[name].append(wrk(url, body, 8, seconds, path))
            elsewhere[name].append(other.cpu_s)
    return {
        name: {
            "requests_per_s": summary([r["requests_per_s"] for r in runs[name]]),
            "statements_per_s": summary([r["requests_per_s"] * size for r in runs[name]]),
            "p50_ms": summary([r["p50_ms"] for r in runs[name]]),
            "p99_ms": summary([r["p99_ms"] for r in runs[name]]),
            "errors": sum(r["errors"] for r in runs[name]),
            "other_cpu_s": summary(elsewhere[name]),
        }
        for name in targets
    }


def _single(sample: list[str]) -> dict:
    return {"text": sample[0]}


def _batch(sample: list[str]) -> list[str]:
    return (sample * 2)[:1000]


def metrics_overhead(server: Server, sample: list[str], quick: bool) -> dict[str, Any]:
    """Single requests with metrics on (``server``) and off (a second server), in turn."""
    seconds, reps = (1, 3) if quick else (10, 5)
    with Server(STANCEMETER_METRICS="off") as bare:
        pids = [server.process.pid, bare.process.pid]  # type: ignore[union-attr]
        body = _single(sample)
        loads = {"on": (server.url, "/v1/predict", body), "off": (bare.url, "/v1/predict", body)}
        figures = interleaved(loads, 1, seconds, reps, pids)
    figures["cost"] = 1 - figures["on"]["requests_per_s"]["median"] / max(
        figures["off"]["requests_per_s"]["median"], 1e-9
    )
    return figures


def baseline(server: Server, sample: list[str], quick: bool, revision: str) -> dict[str, Any]:
    """Before and after: the same loads against ``revision`` (exported with git archive
    into a temporary directory, served by this environment) and this tree, in turn
    (5 s runs even when quick: a batch of 1,000 can take a second)."""
    seconds, reps = (5, 3) if quick else (10, 5)
    models = Path(os.environ.get("STANCEMETER_MODELS_DIR", "models"))
    models = models if models.is_absolute() else ROOT / models
    with tempfile.TemporaryDirectory(prefix="stancemeter-baseline-") as tmp:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True,
                                 check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        with Server(root=Path(tmp), STANCEMETER_MODELS_DIR=str(models)) as before:
            pids = [server.process.pid, before.process.pid]  # type: ignore[union-attr]
            figures: dict[str, Any] = {"revision": revision}
            for name, body, size in (
                ("single", _single(sample), 1),
                ("batch_1000", {"statements": [{"text": t} for t in _batch(sample)]}, 1000),
            ):
                figures[name] = interleaved({"before": (before.url, "/v1/predict", body),
                                             "after": (server.url, "/v1/predict", body)},
                                            size, seconds, reps, pids)  # fmt: skip
    return figures


def peer(server: Server, sample: list[str], quick: bool) -> dict[str, Any]:
    """stancemeter against MLflow's ``models serve`` (2 workers each), in turn: batches of
    1,000 statements and single statements, and each one's cold start."""
    from bench.mlflow_peer import MlflowServer

    seconds, reps = (5, 3) if quick else (10, 5)
    batch = _batch(sample)
    with MlflowServer() as mlflow:
        pids = [server.process.pid, mlflow.process.pid]  # type: ignore[union-attr]
        figures: dict[str, Any] = {"mlflow_cold_start_s": mlflow.cold_start_s}
        for name, ours, theirs, size in (
            ("batch_1000", {"statements": [{"text": t} for t in batch]}, {"inputs": batch}, 1000),
            (
                "batch_1000_labels",
                {"statements": [{"text": t} for t in batch], "fields": LABELS_ONLY},
                {"inputs": batch},
                1000,
            ),
            ("single", _single(sample), {"inputs": [sample[0]]}, 1),
        ):
            figures[name] = interleaved({"stancemeter": (server.url, "/v1/predict", ours),
                                         "mlflow": (mlflow.url, "/invocations", theirs)},
                                        size, seconds, reps, pids)  # fmt: skip
    batch_figures = figures["batch_1000"]
    figures["batch_ratio"] = batch_figures["stancemeter"]["statements_per_s"]["median"] / max(
        batch_figures["mlflow"]["statements_per_s"]["median"], 1e-9
    )
    labels = figures["batch_1000_labels"]
    figures["batch_labels_ratio"] = labels["stancemeter"]["statements_per_s"]["median"] / max(
        labels["mlflow"]["statements_per_s"]["median"], 1e-9
    )
    return figures


def run(
    sample: list[str], quick: bool, with_peer: bool = False, revision: str | None = None
) -> dict[str, Any]:
    def cold_start() -> float:
        server = Server()
        try:
            seconds = server.start()
        finally:
            server.stop()
        return seconds

    cold = repeat(cold_start, 3)
    with Server() as server:
        # the master: its workers, replacements included, count as its children
        figures = load_figures(server.url, sample, quick, [server.process.pid])  # type: ignore[union-attr]
        figures["metrics_overhead"] = metrics_overhead(server, sample, quick)
        if revision:
            figures["baseline"] = baseline(server, sample, quick, revision)
        if with_peer:
            figures["peer"] = peer(server, sample, quick)
        rss = server.worker_rss_mb()
    return {"cold_start_s": cold, "worker_rss_mb": summary(rss), **figures}
