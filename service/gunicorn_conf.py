"""gunicorn settings for stancemeter (`gunicorn -c service/gunicorn_conf.py`).

Values come from the STANCEMETER_* variables documented in config/__init__.py.
"""

from __future__ import annotations

import os
import signal

from config import Settings

_settings = Settings.from_env()

wsgi_app = "service:create_app()"
bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
# sync workers by default: each request is its own connection, so the kernel spreads
# requests over the workers. gthread keeps connections alive, and a worker keeps every
# connection it accepted: with a few busy clients, one worker often held them all and
# the service ran at half speed (bench/README.md). gunicorn quietly turns a sync worker
# with threads > 1 into gthread, so threads go only to the class that uses them.
worker_class = _settings.worker_class
threads = _settings.threads if worker_class == "gthread" else 1
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
