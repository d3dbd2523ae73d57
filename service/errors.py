"""Every error as JSON: ``{"error": {"code", "message", "field"}}``, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class APIError(Exception):
    """An error to answer with ``status`` and a JSON body."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def _location(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "body"


def validation_error(exc: ValidationError) -> APIError:
    """The first problem pydantic found, said in plain words with where it is."""
    first = exc.errors(include_url=False)[0]
    # drop pydantic's union and validator tags ("list[Statement]", "function-after[...]")
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))
    where = _location(loc)
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'"
    elif first["type"] == "missing":
        message = f"'{where}' is required"
    elif loc:
        message = f"'{where}': {message[0].lower()}{message[1:]}"
    more = len(exc.errors()) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return APIError(422, "validation_error", message, where)


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(APIError)
    def _api_error(exc: APIError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.field)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or exc.name
        if status == 404:
            message = "no such endpoint; see /openapi.json for the API"
        elif status == 405:
            allowed = ", ".join(sorted(exc.valid_methods or []))  # type: ignore[attr-defined]
            message = f"method not allowed here; use {allowed}"
        elif status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"request body is larger than the limit of {limit} bytes"
        response = error_response(status, _HTTP_CODES.get(status, "http_error"), message)
        if status == 405:
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods or []))  # type: ignore[attr-defined]
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "the server failed to answer; it was logged")
