"""`make loadtest`: mixed load against gunicorn on 127.0.0.1, bounded in time and count.

    python -m bench.loadtest [--seconds 60] [--connections 16] [--url URL]

Without ``--url`` it starts the service itself (the project's gunicorn config,
2 workers). Each connection is a thread with its own HTTP client connection
(kept alive where the worker class allows; sync workers close it after each
answer and the client reconnects) that sends a mix of single, batch and explain
requests and checks every answer: a 200 naming the model version that produced
it. Worker memory (RSS) is sampled every second, so growth from the 10th second
to the end can be judged.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import texts
from service.process import Server

MAX_REQUESTS = 2_000_000  # a hard bound, whatever the duration


@dataclass
class LoadResult:
    sent: Counter = field(default_factory=Counter)
    ok: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    versions: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (second, total MB)
    seconds: float = 0.0

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    @property
    def total_ok(self) -> int:
        return sum(self.ok.values())

    def memory_growth(self, since: float = 10.0) -> float | None:
        """Relative growth of worker RSS from ``since`` seconds to the last sample."""
        later = [mb for second, mb in self.rss_mb if second >= since]
        if len(later) < 2:
            return None
        return later[-1] / later[0] - 1.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms) or [0.0]
        growth = self.memory_growth()
        return {
            "seconds": round(self.seconds, 1),
            "requests": self.total_sent,
            "ok": self.total_ok,
            "errors": len(self.errors),
            "dropped": self.total_sent - self.total_ok - len(self.errors),
            "by_kind": dict(self.ok),
            "requests_per_s": round(self.total_ok / max(self.seconds, 1e-9), 1),
            "p50_ms": round(ordered[len(ordered) // 2], 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99)], 2),
            "versions": dict(self.versions),
            "rss_mb_at_10s": next((mb for s, mb in self.rss_mb if s >= 10), None),
            "rss_mb_at_end": self.rss_mb[-1][1] if self.rss_mb else None,
            "memory_growth": None if growth is None else round(growth, 4),
            "first_errors": self.errors[:5],
        }


def _bodies(sample: list[str]) -> list[tuple[str, bytes, int]]:
    """(kind, JSON body, statements) in the mix: 6 single, 2 batch of 50, 2 explain."""
    mix = []
    for i in range(10):
        if i < 6:
            mix.append(("single", {"text": sample[i * 7 % len(sample)]}, 1))
        elif i < 8:
            batch = [{"id": j, "text": sample[(i * 50 + j) % len(sample)]} for j in range(50)]
            mix.append(("batch", {"statements": batch}, 50))
        else:
            mix.append(("explain", {"text": sample[i * 11 % len(sample)], "explain": True}, 1))
    return [(kind, json.dumps(body).encode(), n) for kind, body, n in mix]


def _client(url: str, bodies: list, deadline: float, result: LoadResult, lock: threading.Lock,
            offset: int) -> None:  # fmt: skip
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    i = offset
    while time.monotonic() < deadline:
        kind, body, statements = bodies[i % len(bodies)]
        i += 1
        with lock:
            if result.total_sent >= MAX_REQUESTS:
                return
            result.sent[kind] += 1
        started = time.perf_counter()
        try:
            connection.request("POST", "/v1/predict", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            answer = json.loads(payload)
            if response.status != 200:
                raise RuntimeError(f"{response.status}: {payload[:200]!r}")
            if len(answer["predictions"]) != statements or not answer["model"]["version"]:
                raise RuntimeError(f"incomplete answer: {payload[:200]!r}")
            with lock:
                result.ok[kind] += 1
                result.versions[answer["model"]["version"]] += 1
                result.latencies_ms.append(elapsed)
        except Exception as exc:  # every failure is counted, none is retried
            with lock:
                result.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.close()


def run_load(url: str, seconds: float, connections: int,
             server: Server | None = None) -> LoadResult:  # fmt: skip
    """Drive the mixed load for ``seconds``; sample worker RSS when ``server`` is given."""
    result = LoadResult()
    lock = threading.Lock()
    bodies = _bodies(texts(2000))
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=_client, args=(url, bodies, deadline, result, lock, n), daemon=True)
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        if server is not None:
            with contextlib.suppress(OSError, StopIteration):  # a worker being replaced
                result.rss_mb.append((time.monotonic() - started, sum(server.worker_rss_mb())))
        time.sleep(1.0)
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--url", help="an already running service (default: start one)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.url:
        result = run_load(args.url, args.seconds, args.connections)
    else:
        with Server() as server:
            result = run_load(server.url, args.seconds, args.connections, server)
    figures = result.summary()
    print(json.dumps(figures, indent=2))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n")
    growth = figures["memory_growth"]
    passed = (
        figures["errors"] == 0 and figures["dropped"] == 0 and (growth is None or growth < 0.10)
    )
    print("load test " + ("passed" if passed else "FAILED") + ": errors "
          f"{figures['errors']}, dropped {figures['dropped']}, memory growth {growth}",
          file=sys.stderr)  # fmt: skip
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
