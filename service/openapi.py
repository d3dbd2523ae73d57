"""The OpenAPI 3.1 document, built from the endpoint registry and pydantic schemas,
and /docs, a self-contained page that renders it (no network requests)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, render_template
from markupsafe import Markup, escape
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from service.envelope import REQUEST_ID_HEADER, SAFE_REQUEST_ID
from service.routes import Registry

REF = "#/components/schemas/{model}"


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def build_openapi(registry: Registry, version: str) -> dict[str, Any]:
    models: set[type[BaseModel]] = set()
    for endpoint in registry.endpoints:
        if endpoint.request is not None:
            models.add(endpoint.request)
        models.update(m for m, _ in endpoint.responses.values() if m is not None)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, schemas = models_json_schema([(m, "validation") for m in ordered], ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in registry.endpoints:
        operation: dict[str, Any] = {
            "summary": endpoint.summary,
            "operationId": endpoint.method.lower() + endpoint.path.replace("/", "_"),
            "tags": [endpoint.tag],
            "parameters": [
                {
                    "name": REQUEST_ID_HEADER,
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "Any string. The response's X-Request-ID is this value when "
                    "it is 1-128 characters of [A-Za-z0-9._:-], else a new id (never a refusal).",
                }
            ],
            "responses": {
                str(status): {
                    "description": text,
                    "headers": {REQUEST_ID_HEADER: {"$ref": "#/components/headers/RequestId"}},
                    **({"content": {"application/json": {"schema": _ref(model)}}} if model else {}),
                }
                for status, (model, text) in sorted(endpoint.responses.items())
            },
        }
        operation["parameters"] += _parameters(endpoint)
        for status, media in endpoint.media.items():
            response = operation["responses"][str(status)]
            response["content"] = {media: {"schema": {"type": "string"}}}
        if endpoint.description:
            operation["description"] = endpoint.description
        if endpoint.request is not None:
            operation["requestBody"] = {
                "required": endpoint.request_required,
                "content": {"application/json": {"schema": _ref(endpoint.request)}},
            }
        if endpoint.security is True:
            operation["security"] = [{"adminToken": []}]
        elif endpoint.security:
            operation["security"] = [{name: []} for name in endpoint.security]
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "stancemeter",
            "version": version,
            "description": "Labels foreign-policy statements on an ordered support scale: "
            "opposed < neutral < diplomatic < non_lethal < lethal.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {
                "adminToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "STANCEMETER_ADMIN_TOKEN",
                },
                "annotatorToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "an analyst's token from STANCEMETER_ANNOTATOR_TOKENS",
                },
            },
            "headers": {
                "RequestId": {
                    "description": "The request's id: the client's X-Request-ID when it "
                    "was 1-128 characters of [A-Za-z0-9._:-], else a new one.",
                    "schema": {"type": "string", "pattern": f"^{SAFE_REQUEST_ID.pattern}$"},
                    "required": True,
                }
            },
        },
    }


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null: its schema without the null branch."""
    schema = {k: v for k, v in schema.items() if k not in ("default", "title")
              or (k == "default" and v is not None)}  # fmt: skip
    branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    return schema


def _parameters(endpoint: Any) -> list[dict[str, Any]]:
    """The path parameters and the query model's fields, as OpenAPI parameters."""
    found = [{"name": name, "in": "path", "required": True, "schema": schema}
             for name, schema in endpoint.path_params.items()]  # fmt: skip
    if endpoint.query is not None:
        schema = endpoint.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, field_schema in schema["properties"].items():
            parameter = {"name": name, "in": "query", "required": name in required,
                         "schema": _without_null(field_schema)}  # fmt: skip
            if "description" in field_schema:
                parameter["description"] = parameter["schema"].pop("description")
            found.append(parameter)
    return found


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """The descriptions' Markdown code spans (`x`) as <code>, everything else escaped."""
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def register_docs(app: Flask, registry: Registry) -> None:
    docs = Blueprint("docs", __name__)
    app.jinja_env.filters["code_spans"] = code_spans
    document: dict[str, Any] = {}

    def get_document() -> dict[str, Any]:
        if not document:
            document.update(build_openapi(registry, app.config["API_VERSION"]))
        return document

    @docs.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(get_document())

    @docs.get("/docs")
    def page() -> str:
        return render_template("docs.html", spec=get_document())

    app.register_blueprint(docs)
