"""Shared pieces of the benchmark: repetitions, statistics, the corpus, gunicorn."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "statements.jsonl"


def texts(limit: int | None = None) -> list[str]:
    """Real-looking statements: the corpus's own texts."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:limit]]


def summary(values: list[float]) -> dict[str, float]:
    """Median, min and max of the repetitions of one figure."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}  # fmt: skip


def repeat(measure: Callable[[], float], times: int) -> dict[str, float]:
    return summary([measure() for _ in range(times)])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's config on a free 127.0.0.1 port."""

    def __init__(self, workers: int = 2, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "STANCEMETER_HOST": "127.0.0.1",
                    "STANCEMETER_PORT": str(self.port), "STANCEMETER_WORKERS": str(workers),
                    **env}  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Start; seconds from process start to the first successful prediction."""
        import requests

        started = time.perf_counter()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", "service/gunicorn_conf.py"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited during start")
            try:
                answer = requests.post(self.url + "/v1/predict", json={"text": "x"}, timeout=2)
                if answer.status_code == 200:
                    return time.perf_counter() - started
            except requests.ConnectionError:
                pass
            if time.perf_counter() - started > 60:
                raise TimeoutError("gunicorn did not answer within 60 s")
            time.sleep(0.01)

    def worker_pids(self) -> list[int]:
        assert self.process
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                             capture_output=True, text=True, check=False).stdout  # fmt: skip
        return [int(p) for p in out.split()]

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kb = next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmRSS:"))  # fmt: skip
            sizes.append(kb / 1024)
        return sizes

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
