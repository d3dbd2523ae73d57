"""What a bad body gets back: a JSON 400 for integers too long to read and for
duplicate keys, and one plain sentence per validation error (through Flask's test
client; tests/service/test_gunicorn_errors.py repeats them against gunicorn)."""

from __future__ import annotations

import pytest

from tests.helpers import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HUGE = "9" * 5000  # over Python's int-string conversion limit of 4300 digits


def post(client, path: str, body: str, **headers: str):
    return client.post(path, data=body, content_type="application/json",
                       headers={**AUTH, **headers})  # fmt: skip


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


HUGE_INTEGERS = [
    ("/v1/predict", '{"text": "a", "explain": true, "top_k": ' + HUGE + "}", "top_k"),
    ("/v1/predict", '{"statements": [{"id": ' + HUGE + ', "text": "a"}]}', "statements.0.id"),
    ("/v1/predict", "-" + HUGE, "body"),
    ("/v1/model/reload", '{"version": ' + HUGE + "}", "version"),
]


@pytest.mark.parametrize("path, body, field", HUGE_INTEGERS)
def test_an_integer_too_long_to_read_is_a_400_naming_its_field(client, path, body, field):
    response = post(client, path, body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_json" and error["field"] == field
    assert "5000 digits" in error["message"] and "4300" in error["message"]


DUPLICATES = [
    ('{"text": "a", "text": "b"}', "text"),
    ('{"statements": [{"text": "a"}, {"id": 1, "text": "b", "id": 2}]}', "statements.1.id"),
    ('{"text": "a", "explain": true, "x": {"y": [{"z": 1, "z": 1}]}}', "x.y.0.z"),
]


@pytest.mark.parametrize("body, field", DUPLICATES)
def test_duplicate_keys_are_refused_at_any_depth(client, body, field):
    response = post(client, "/v1/predict", body)
    assert response.status_code == 400
    error = error_of(response)
    key = field.rsplit(".", 1)[-1]
    assert error == {"code": "invalid_json", "field": field,
                     "message": f"duplicate key '{key}' in the JSON object"}  # fmt: skip


def test_same_key_in_different_objects_is_fine(client):
    body = '{"statements": [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}]}'
    assert post(client, "/v1/predict", body).status_code == 200


MESSAGES = [
    ('{"text": ""}', "text", "'text': string should have at least 1 character"),
    ('{"text": " "}', "text", "'text': must contain at least one letter: a text of digits, "
     "punctuation, white space or invisible characters only is not a statement"),
    ('{"text": 7}', "text", "'text': input should be a valid string"),
    ('{"text": null}', "text", "'text' must not be null; leave it out instead"),
    ('{"statements": [{"id": 1.5, "text": "a"}]}', "statements.0.id",
     "'statements.0.id' must be a string or an integer, not a fractional number"),
    ('{"statements": [{"id": true, "text": "a"}]}', "statements.0.id",
     "'statements.0.id' must be a string or an integer, not true or false"),
    ('{"statements": [{"id": "' + "i" * 300 + '", "text": "a"}]}', "statements.0.id",
     "'statements.0.id': string should have at most 256 characters"),
    ('{"statements": []}', "statements", "'statements': list should have at least 1 item, not 0"),
    ('{"statements": [' + ", ".join(['{"text": "a"}'] * 6) + "]}", "statements",
     "'statements': list should have at most 5 items, not 6"),
    ('{"statements": [5]}', "statements.0", "'statements.0': input should be a JSON object"),
    ('{"statements": [{}]}', "statements.0.text", "'statements.0.text' is required"),
    ('{"statements": [{"text": ""}]}', "statements.0.text",
     "'statements.0.text': string should have at least 1 character"),
    ('{"text": "a", "top_k": "3"}', "top_k", "'top_k': input should be a valid integer"),
    ('{}', "body", "give exactly one of 'text' or 'statements'"),
]  # fmt: skip


@pytest.mark.parametrize("body, field, message", MESSAGES)
def test_each_validation_error_is_one_plain_sentence(client, body, field, message):
    response = post(client, "/v1/predict", body)
    assert response.status_code == 422
    assert error_of(response) == {"code": "validation_error", "field": field, "message": message}


def test_no_pydantic_internals_in_any_message(client):
    bodies = [body for body, _, _ in MESSAGES] + [
        '{"statements": [{"id": [1], "text": 2}]}', '{"statements": {"text": "a"}}',
        '{"text": "a", "top_k": 2.5}', '{"statements": [{"text": null}]}',
    ]  # fmt: skip
    for body in bodies:
        error = error_of(post(client, "/v1/predict", body))
        for internal in ("more problem", "constrained-str", "function-after", "list[",
                         "Value error", "after validation", "StatementIn", "none"):  # fmt: skip
            assert internal not in error["message"] + str(error["field"]), (body, error)


def test_the_request_id_is_any_string_and_echoed_only_when_safe(client):
    spec = client.get("/openapi.json").get_json()
    [parameter] = spec["paths"]["/v1/predict"]["post"]["parameters"]
    assert parameter["name"] == "X-Request-ID" and parameter["schema"] == {"type": "string"}
    header = spec["components"]["headers"]["RequestId"]["schema"]
    assert header == {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$"}
    for given, echoed in [("a" * 128, True), ("a" * 129, False), ("a b", False), ("", False)]:
        answer = client.get("/healthz", headers={"X-Request-ID": given})
        assert answer.status_code == 200
        assert (answer.headers["X-Request-ID"] == given) is echoed
        assert len(answer.headers["X-Request-ID"]) == 128 if echoed else 32


def test_reload_documents_both_401_and_404(client):
    operation = client.get("/openapi.json").get_json()["paths"]["/v1/model/reload"]["post"]
    responses = operation["responses"]
    assert "configured" in responses["401"]["description"]
    assert "no admin token" in responses["404"]["description"]
    assert "every request gets 404" in operation["description"]
