"""The real gunicorn server for tests (service.process.Server), on a test models dir."""

from __future__ import annotations

from pathlib import Path

from service.process import Server


def gunicorn_server(models_dir: Path, log_path: Path, **env: str) -> Server:
    """gunicorn with the project's config, 2 workers, serving ``models_dir``."""
    return Server(workers=2, log_path=log_path, STANCEMETER_MODELS_DIR=str(models_dir), **env)
