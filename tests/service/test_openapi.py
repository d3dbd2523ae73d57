"""/openapi.json is a valid OpenAPI 3.1 document and the service behaves as it says."""

from __future__ import annotations

import re

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.helpers import ANNOTATOR_TOKEN, TOKEN

# A valid request for each documented operation that takes a body.
EXAMPLES = {
    ("post", "/v1/predict"): {"statements": [{"id": 1, "text": "Oslo sent field hospitals."}],
                              "explain": True},
    ("post", "/v1/model/reload"): {},
    ("post", "/v1/analyze"): {"text": "Oslo sent field hospitals to Gaza. Its minister flew home.",
                              "date": "2025-03-14", "source": "team"},
    ("post", "/v1/corrections"): {"corrections": [{"text": "Oslo sent field hospitals.",
                                                   "label": "non_lethal", "note": "aid"}]},
}  # fmt: skip
PATH_VALUES = {"correction_id": "1"}  # the correction the POST above stores


def bearer(operation) -> dict[str, str]:
    schemes = {name for option in operation.get("security", []) for name in option}
    token = ANNOTATOR_TOKEN if "annotatorToken" in schemes else TOKEN
    return {"Authorization": f"Bearer {token}"} if schemes else {}


@pytest.fixture()
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def validator_for(spec, schema):
    registry = Registry().with_resource("urn:spec", Resource.from_contents(
        {**spec, "$schema": "https://json-schema.org/draft/2020-12/schema"}))  # fmt: skip
    resolved = {"$ref": "urn:spec" + schema["$ref"]} if "$ref" in schema else schema
    return jsonschema.Draft202012Validator(resolved, registry=registry)


def test_document_is_openapi_3_1_with_every_endpoint(spec, app):
    assert spec["openapi"] == "3.1.0"
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    served = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if rule.endpoint != "static"
    }
    undocumented = {("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/"), ("GET", "/report"),
                    ("GET", "/reports/{name}"), ("GET", "/favicon.ico"),
                    ("GET", "/tracker"), ("GET", "/tracker/summary.csv"),
                    ("GET", "/metrics")}  # fmt: skip
    assert documented == served - undocumented
    for schema in spec["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_endpoint_answers_as_documented(spec, client):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            headers = bearer(operation)
            body = EXAMPLES.get((method, path))
            if "requestBody" in operation:
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                validator_for(spec, schema).validate(body)  # the example is itself valid
            url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)
            response = client.open(url, method=method.upper(), json=body, headers=headers)
            assert response.status_code < 300, (method, path, response.data)
            documented = operation["responses"][str(response.status_code)]
            if not response.is_json:
                assert response.mimetype in documented["content"], (path, response.mimetype)
                continue
            schema = documented["content"]["application/json"]["schema"]
            validator_for(spec, schema).validate(response.get_json())


def test_documented_errors_match_the_error_schema(spec, client):
    operation = spec["paths"]["/v1/predict"]["post"]
    for body, status in [("{", 400), ('{"text": 1}', 422)]:
        response = client.post("/v1/predict", data=body, content_type="application/json")
        assert response.status_code == status
        schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
        validator_for(spec, schema).validate(response.get_json())


def test_documented_limits_are_the_configured_ones(spec, settings):
    schemas = spec["components"]["schemas"]
    predict = schemas["PredictRequest"]["properties"]
    assert predict["text"]["type"] == "string"
    assert predict["text"]["maxLength"] == settings.max_chars
    assert predict["statements"]["maxItems"] == settings.max_batch
    assert schemas["PredictRequest"]["oneOf"] == [{"required": ["text"]},
                                                  {"required": ["statements"]}]  # fmt: skip
    assert predict["top_k"]["maximum"] == settings.max_top_k
