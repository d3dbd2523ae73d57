"""gunicorn settings for stancemeter (`gunicorn -c service/gunicorn_conf.py`).

Values come from the STANCEMETER_* variables documented in config/__init__.py.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import sys
import tempfile

from config import Settings

_settings = Settings.from_env()

wsgi_app = "service:create_app()"
# with STANCEMETER_METRICS_BIND, a second listener that /metrics is restricted to
bind = [f"{_settings.host}:{_settings.port}", *filter(None, [_settings.metrics_bind])]
workers = _settings.workers
# sync workers by default: each request is its own connection, so the kernel spreads
# requests over the workers. gthread keeps connections alive, and a worker keeps every
# connection it accepted: with a few busy clients, one worker often held them all and
# the service ran at half speed (bench/README.md). gunicorn quietly turns a sync worker
# with threads > 1 into gthread, so threads go only to the class that uses them.
# A sync worker is gunicorn's, except that it closes a connection as soon as its answer
# is sent when no request bytes are left unread (service/gunicorn_worker.py).
worker_class = (
    "service.gunicorn_worker.PromptCloseSyncWorker"
    if _settings.worker_class == "sync"
    else _settings.worker_class
)
threads = _settings.threads if _settings.worker_class == "gthread" else 1
timeout = _settings.timeout  # a worker silent this long is killed and replaced
graceful_timeout = 30  # SIGTERM: in-flight requests get this long to finish
keepalive = 5
# Slow or hostile clients: bounded request lines and headers.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# gunicorn's runtime control socket (gunicornc) is not used here, and every instance
# would share one default path ($HOME/.gunicorn/gunicorn.ctl), so several servers on a
# machine (tests, the benchmark, a dev server) would replace each other's socket.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = "info"
logger_class = "service.gunicorn_logging.JsonLogger"


def post_worker_init(worker) -> None:
    """After a reload moved models/current, ask the master to replace all workers
    gracefully (SIGHUP), so every worker serves the same new model."""
    store = worker.wsgi.extensions["stancemeter"]["store"]
    master = worker.ppid
    store.on_switch = lambda: os.kill(master, signal.SIGHUP)


# Prometheus multiprocess mode. The master sets PROMETHEUS_MULTIPROC_DIR and empties
# it before any worker exists (workers inherit the variable when forked, and
# prometheus_client reads it when first imported, so nothing here imports it at
# load time); each worker writes its own files there, and /metrics sums them.
METRIC_FILES = ("counter_*.db", "gauge_*.db", "histogram_*.db", "summary_*.db")
_made_metrics_dir: list[str] = []


def on_starting(server) -> None:
    """In the master, before the workers: the metrics directory, emptied of metric
    files (only those: the directory may be one an operator chose)."""
    if "prometheus_client" in sys.modules:  # its metrics would not see the directory
        raise RuntimeError("prometheus_client was imported before PROMETHEUS_MULTIPROC_DIR was set")
    if _settings.metrics_dir is not None:
        directory = str(_settings.metrics_dir)
        os.makedirs(directory, exist_ok=True)
    else:
        directory = tempfile.mkdtemp(prefix="stancemeter-metrics-")
        _made_metrics_dir.append(directory)
    for pattern in METRIC_FILES:
        for path in glob.glob(os.path.join(directory, pattern)):
            os.remove(path)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    server.log.info("metrics directory %s", directory)


def child_exit(server, worker) -> None:
    """A worker exited (or was killed): drop its live gauges; its counters stay."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    """The master stops: remove the metrics directory if it made it."""
    for directory in _made_metrics_dir:
        shutil.rmtree(directory, ignore_errors=True)
