"""Every error as JSON: ``{"error": {"code", "message", "field"}}``, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from store import StoreError

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


# pydantic's error types that mean "the value is of the wrong JSON type", and that type
_MISMATCH = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "none_required": "null",
}


def _kind(value: Any) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number" if value.is_integer() else "a fractional number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _path(error: dict[str, Any], data: Any) -> tuple:
    """The error's location in the request, without pydantic's union and validator
    tags ("constrained-str", "list[Statement]", "function-after[...]"): a tag is a part
    of the location that is not a key or an index of the data at that point."""
    loc, node, path = error["loc"], data, []
    for number, part in enumerate(loc):
        if (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and type(part) is int and 0 <= part < len(node)
        ):
            node = node[part]
        elif not (error["type"] == "missing" and number == len(loc) - 1):
            continue  # a tag
        path.append(part)
    return tuple(path)


def _say(error: dict[str, Any], path: tuple) -> tuple[str, str]:
    """One problem in one sentence, and where it is."""
    where = _location(path)
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return f"'{where}' is required", where
    if kind == "extra_forbidden":
        return f"unknown field '{path[-1]}'", where
    if kind == "value_error":
        cause = (error.get("ctx") or {}).get("error")
        message = str(cause) if cause is not None else message.removeprefix("Value error, ")
        where = getattr(cause, "field", None) or where
        if message.startswith("'"):  # it names its field already
            return message, where
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = "input should be a JSON object"
    elif kind in ("too_short", "too_long"):
        message = message.replace(" after validation", "")
    message = message[0].lower() + message[1:]
    return (message if where == "body" else f"'{where}': {message}"), where


def validation_error(exc: ValidationError, data: Any = None) -> APIError:
    """The most relevant problem pydantic found in ``data``, in one plain sentence, with
    where it is: the first location pydantic reports, and there, of the errors of a union's
    alternatives, the one about a value of the right type (a string too long rather than
    "not an integer"), or else one sentence that lists the types it may be."""
    errors = exc.errors(include_url=False)
    # the null alternative of an optional field is never the relevant one
    errors = [e for e in errors if e["type"] != "none_required"] or errors
    located = [(_path(e, data), e) for e in errors]
    path = located[0][0]
    candidates = [e for p, e in located if p == path]
    relevant = [e for e in candidates if e["type"] not in _MISMATCH]
    if relevant or len(candidates) == 1:
        message, where = _say((relevant or candidates)[0], path)
    else:
        types = list(dict.fromkeys(_MISMATCH[e["type"]] for e in candidates))
        where = _location(path)
        message = f"'{where}' must be {' or '.join(types)}, not {_kind(candidates[0]['input'])}"
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

    @app.errorhandler(StoreError)
    def _store_error(exc: StoreError) -> Response:
        log.error("database error: %s", exc)
        return error_response(503, "database_unavailable",
                              "the database cannot be used now; nothing was stored")  # fmt: skip

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "the server failed to answer; it was logged")
