"""HTTP figures against gunicorn with the project's config: wrk load, cold start, RSS."""

from __future__ import annotations

import json
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
        "explain": ("/v1/predict", {"text": sample[1], "explain": True}, 1),
        "analyze_article": ("/v1/analyze", {"text": article_text}, len(sentences)),
        "predict_article_sentences": (
            "/v1/predict", {"statements": [{"text": s} for s in sentences]}, len(sentences)
        ),
    }  # fmt: skip
    figures: dict[str, Any] = {}
    for name, (path, body, size) in bodies.items():
        wrk(url, body, 8, 1, path)  # warm-up: first-request work (caches, lazy imports)
        runs, elsewhere = [], []
        for _ in range(reps):
            with OtherLoad(server_pids) as other:
                runs.append(wrk(url, body, 8, seconds, path))
            elsewhere.append(other.cpu_s)
        figures[name] = {
            "requests_per_s": summary([r["requests_per_s"] for r in runs]),
            "statements_per_s": summary([r["requests_per_s"] * size for r in runs]),
            "p50_ms": summary([r["p50_ms"] for r in runs]),
            "p99_ms": summary([r["p99_ms"] for r in runs]),
            "errors": sum(r["errors"] for r in runs),
            "other_cpu_s": summary(elsewhere),
        }
    return figures


def run(sample: list[str], quick: bool) -> dict[str, Any]:
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
        rss = server.worker_rss_mb()
    return {"cold_start_s": cold, "worker_rss_mb": summary(rss), **figures}
