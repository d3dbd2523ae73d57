"""Error answers through the real gunicorn server, over HTTP: integers too long to
read, duplicate keys, one-sentence messages, request ids, the reload endpoint with
and without an admin token, and the requests gunicorn refuses before the app sees them."""

from __future__ import annotations

import shutil

import pytest
import requests

from tests.helpers import TOKEN
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Content-Type": "application/json"}
HUGE = "9" * 5000


@pytest.fixture(scope="module")
def models_copy(tmp_path_factory, saved_model_dir):
    target = tmp_path_factory.mktemp("gunicorn-errors") / "models"
    shutil.copytree(saved_model_dir, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def url(models_copy, tmp_path_factory):
    log = tmp_path_factory.mktemp("gunicorn-errors-log") / "gunicorn.log"
    with gunicorn_server(models_copy, log, STANCEMETER_ADMIN_TOKEN=TOKEN) as server:
        yield server.url
    assert "Traceback" not in server.log()


def post(url: str, path: str, body: str, **headers: str) -> requests.Response:
    return requests.post(url + path, data=body.encode(), headers={**JSON, **headers}, timeout=10)


def error_of(response: requests.Response) -> dict:
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    return body["error"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/v1/predict", '{"text": "a", "top_k": ' + HUGE + "}", "top_k"),
        ("/v1/predict", '{"statements": [{"id": ' + HUGE + ', "text": "a"}]}', "statements.0.id"),
        ("/v1/predict", HUGE, "body"),
        ("/v1/model/reload", '{"version": ' + HUGE + "}", "version"),
    ],
)
def test_huge_integers_get_a_json_400(url, path, body, field):
    response = post(url, path, body, **AUTH)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_json" and error["field"] == field
    assert "5000 digits" in error["message"]


def test_duplicate_keys_get_a_json_400(url):
    response = post(url, "/v1/predict", '{"statements": [{"text": "a", "text": "b"}]}')
    assert response.status_code == 400
    assert error_of(response) == {"code": "invalid_json", "field": "statements.0.text",
                                  "message": "duplicate key 'text' in the JSON object"}  # fmt: skip


def test_validation_errors_are_one_sentence(url):
    response = post(url, "/v1/predict", '{"text": ""}')
    assert response.status_code == 422
    assert error_of(response) == {
        "code": "validation_error",
        "field": "text",
        "message": "'text': string should have at least 1 character",
    }
    response = post(url, "/v1/predict", '{"statements": [{"id": 2.5, "text": "a"}]}')
    assert error_of(response)["message"] == (
        "'statements.0.id' must be a string or an integer, not a fractional number"
    )


def test_an_unsafe_request_id_is_replaced_not_refused(url):
    for given in ("a" * 129, "a b", "ü"):
        answer = requests.get(url + "/healthz", headers={"X-Request-ID": given.encode()},
                              timeout=10)  # fmt: skip
        assert answer.status_code == 200
        assert answer.headers["X-Request-ID"] != given and len(answer.headers["X-Request-ID"]) == 32
    answer = requests.get(url + "/healthz", headers={"X-Request-ID": "a" * 128}, timeout=10)
    assert answer.headers["X-Request-ID"] == "a" * 128


def test_reload_with_a_token_configured_wants_it(url):
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = requests.post(url + "/v1/model/reload", headers=headers, timeout=10)
        assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


def test_reload_without_a_token_configured_is_404_whatever_is_sent(models_copy, tmp_path):
    with gunicorn_server(models_copy, tmp_path / "gunicorn.log") as server:
        for headers in ({}, AUTH, {"Authorization": "Bearer wrong"}):
            response = requests.post(server.url + "/v1/model/reload", headers=headers, timeout=10)
            assert response.status_code == 404 and error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "path, headers, status",
    [
        ("/healthz", {"X-Big": "a" * 20_000}, 431),  # a header line over 8190 bytes
        ("/healthz", {f"X-Many-{i}": "a" for i in range(120)}, 431),  # over 100 headers
        ("/healthz?" + "a" * 9000, {}, 414),  # a request line over 8190 bytes
    ],
)
def test_requests_gunicorn_refuses_get_its_html_page(url, path, headers, status):
    """The documented exception (README, HTTP API): gunicorn answers these itself, before
    the application sees the request, with a short HTML page and no request id."""
    response = requests.get(url + path, headers=headers, timeout=10)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html"
    assert response.headers["Connection"] == "close"
    assert "X-Request-ID" not in response.headers
    # and the server goes on answering in JSON
    assert requests.get(url + "/healthz", timeout=10).json() == {"status": "ok"}
