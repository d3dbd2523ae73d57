"""The versioned JSON API under /v1, and the health checks."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from classifier.articles import analyze_article
from classifier.artifact import ArtifactError
from classifier.labels import DESCRIPTIONS, LABELS
from classifier.model import StanceModel
from service.auth import bearer_matches
from service.corrections import log_predictions
from service.errors import APIError
from service.limits import check_work
from service.metrics import ServiceMetrics
from service.reports import list_reports
from service.routes import Endpoint, Registry, parse_json
from service.schemas import (
    AnalyzeResponse,
    ErrorResponse,
    Health,
    LabelsResponse,
    ModelInfo,
    PredictResponse,
    ReloadResponse,
    ReportsResponse,
)
from service.store import CANARY, ModelStore

ERR = ErrorResponse


def register_api(app: Flask, registry: Registry) -> None:
    """Add the /v1 endpoints and the health checks to ``app``."""
    schemas = app.extensions["stancemeter"]["schemas"]
    settings = app.extensions["stancemeter"]["settings"]
    metrics: ServiceMetrics = app.extensions["stancemeter"]["metrics"]
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    health = Blueprint("health", __name__)
    invalid = {
        400: (ERR, "Malformed JSON."),
        408: (ERR, "The body did not arrive within the read timeout."),
        413: (ERR, "Body over the size limit."),
        415: (ERR, "Body is not JSON."),
        422: (ERR, "The body does not match the schema."),
    }

    @registry.route(
        v1,
        Endpoint(
            "POST", "/predict", "Label one statement or a batch", schemas.predict,
            {200: (PredictResponse, "Predictions in input order."), **invalid,
             413: (ERR, "Body over the size limit, or statements holding more characters "
                   "in all than one request may (`request_too_large`)."),
             422: (ERR, "The body does not match the schema, or an explanation asks for "
                   "more terms than one request may (`too_many_explanation_terms`).")},
            "predict",
            description="Send `text` for one statement or `statements` for a batch. With "
            "`explain: true` each prediction carries the terms that decided it. Limits of "
            f"one request: {settings.max_batch:,} statements of at most "
            f"{settings.max_chars:,} characters, {settings.max_request_chars:,} characters "
            f"in all ({settings.max_explain_chars:,} when explaining; 413 beyond), and when "
            f"explaining, statements x `top_k` at most {settings.max_explain_terms:,} (422 "
            "beyond). A text must contain a letter "
            "(422). A prediction is flagged `review: true`, with its `reason`, when its "
            "confidence is low or the text is not English or mostly unknown words.",
        ),
    )  # fmt: skip
    def predict() -> Response:
        body: Any = parse_json(schemas.predict)
        model = _store().model  # one model for the whole answer, even during a reload
        if body.text is not None:
            items = [(None, body.text)]
        else:
            items = [(s.id, s.text) for s in body.statements]
        texts = [text for _, text in items]
        check_work(texts, body.explain, body.top_k, settings)
        if body.explain:
            predictions = [model.explain(text, body.top_k) for text in texts]
        else:
            predictions = model.predict(texts, body.fields)
        if settings.log_predictions:
            log_predictions(texts, predictions, model.version)
        metrics.count_predictions("/v1/predict", predictions)
        return jsonify(
            {
                "model": {"version": model.version},
                "predictions": [
                    {"id": item_id, **prediction.to_dict(body.fields)}
                    for (item_id, _), prediction in zip(items, predictions)
                ],
            }
        )

    @registry.route(
        v1,
        Endpoint(
            "POST", "/analyze", "Read an article: its stance sentences and who supports whom",
            schemas.analyze, {200: (AnalyzeResponse, "Sentences in order, and the summary."),
                              **invalid},
            "predict",
            description="Send an article's `text` (at most "
            f"{settings.max_article_chars:,} characters; `date` and `source` are echoed). "
            "It is split into sentences (`start`/`end` are offsets into `text`); each gets a "
            "`relevance` probability, and the relevant ones (relevance >= 0.5) a prediction "
            "with level, actor and recipient. `summary` has one row per (actor, recipient): "
            "the highest level stated and the sentences that state it; a sentence that names "
            "no actor or recipient takes the last one named before it.",
        ),
    )  # fmt: skip
    def analyze() -> Response:
        body: Any = parse_json(schemas.analyze)
        model = _store().model
        article = analyze_article(model, body.text)
        metrics.count_predictions(
            "/v1/analyze", [s.prediction for s in article.sentences if s.prediction is not None]
        )
        return jsonify(
            {
                "model": {"version": model.version},
                "date": body.date.isoformat() if body.date else None,
                "source": body.source,
                **article.to_dict(),
            }
        )

    @registry.route(
        v1, Endpoint("GET", "/labels", "The support-level scale", None,
                     {200: (LabelsResponse, "Labels, lowest level first.")}, "model"),
    )  # fmt: skip
    def labels() -> Response:
        return jsonify(
            {
                "labels": [
                    {"level": level, "label": label, "description": DESCRIPTIONS[label]}
                    for level, label in enumerate(LABELS)
                ]
            }
        )

    @registry.route(
        v1, Endpoint("GET", "/model", "The loaded model's manifest", None,
                     {200: (ModelInfo, "Version, training time, hyperparameters, scores.")},
                     "model"),
    )  # fmt: skip
    def model_info() -> Response:
        return jsonify(_store().model.manifest)

    @registry.route(
        v1, Endpoint("GET", "/reports", "The evaluation reports of the loaded model", None,
                     {200: (ReportsResponse, "Held-out first; each served at its `url`.")},
                     "model"),
    )  # fmt: skip
    def reports() -> Response:
        state = current_app.extensions["stancemeter"]
        version = _store().model.version
        found = list_reports(state["settings"].reports_dir, version)
        return jsonify({"model": version, "reports": found})

    @registry.route(
        v1,
        Endpoint(
            "POST", "/model/reload", "Load models/current (or a version) and swap it in",
            schemas.reload,
            {
                200: (ReloadResponse, "The new model is serving."),
                401: (ERR, "An admin token is configured and the request's Authorization "
                      "header is missing or does not carry it."),
                404: (ERR, "Reloading is off: no admin token is configured "
                      "(STANCEMETER_ADMIN_TOKEN unset), so every request gets this 404, "
                      "whatever its Authorization header."),
                409: (ERR, "The model could not be loaded; the previous one keeps serving."),
                **invalid,
            },
            "model", request_required=False, security=True,
            description="Only when the server has an admin token (`STANCEMETER_ADMIN_TOKEN`): "
            "then it requires `Authorization: Bearer <token>` (401 without it or with another "
            "token); without one, reloading is off and every request gets 404. With a "
            "`version`, `current` is pointed at it (a rollback or roll-forward). Under gunicorn "
            "every worker is then replaced gracefully and loads the new model.",
        ),
    )  # fmt: skip
    def reload() -> Response:
        _authorize()
        body: Any = parse_json(schemas.reload, required=False)
        store = _store()
        try:
            new, previous = store.reload(body.version)
        except ArtifactError as exc:
            metrics.reload_outcome(ok=False)
            raise APIError(
                409, "reload_failed",
                f"{exc}; still serving {store.model.version}",
                "version" if body.version else None,
            ) from None  # fmt: skip
        metrics.reload_outcome(ok=True)
        metrics.model_loaded(new.version, previous.version)
        return jsonify({"version": new.version, "previous": previous.version})

    @registry.route(
        health, Endpoint("GET", "/healthz", "The process is alive", None,
                         {200: (Health, "Alive.")}, "health"),
    )  # fmt: skip
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @registry.route(
        health,
        Endpoint("GET", "/readyz", "A model is loaded and answers a canary prediction", None,
                 {200: (Health, "Ready."), 503: (ERR, "Not ready.")}, "health"),
    )  # fmt: skip
    def readyz() -> Response:
        model: StanceModel = _store().model
        try:
            model.predict([CANARY])
        except Exception as exc:  # pragma: no cover - a model that passed its check at load
            raise APIError(503, "not_ready", f"canary prediction failed: {exc}") from None
        return jsonify({"status": "ready", "model": model.version})

    app.register_blueprint(v1)
    app.register_blueprint(health)


def _store() -> ModelStore:
    return current_app.extensions["stancemeter"]["store"]


def _authorize() -> None:
    token = current_app.extensions["stancemeter"]["settings"].admin_token
    if not token:
        raise APIError(404, "not_found", "no such endpoint; see /openapi.json for the API")
    if not bearer_matches(request.headers.get("Authorization", ""), token):
        raise APIError(401, "unauthorized", "send 'Authorization: Bearer <admin token>'")
