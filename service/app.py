"""The application factory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from flask import Flask

from config import Settings
from service.api import register_api
from service.corrections import register_corrections
from service.envelope import ResponseEnvelope
from service.errors import register_error_handlers
from service.jsonout import OrjsonProvider
from service.metrics import MetricsMiddleware, ServiceMetrics, register_metrics
from service.openapi import register_docs
from service.routes import Registry
from service.schemas import request_models
from service.store import ModelStore
from service.tracker import register_tracker
from service.web import register_web

API_VERSION = "1.0.0"


def create_app(
    config: Settings | Mapping[str, Any] | None = None,
    on_switch: Callable[[], None] | None = None,
) -> Flask:
    """Build the app. ``config`` is a :class:`Settings`, or overrides of the settings
    read from the environment; the model is loaded here, before the first request.
    ``on_switch`` runs after a reload moved ``models/current`` (see gunicorn_conf).
    """
    if isinstance(config, Settings):
        settings = config
    else:
        settings = replace(Settings.from_env(), **dict(config or {}))
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_VERSION=API_VERSION,
        JSON_SORT_KEYS=False,
    )
    metrics = ServiceMetrics(enabled=settings.metrics == "on")
    app.extensions["stancemeter"] = {
        "settings": settings,
        "schemas": request_models(
            settings.max_chars, settings.max_batch, settings.max_top_k, settings.max_article_chars
        ),
        "store": ModelStore(settings.model_path, settings.models_dir, on_switch),
        "metrics": metrics,
    }
    metrics.model_loaded(app.extensions["stancemeter"]["store"].model.version)
    registry = Registry()
    register_error_handlers(app)
    register_api(app, registry)
    register_corrections(app, registry)
    register_docs(app, registry)
    register_web(app)
    register_tracker(app)

    envelope = ResponseEnvelope(app.wsgi_app, settings.read_timeout)
    app.wsgi_app = envelope  # type: ignore[method-assign]
    if metrics.enabled:
        register_metrics(app, metrics)
        app.wsgi_app = MetricsMiddleware(envelope, metrics, app.url_map)  # type: ignore[method-assign]
    return app
