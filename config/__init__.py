"""Every setting of stancemeter, from one place: environment variables with defaults.

| variable                     | default            | meaning                                      |
|------------------------------|--------------------|----------------------------------------------|
| STANCEMETER_MODELS_DIR       | models             | directory of model versions and ``current``  |
| STANCEMETER_MODEL            | <models>/current   | model to load when none is named             |
| STANCEMETER_CORPUS           | data/statements.jsonl | the training corpus                       |
| STANCEMETER_NONSTANCE        | data/nonstance.jsonl | sentences that state no stance (relevance) |
| STANCEMETER_GAZETTEER        | data/gazetteer.json | states, organisations, armed groups        |
| STANCEMETER_ACTOR_CODES      | data/actor_codes.json | corpus actor/recipient names -> codes    |
| STANCEMETER_REPORTS_DIR      | reports            | where `make evaluate` writes (for /report)   |
| STANCEMETER_MAX_BATCH        | 1000               | statements per request                       |
| STANCEMETER_MAX_CHARS        | 10000              | characters per statement                     |
| STANCEMETER_MAX_TOP_K        | 50                 | explanation terms per direction              |
| STANCEMETER_MAX_REQUEST_CHARS | 1000000           | characters of all statements of one request  |
| STANCEMETER_MAX_EXPLAIN_TERMS | 10000             | statements x top_k of one explained request  |
| STANCEMETER_MAX_EXPLAIN_CHARS | 200000            | characters of one explained request          |
| STANCEMETER_MAX_ARTICLE_CHARS | 100000            | characters of one article (/v1/analyze)      |
| STANCEMETER_MAX_BODY_BYTES   | 16777216           | request body size (bytes)                    |
| STANCEMETER_ADMIN_TOKEN      | (unset)            | token for /v1/model/reload; unset: off       |
| STANCEMETER_HOST             | 127.0.0.1          | address gunicorn binds                       |
| STANCEMETER_PORT             | 8000               | port gunicorn binds                          |
| STANCEMETER_WORKERS          | 2                  | gunicorn worker processes                    |
| STANCEMETER_WORKER_CLASS     | sync               | gunicorn worker class (sync or gthread)      |
| STANCEMETER_THREADS          | 4                  | threads per worker (gthread only)            |
| STANCEMETER_TIMEOUT          | 30                 | seconds before a stuck worker is restarted   |
| STANCEMETER_READ_TIMEOUT     | 10                 | seconds a client may take to send its body   |
| STANCEMETER_TRACKER_DIR      | reports/tracker    | `make track` output, served at /tracker      |
| STANCEMETER_TRACK_WORKERS    | (cores)            | local Dask workers of `make track`           |
| STANCEMETER_TRACK_PARTITION  | 100                | articles per partition of `make track`       |
| STANCEMETER_DATABASE_URL     | sqlite:///var/stancemeter.db | corrections store (SQLAlchemy URL) |
| STANCEMETER_LOG_PREDICTIONS  | 0                  | 1: log predictions for the review queue      |
| STANCEMETER_ANNOTATOR_TOKENS | (unset)            | `name:token,...` or `@file` (analysts)       |
| STANCEMETER_MAX_NOTE_CHARS   | 2000               | characters of a correction's note            |
| STANCEMETER_CORRECTION_WEIGHT | 2.0               | a correction's weight in training (corpus 1) |
| STANCEMETER_METRICS          | on                 | /metrics and its counting (on or off)        |
| STANCEMETER_METRICS_TOKEN    | (unset)            | bearer token /metrics requires; unset: open  |
| STANCEMETER_METRICS_BIND     | (unset)            | extra HOST:PORT gunicorn binds; when set,    |
|                              |                    | /metrics answers there only (404 elsewhere)  |
| STANCEMETER_METRICS_DIR      | (new temp dir)     | gunicorn's PROMETHEUS_MULTIPROC_DIR; emptied |
|                              |                    | of metric files when the server starts       |

For a team, ``STANCEMETER_DATABASE_URL=postgresql+psycopg://user:password@host/db``.
Predictions are logged only when asked, because the texts may be confidential. A tokens
file (``@path``) has one ``name:token`` a line, ``#`` comments allowed.

The metrics directory is read by gunicorn's master only (service/gunicorn_conf.py),
which exports it to its workers as ``PROMETHEUS_MULTIPROC_DIR``; without gunicorn
(the Flask test client, ``flask run``) each app keeps its metrics in its own registry.

Relative paths are taken from the current directory (the Makefile runs everything
from the project root). The thread pinning of :func:`pin_threads` is here too: it
is the one setting that must act before NumPy is imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

PREFIX = "STANCEMETER_"
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def pin_threads() -> None:
    """One BLAS/OpenMP thread per process unless the caller chose otherwise.

    On a 2-core machine, oversubscribed BLAS threads made small logistic-regression
    fits many times slower; training runs its own process pool instead. Only acts
    if called before NumPy is first imported (``training`` and ``bench`` call it in
    their package ``__init__``, which runs before any of their modules).
    """
    for variable in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")


@dataclass(frozen=True)
class Settings:
    models_dir: Path = Path("models")
    model: Path | None = None
    corpus: Path = Path("data/statements.jsonl")
    nonstance: Path = Path("data/nonstance.jsonl")
    gazetteer: Path = Path("data/gazetteer.json")
    actor_codes: Path = Path("data/actor_codes.json")
    reports_dir: Path = Path("reports")
    max_batch: int = 1000
    max_chars: int = 10000
    max_top_k: int = 50
    max_request_chars: int = 1_000_000
    max_explain_terms: int = 10_000
    max_explain_chars: int = 200_000
    max_article_chars: int = 100_000
    max_body_bytes: int = 16 * 1024 * 1024
    admin_token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 4
    timeout: int = 30
    read_timeout: int = 10
    tracker_dir: Path = Path("reports/tracker")
    track_workers: int = os.cpu_count() or 1
    track_partition: int = 100
    database_url: str = "sqlite:///var/stancemeter.db"
    log_predictions: bool = False
    annotator_tokens: str | None = None
    max_note_chars: int = 2000
    correction_weight: float = 2.0
    metrics: str = "on"
    metrics_token: str | None = None
    metrics_bind: str | None = None
    metrics_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.metrics not in ("on", "off"):
            raise ValueError(f"{env_name('metrics')}={self.metrics!r}: must be on or off")

    @property
    def model_path(self) -> Path:
        return self.model or self.models_dir / "current"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``STANCEMETER_*`` variables; a bad value raises ValueError naming it."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = environ.get(env_name(field.name))
            if raw is None or raw == "":
                continue
            kind = cls.__annotations__[field.name]
            try:
                if kind == "int":
                    values[field.name] = int(raw)
                    if values[field.name] <= 0:  # type: ignore[operator]
                        raise ValueError("must be positive")
                elif kind == "bool":
                    values[field.name] = _flag(raw)
                elif kind == "float":
                    values[field.name] = float(raw)
                    if not values[field.name] > 0:  # type: ignore[operator]
                        raise ValueError("must be positive")
                elif "Path" in kind:
                    values[field.name] = Path(raw)
                else:
                    values[field.name] = raw
            except ValueError as exc:
                raise ValueError(f"{env_name(field.name)}={raw!r}: {exc}") from exc
        return cls(**values)  # type: ignore[arg-type]


def _flag(raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be 1 or 0")


def env_name(setting: str) -> str:
    """The environment variable of a setting: ``models_dir`` -> ``STANCEMETER_MODELS_DIR``."""
    return PREFIX + setting.upper()


def settings() -> Settings:
    """The settings in force now (read from the environment on every call)."""
    return Settings.from_env()
