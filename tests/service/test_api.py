"""Every endpoint and every error, through Flask's test client."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from classifier.artifact import CURRENT, SCORER_FILE
from classifier.labels import LABELS
from config import Settings
from service import create_app
from tests.helpers import TOKEN, retrain_into

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


def test_predict_one_statement(client):
    response = client.post("/v1/predict", json={"text": "Romania delivered a Patriot battery."})
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"]["version"] == os.readlink(
        client.application.extensions["stancemeter"]["settings"].models_dir / CURRENT
    )
    [prediction] = body["predictions"]
    assert prediction["id"] is None and prediction["label"] in LABELS
    assert prediction["level"] == LABELS.index(prediction["label"]) and list(
        prediction["probabilities"]
    ) == list(LABELS)
    assert sum(prediction["probabilities"].values()) == pytest.approx(1.0)
    assert "explanation" not in prediction


def test_predict_a_batch_keeps_order_and_echoes_ids(client):
    statements = [
        {"id": "b", "text": "Romania delivered a Patriot battery."},
        {"text": "Hungary vetoed the EU aid package for Kyiv."},
        {"id": 3, "text": "Romania delivered a Patriot battery."},
    ]
    body = client.post("/v1/predict", json={"statements": statements}).get_json()
    assert [p["id"] for p in body["predictions"]] == ["b", None, 3]
    assert body["predictions"][0]["probabilities"] == body["predictions"][2]["probabilities"]


def test_integral_floats_count_as_integers(client):
    # JSON Schema (and so the OpenAPI document) counts 3.0 as an integer
    body = client.post("/v1/predict", json={"text": "Oslo sent tents.", "explain": True,
                                            "top_k": 3.0}).get_json()  # fmt: skip
    assert len(body["predictions"][0]["explanation"]["toward"]) <= 3


def test_predict_with_explanations(client):
    body = client.post(
        "/v1/predict", json={"text": "Romania delivered a Patriot battery.", "explain": True,
                             "top_k": 2},
    ).get_json()  # fmt: skip
    explanation = body["predictions"][0]["explanation"]
    assert explanation["label"] == body["predictions"][0]["label"]
    assert 0 < len(explanation["toward"]) <= 2 and len(explanation["away"]) <= 2
    term = explanation["toward"][0]
    text = "Romania delivered a Patriot battery."
    assert text[term["spans"][0][0] : term["spans"][0][1]] == term["term"]


def test_labels(client):
    labels = client.get("/v1/labels").get_json()["labels"]
    assert [(x["level"], x["label"]) for x in labels] == list(enumerate(LABELS))
    assert all(x["description"] for x in labels)


def test_model_manifest(client):
    manifest = client.get("/v1/model").get_json()
    assert {"version", "created_at", "hyperparameters", "scores", "data"} <= set(manifest)
    assert "heldout_macro_f1" in manifest["scores"]


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["model"]


def test_every_answer_carries_the_request_id_and_safety_headers(client):
    """Error answers too, whoever made them (a view, Flask's routing, the body limit)."""
    too_big = b"x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1)
    answers = [
        client.get("/healthz"),
        client.get("/no/such/page"),
        client.delete("/v1/predict"),
        client.post("/v1/predict", data=too_big, content_type="application/json"),
    ]
    assert [a.status_code for a in answers] == [200, 404, 405, 413]
    for answer in answers:
        assert len(answer.headers["X-Request-ID"]) == 32
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers.getlist("X-Request-ID") == [answer.headers["X-Request-ID"]]


def test_request_id_is_echoed_or_made(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    unsafe = client.get("/healthz", headers={"X-Request-ID": "x\ty" * 100}).headers["X-Request-ID"]
    assert unsafe != "x\ty" * 100
    assert (
        client.post(
            "/v1/predict",
            data="{",
            content_type="application/json",
            headers={"X-Request-ID": "r-9"},
        ).headers["X-Request-ID"]
        == "r-9"
    )


@pytest.mark.parametrize(
    "body, content_type, status, code, field, words",
    [
        ("hello", "text/plain", 415, "unsupported_media_type", None, "application/json"),
        ('{"text": "a"}', None, 415, "unsupported_media_type", None, "Content-Type"),
        ('{"text": ', "application/json", 400, "invalid_json", None, "line 1 column"),
        (b'{"text": "\xff"}', "application/json", 400, "invalid_json", None, "UTF-8"),
        ("[" * 100_00 + "]" * 100_00, "application/json", 400, "invalid_json", None, "nested"),
        ('["a"]', "application/json", 422, "validation_error", "body", "JSON object"),
        ("{}", "application/json", 422, "validation_error", "body", "exactly one of"),
        ('{"text": ""}', "application/json", 422, "validation_error", "text", "at least 1"),
        ('{"text": " \\n\\t "}', "application/json", 422, "validation_error", "text",
         "at least one letter"),
        ('{"text": 7}', "application/json", 422, "validation_error", "text", "valid string"),
        ('{"text": "' + "a" * 201 + '"}', "application/json", 422, "validation_error", "text",
         "at most 200"),
        ('{"text": "a", "statements": [{"text": "b"}]}', "application/json", 422,
         "validation_error", "body", "exactly one of"),
        ('{"statements": []}', "application/json", 422, "validation_error", "statements",
         "at least 1"),
        ('{"statements": [' + ",".join(['{"text": "a"}'] * 6) + "]}", "application/json", 422,
         "validation_error", "statements", "at most 5"),
        ('{"statements": [{"text": "a"}, {"text": ""}]}', "application/json", 422,
         "validation_error", "statements.1.text", "at least 1"),
        ('{"statements": [{"text": "a", "lang": "en"}]}', "application/json", 422,
         "validation_error", "statements.0.lang", "unknown field 'lang'"),
        ('{"text": "a", "colour": 1}', "application/json", 422, "validation_error", "colour",
         "unknown field 'colour'"),
        ('{"text": "a", "top_k": 0}', "application/json", 422, "validation_error", "top_k",
         "greater than or equal to 1"),
        ('{"text": "a", "top_k": 51}', "application/json", 422, "validation_error", "top_k",
         "less than or equal to 50"),
        ('{"text": "a", "top_k": "3"}', "application/json", 422, "validation_error", "top_k",
         "valid integer"),
        ('{"text": "a", "top_k": 2.5}', "application/json", 422, "validation_error", "top_k",
         "valid integer"),
        ('{"text": null, "statements": [{"text": "a"}]}', "application/json", 422,
         "validation_error", "text", "must not be null"),
        ('{"text": "a", "explain": "yes"}', "application/json", 422, "validation_error",
         "explain", "valid boolean"),
        ('{"text": "a", "fields": []}', "application/json", 422, "validation_error", "fields",
         "at least 1"),
        ('{"text": "a", "fields": ["label", "colour"]}', "application/json", 422,
         "validation_error", "fields.1", "'probabilities'"),
        ('{"text": "a", "fields": "label"}', "application/json", 422, "validation_error",
         "fields", "valid list"),
        ('{"text": "a", "fields": null}', "application/json", 422, "validation_error", "fields",
         "must not be null"),
        ('{"text": "' + "a" * 30_000 + '"}', "application/json", 413, "payload_too_large", None,
         "20000 bytes"),
    ],
)  # fmt: skip
def test_bad_predict_requests_get_a_clear_4xx(client, body, content_type, status, code, field,
                                              words):  # fmt: skip
    headers = {} if content_type else {"Content-Type": ""}
    response = client.post("/v1/predict", data=body, content_type=content_type, headers=headers)
    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == code and error["field"] == field
    assert words in error["message"]


def test_unknown_route_and_wrong_method(client):
    response = client.get("/v2/predict")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    response = client.get("/v1/predict")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]
    response = client.delete("/v1/labels")
    assert response.status_code == 405


def test_reload_needs_the_token(client):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        response = client.post("/v1/model/reload", headers=headers)
        assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


def test_reload_is_hidden_without_a_configured_token(settings):
    client = create_app(Settings(**{**settings.__dict__, "admin_token": None})).test_client()
    response = client.post("/v1/model/reload", headers=AUTH)
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_reload_swaps_in_the_current_model(client, models):
    first = client.get("/v1/model").get_json()["version"]
    second = retrain_into(models)
    response = client.post("/v1/model/reload", headers=AUTH)
    assert response.status_code == 200
    assert response.get_json() == {"version": second, "previous": first}
    assert client.post("/v1/predict", json={"text": "x y"}).get_json()["model"]["version"] == second
    # A named version: a rollback, which also moves `current`.
    response = client.post("/v1/model/reload", headers=AUTH, json={"version": first})
    assert response.get_json() == {"version": first, "previous": second}
    assert os.readlink(models / CURRENT) == first


def test_a_failed_reload_keeps_the_old_model(client, models):
    first = client.get("/v1/model").get_json()["version"]
    broken = models / "broken-1"
    shutil.copytree(models / first, broken)
    (broken / SCORER_FILE).write_bytes(b"not a model")
    response = client.post("/v1/model/reload", headers=AUTH, json={"version": "broken-1"})
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "reload_failed" and error["field"] == "version"
    assert "SHA-256" in error["message"] and f"still serving {first}" in error["message"]
    for bad in ("../etc", "a/b", ""):
        response = client.post("/v1/model/reload", headers=AUTH, json={"version": bad})
        assert response.status_code == 422 and error_of(response)["field"] == "version"
    response = client.post("/v1/model/reload", headers=AUTH, json={"version": "nope"})
    assert response.status_code == 409 and "no model" in error_of(response)["message"]
    assert os.readlink(models / CURRENT) == first
    assert client.post("/v1/predict", json={"text": "x"}).get_json()["model"]["version"] == first


def test_docs_page_renders_the_document(client):
    response = client.get("/docs")
    assert response.status_code == 200 and b"/v1/predict" in response.data
    assert b"http://" not in response.data and b"https://" not in response.data
    page = response.get_data(as_text=True)
    prose = re.sub(r"<pre>.*?</pre>", "", page, flags=re.S)  # the schemas are shown as JSON
    assert "`" not in prose and "<code>url</code>" in page  # Markdown code spans rendered


def test_code_spans_escape_everything_else():
    from service.openapi import code_spans

    assert code_spans("a `<b>` & `c`") == "a <code>&lt;b&gt;</code> &amp; <code>c</code>"


def test_a_missing_model_fails_at_start(tmp_path):
    from classifier.artifact import ArtifactError

    with pytest.raises(ArtifactError, match="no model"):
        create_app(Settings(models_dir=tmp_path))


def test_settings_come_from_the_environment():
    settings = Settings.from_env({"STANCEMETER_MAX_BATCH": "7", "STANCEMETER_MODELS_DIR": "/m",
                                  "STANCEMETER_ADMIN_TOKEN": "t"})  # fmt: skip
    assert settings.max_batch == 7 and str(settings.model_path) == "/m/current"
    assert settings.admin_token == "t" and settings.port == 8000
    with pytest.raises(ValueError, match="STANCEMETER_PORT='x'"):
        Settings.from_env({"STANCEMETER_PORT": "x"})
    with pytest.raises(ValueError, match="STANCEMETER_MAX_BATCH"):
        Settings.from_env({"STANCEMETER_MAX_BATCH": "0"})


def test_json_error_bodies_parse(client):
    raw = client.post("/v1/predict", data="{", content_type="application/json").data
    assert json.loads(raw)["error"]["code"] == "invalid_json"
