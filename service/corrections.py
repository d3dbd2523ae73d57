"""Analysts' corrections and the review queue: /v1/corrections, /v1/review.

The store (store.CorrectionStore) opens on first use, so a service that nobody corrects
never creates a database; a bad STANCEMETER_ANNOTATOR_TOKENS fails at start-up."""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, current_app, jsonify

from service.auth import Caller, identify, parse_annotator_tokens
from service.correction_schemas import (
    CorrectionsCreated,
    CorrectionsPage,
    Deleted,
    ReviewPage,
    correction_models,
)
from service.errors import APIError
from service.routes import Endpoint, Registry, parse_json, parse_query
from service.schemas import ErrorResponse as ERR
from store import CorrectionFilter, NewCorrection

if TYPE_CHECKING:
    from store import CorrectionStore

log = logging.getLogger(__name__)
ANNOTATOR = ("annotatorToken",)
ANYONE = ("annotatorToken", "adminToken")
MAX_ID = 2**31 - 1  # the id column's range: a larger id names no correction


class LazyStore:
    """The corrections store of one process, opened when it is first needed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._store: CorrectionStore | None = None
        self._lock = threading.Lock()

    def get(self) -> CorrectionStore:
        with self._lock:
            if self._store is None:
                from store import CorrectionStore  # SQLAlchemy: only once corrected

                self._store = CorrectionStore(self.url)
            return self._store


def corrections_store() -> CorrectionStore:
    return current_app.extensions["stancemeter"]["corrections"].get()


def log_predictions(texts: list[str], predictions: list[Any], version: str) -> None:
    """Log what /v1/predict answered, for the review queue (STANCEMETER_LOG_PREDICTIONS=1).
    A database that fails is logged and the prediction still answered."""
    rows = [
        {"text": t, "model_version": version, "label": p.label, "probabilities": p.probabilities}
        for t, p in zip(texts, predictions)
    ]
    try:
        corrections_store().log_predictions(rows)
    except Exception:
        log.exception("could not log %d predictions", len(rows))


def register_corrections(app: Flask, registry: Registry) -> None:
    state = app.extensions["stancemeter"]
    settings = state["settings"]
    tokens = parse_annotator_tokens(settings.annotator_tokens)
    state["corrections"] = LazyStore(settings.database_url)
    if settings.log_predictions:  # every prediction writes: open (and migrate) at start-up
        state["corrections"].get()
    models = correction_models(settings.max_chars, settings.max_batch, settings.max_note_chars)
    v1 = Blueprint("corrections", __name__, url_prefix="/v1")
    unauthorized = {
        401: (ERR, "No token, or one that is not an annotator's (or, where allowed, the admin's).")
    }
    unavailable = {503: (ERR, "The database cannot be reached; nothing was stored.")}
    bad_query = {422: (ERR, "A query parameter is unknown or has a wrong value.")}

    def caller(admin: bool = True) -> Caller:
        return identify(tokens, settings.admin_token, admin)

    @registry.route(
        v1,
        Endpoint(
            "POST",
            "/corrections",
            "Store analysts' corrections (one or a batch)",
            models.create,
            {
                201: (CorrectionsCreated, "Stored, in input order."),
                **unauthorized,
                400: (ERR, "Malformed JSON."),
                408: (ERR, "The body did not arrive within the read timeout."),
                413: (ERR, "Body over the size limit."),
                415: (ERR, "Body is not JSON."),
                422: (
                    ERR,
                    "The body does not match the schema: an unknown label, an empty "
                    "text, a text or note over its limit, a wrong type.",
                ),
                **unavailable,
            },
            "corrections",
            security=ANNOTATOR,
            description="Needs an annotator's token (`Authorization: Bearer <token>`); the "
            "annotator is the token's owner. The service records what its model predicts "
            "for each text (label, probabilities, model version) beside the analyst's label; "
            "a correction that gives the model's label confirms it. The batch (at most "
            f"{settings.max_batch:,}; texts of at most {settings.max_chars:,} characters, "
            f"notes of at most {settings.max_note_chars:,}) is stored in one transaction: "
            "all of it, or none of it when the answer is not 201.",
        ),
    )
    def create() -> tuple[Response, int]:
        who = caller(admin=False)
        body: Any = parse_json(models.create)
        model = current_app.extensions["stancemeter"]["store"].model
        items = body.corrections
        predictions = model.predict([item.text for item in items])
        new = [
            NewCorrection(
                **item.model_dump(),
                annotator=who.name,
                model_version=model.version,
                predicted_label=p.label,
                probabilities=p.probabilities,
            )
            for item, p in zip(items, predictions)
        ]
        stored = corrections_store().add(new)
        out = [{**row, "created": created} for row, created in stored]
        return jsonify({"corrections": out}), 201

    @registry.route(
        v1,
        Endpoint(
            "GET",
            "/corrections",
            "The corrections, newest first, filtered and paged",
            None,
            {
                200: (CorrectionsPage, "One page and the number that match."),
                **unauthorized,
                **bad_query,
                **unavailable,
            },
            "corrections",
            security=ANYONE,
            query=models.query,
            description="Any annotator's token or the admin token. Filters: `label`, "
            "`annotator`, `model_version`, `since` (inclusive) and `until` (exclusive).",
        ),
    )
    def list_corrections() -> Response:
        caller()
        query: Any = parse_query(models.query)
        where = CorrectionFilter(
            query.label, query.annotator, query.model_version, query.since, query.until
        )
        total, rows = corrections_store().list(where, query.limit, query.offset)
        return jsonify(
            {"total": total, "limit": query.limit, "offset": query.offset, "corrections": rows}
        )

    @registry.route(
        v1,
        Endpoint(
            "GET",
            "/corrections/export",
            "Every correction as JSON Lines, in the corpus format",
            None,
            {
                200: (
                    None,
                    "One JSON object a line: `text`, `label`, and `source`, "
                    "`correction_id`, `annotator`, `created_at`, `model_version`, "
                    "`predicted_label`, `actor`, `recipient`, `note` when set; oldest first.",
                ),
                **unauthorized,
                **unavailable,
            },
            "corrections",
            security=ANYONE,
            media={200: "application/x-ndjson"},
            description="What `make train` merges with the corpus (it reads the database "
            "directly).",
        ),
    )
    def export() -> Response:
        caller()
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in corrections_store().export()]
        response = Response("".join(lines), mimetype="application/x-ndjson")
        response.headers["Content-Disposition"] = "attachment; filename=corrections.jsonl"
        return response

    @registry.route(
        v1,
        Endpoint(
            "DELETE",
            "/corrections/{correction_id}",
            "Delete a correction",
            None,
            {
                200: (Deleted, "Deleted."),
                **unauthorized,
                403: (ERR, "The correction is another annotator's (only they or the admin may)."),
                404: (ERR, "No correction has this id."),
                **unavailable,
            },
            "corrections",
            security=ANYONE,
            path_params={"correction_id": {"type": "integer", "minimum": 0}},
            description="By the annotator who made it, or with the admin token.",
        ),
    )
    def delete(correction_id: int) -> Response:
        who = caller()
        store = corrections_store()
        found = store.get(correction_id) if correction_id <= MAX_ID else None
        if found is None:
            raise APIError(
                404, "not_found", f"no correction has id {correction_id}", "correction_id"
            )
        if not who.admin and found["annotator"] != who.name:
            raise APIError(
                403,
                "forbidden",
                f"correction {correction_id} is "
                f"{found['annotator']}'s; only they or the admin may delete it",
            )
        if not store.delete(correction_id):  # deleted in between by someone else
            raise APIError(
                404, "not_found", f"no correction has id {correction_id}", "correction_id"
            )
        return jsonify({"id": correction_id, "deleted": True})

    @registry.route(
        v1,
        Endpoint(
            "GET",
            "/review",
            "The review queue: logged predictions not yet corrected",
            None,
            {200: (ReviewPage, "Least certain first."), **unauthorized, **bad_query, **unavailable},
            "corrections",
            security=ANYONE,
            query=models.review,
            description="The predictions `/v1/predict` logged (only with "
            "`STANCEMETER_LOG_PREDICTIONS=1`) for one model version whose text no analyst "
            "has corrected or confirmed, ordered by least confidence or by breaking ties.",
        ),
    )
    def review() -> Response:
        caller()
        query: Any = parse_query(models.review)
        version = (
            query.model_version or current_app.extensions["stancemeter"]["store"].model.version
        )
        total, rows = corrections_store().review_queue(
            version, query.order, query.limit, query.offset
        )
        return jsonify(
            {
                "total": total,
                "limit": query.limit,
                "offset": query.offset,
                "order": query.order,
                "model_version": version,
                "predictions": rows,
            }
        )

    app.register_blueprint(v1)
