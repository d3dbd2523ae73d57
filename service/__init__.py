"""stancemeter's HTTP service: a Flask application factory.

``create_app`` is imported on first use, not with the package: gunicorn's master
imports ``service.gunicorn_logging`` while reading its config, and must not import
``prometheus_client`` (through the app) before it has set ``PROMETHEUS_MULTIPROC_DIR``
(see service/metrics.py).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from service.app import create_app

        return create_app
    raise AttributeError(f"module 'service' has no attribute {name!r}")
