"""Endpoint registry: each route is declared once, with its schemas, and both the
Flask view and the OpenAPI document come from that declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import ClientDisconnected

from service.errors import APIError, validation_error
from service.jsonbody import BodyError, load_body


@dataclass
class Endpoint:
    method: str
    path: str
    summary: str
    request: type[BaseModel] | None
    responses: dict[int, tuple[type[BaseModel] | None, str]]
    tag: str
    request_required: bool = True
    security: bool | tuple[str, ...] = False
    """True: the admin token; or the names of the security schemes, any one of which."""
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    query: type[BaseModel] | None = None
    path_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``{name: JSON schema}`` of the ``{name}`` parts of ``path``."""
    media: dict[int, str] = field(default_factory=dict)
    """Responses that are not JSON: ``{status: media type}`` (a string body)."""

    @property
    def flask_rule(self) -> str:
        """``path`` with its ``{name}`` parts as Flask converters (integers as ``int``)."""
        rule = self.path
        for name, schema in self.path_params.items():
            converter = "int:" if schema.get("type") == "integer" else ""
            rule = rule.replace("{" + name + "}", f"<{converter}{name}>")
        return rule


class Registry:
    """The endpoints of one application, for the OpenAPI document."""

    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []

    def route(self, blueprint: Blueprint, endpoint: Endpoint) -> Callable:
        prefix = blueprint.url_prefix or ""
        endpoint.path = prefix + endpoint.path
        self.endpoints.append(endpoint)
        local_path = endpoint.flask_rule[len(prefix) :]

        def decorator(view: Callable) -> Callable:
            blueprint.add_url_rule(local_path, view_func=view, methods=[endpoint.method])
            return view

        return decorator


def parse_query(model: type[BaseModel]) -> BaseModel:
    """The query string validated against ``model`` (a 422 naming the parameter)."""
    data = request.args.to_dict()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data) from None


def parse_json(model: type[BaseModel], required: bool = True) -> BaseModel:
    """The request body validated against ``model``; a clear 4xx for anything else."""
    try:
        raw = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
    except (TimeoutError, ConnectionError, ClientDisconnected) as exc:
        raise APIError(
            408, "request_timeout", "the request body did not arrive in time; send it at once"
        ) from exc
    if not raw.strip() and not required:
        return model()
    if not request.is_json:
        raise APIError(
            415,
            "unsupported_media_type",
            "send the body as JSON with 'Content-Type: application/json'",
        )
    try:
        data = load_body(raw)
    except BodyError as exc:
        raise APIError(400, "invalid_json", exc.message, exc.field) from None
    if not isinstance(data, dict):
        raise APIError(422, "validation_error", "the body must be a JSON object", "body")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data) from None
