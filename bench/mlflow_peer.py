"""The server a user would pick instead: MLflow's ``models serve`` with a plain
scikit-learn TF-IDF + logistic-regression pipeline fitted on the same corpus
(``make bench PEER=mlflow``; never in CI, and ``QUICK=1`` does not need it).

MLflow lives in its own throwaway virtual environment under ``bench/.peer/`` (ignored
by git; delete it to start afresh), made and pip-installed at the pinned version on
first use, so none of its many dependencies reach the project's environment. Each run
fits and logs the model into a temporary tracking store and serves it with 2 uvicorn
workers on a free 127.0.0.1 port; the server is stopped by its own process group.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sklearn

from bench.common import CORPUS, ROOT
from service.process import free_port

MLFLOW_VERSION = "3.17.2"
"""The newest MLflow the package registry here installs: 3.18.0 needs mlflow-tracing
3.18.0, which it does not serve."""
PEER_DIR = ROOT / "bench" / ".peer"
REQUIREMENTS = [f"mlflow=={MLFLOW_VERSION}", f"scikit-learn=={sklearn.__version__}"]
FIT = ROOT / "bench" / "mlflow_fit.py"


def peer_environment(directory: Path = PEER_DIR) -> Path:
    """The peer's virtual environment (made on first use); its ``bin`` directory."""
    venv = directory / f"mlflow-{MLFLOW_VERSION}"
    stamp = venv / ".installed"
    if not stamp.exists():
        print(f"bench: installing {' '.join(REQUIREMENTS)} into {venv} (once)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", *REQUIREMENTS],
                       check=True)  # fmt: skip
        stamp.touch()
    return venv / "bin"


class MlflowServer:
    """``mlflow models serve`` of the peer pipeline, 2 workers, on a free 127.0.0.1 port."""

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.cold_start_s = 0.0
        self._tmp = tempfile.TemporaryDirectory(prefix="stancemeter-mlflow-")
        self._log: Any = None

    def start(self, timeout: float = 180.0) -> None:
        import requests

        bin_dir = peer_environment()
        tmp = Path(self._tmp.name)
        uri_file = tmp / "model_uri"
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
               "MLFLOW_TRACKING_URI": f"sqlite:///{tmp / 'mlflow.db'}"}  # fmt: skip
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = os.environ.get(name, "1")  # as the project's workers: one thread each
        subprocess.run([str(bin_dir / "python"), str(FIT), str(CORPUS), str(tmp), str(uri_file)],
                       check=True, env=env, cwd=tmp, capture_output=True)  # fmt: skip
        started = time.perf_counter()
        self._log = (tmp / "serve.log").open("wb")
        self.process = subprocess.Popen(
            [str(bin_dir / "mlflow"), "models", "serve", "-m", uri_file.read_text(),
             "--env-manager", "local", "-h", "127.0.0.1", "-p", str(self.port),
             "-w", str(self.workers)],
            env=env, cwd=tmp, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: uvicorn and its workers
        )  # fmt: skip
        body = {"inputs": ["Oslo sent field hospitals to Gaza."]}
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"mlflow exited:\n{(tmp / 'serve.log').read_text()[-3000:]}")
            try:
                if requests.post(self.url + "/invocations", json=body, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.perf_counter() - started > timeout:
                self.stop()
                raise TimeoutError(f"mlflow not serving after {timeout} s")
            time.sleep(0.1)
        self.cold_start_s = time.perf_counter() - started

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group of the process we started
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._log is not None:
            self._log.close()
        self._tmp.cleanup()

    def __enter__(self) -> MlflowServer:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
