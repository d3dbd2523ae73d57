"""Run the real gunicorn server, with the project's own config, on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    def __init__(self, models_dir: Path, log_path: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "STANCEMETER_MODELS_DIR": str(models_dir),
            "STANCEMETER_HOST": "127.0.0.1",
            "STANCEMETER_PORT": str(self.port),
            "STANCEMETER_WORKERS": "2",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> GunicornServer:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", "service/gunicorn_conf.py"],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 30.0) -> float:
        """Seconds until /readyz answered 200."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.process and self.process.poll() is None, self.log()
            try:
                if requests.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"not ready after {timeout} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        assert self.process
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                             capture_output=True, text=True).stdout  # fmt: skip
        return [int(pid) for pid in out.split()]

    def stop(self, timeout: float = 40.0) -> int:
        """SIGTERM, then the exit code (SIGKILL and raise past ``timeout``)."""
        assert self.process
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        finally:
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> GunicornServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
