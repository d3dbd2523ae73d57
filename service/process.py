"""The service as a child process: gunicorn with the project's config on a free
127.0.0.1 port. The benchmark and the tests both start their servers with this."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's config on a free 127.0.0.1 port (benchmarks and tests)."""

    def __init__(
        self, workers: int = 2, log_path: Path | None = None, root: Path = ROOT, **env: str
    ) -> None:
        """``root``: the source tree to serve (another revision's, for a before/after)."""
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, "STANCEMETER_HOST": "127.0.0.1",
                    "STANCEMETER_PORT": str(self.port), "STANCEMETER_WORKERS": str(workers),
                    **env}  # fmt: skip
        self.process: subprocess.Popen | None = None
        self._log: Any = None

    def start(self, timeout: float = 60.0) -> float:
        """Start; seconds from process start to the first successful prediction."""
        started = time.perf_counter()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", "service/gunicorn_conf.py"], cwd=self.root,
            env={**self.env, "PYTHONPATH": str(self.root)},
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            self.wait_until(lambda: self._post_ok(), timeout)
        except BaseException:  # never leave a server behind that nobody will stop
            self.stop()
            raise
        return time.perf_counter() - started

    def _post_ok(self) -> bool:
        import requests

        try:
            answer = requests.post(self.url + "/v1/predict", json={"text": "x"}, timeout=2)
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or still loading
            return False
        return answer.status_code == 200

    def ready(self) -> bool:
        import requests

        try:
            return requests.get(self.url + "/readyz", timeout=2).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    def wait_until(self, condition: Callable[[], bool], timeout: float) -> float:
        """Seconds until ``condition()`` held; raises if the server died or time ran out."""
        started = time.perf_counter()
        while not condition():
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()}")
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"not ready after {timeout} s:\n{self.log()}")
            time.sleep(0.02)
        return time.perf_counter() - started

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

    def stop(self, timeout: float = 40.0) -> int | None:
        """SIGTERM, then the exit code (SIGKILL and raise past ``timeout``)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            if self.log_path and self._log:
                self._log.close()

    def log(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")
        return ""

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process and self.process.poll() is None:
            self.stop()
