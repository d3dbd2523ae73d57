"""The work one request may ask for (issue 17 item 5) and the answers on text the model
cannot read (item 6), through the test client; test_gunicorn_limits.py repeats the
heavy cases against gunicorn."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service import create_app


@pytest.fixture()
def limited(settings):
    """200 characters a statement, 5 a batch; 600 characters a request, 300 explained,
    and 12 explanation terms."""
    return create_app(
        replace(settings, max_request_chars=600, max_explain_chars=300, max_explain_terms=12)
    ).test_client()


def statements(count: int, length: int) -> dict:
    text = ("Oslo sent tents to Gaza. " * 20)[:length]
    return {"statements": [{"id": i, "text": text} for i in range(count)]}


def error_of(response) -> dict:
    assert "Traceback" not in response.get_data(as_text=True)
    return response.get_json()["error"]


def test_the_characters_of_one_request_are_bounded(limited):
    assert limited.post("/v1/predict", json=statements(3, 200)).status_code == 200  # 600: at it
    response = limited.post("/v1/predict", json=statements(4, 200))
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "request_too_large" and error["field"] == "statements"
    assert "800 characters" in error["message"] and "600" in error["message"]
    assert "STANCEMETER_MAX_REQUEST_CHARS" in error["message"]


def test_an_explained_request_has_its_own_lower_bound(limited):
    body = {**statements(2, 150), "explain": True, "top_k": 5}
    assert limited.post("/v1/predict", json=body).status_code == 200  # 300 characters
    body = {**statements(2, 151), "explain": True, "top_k": 5}
    response = limited.post("/v1/predict", json=body)
    assert response.status_code == 413
    assert "STANCEMETER_MAX_EXPLAIN_CHARS" in error_of(response)["message"]
    unexplained = {**statements(2, 151), "explain": False}
    assert limited.post("/v1/predict", json=unexplained).status_code == 200


def test_statements_times_top_k_is_bounded_when_explaining(limited):
    ok = {**statements(3, 20), "explain": True, "top_k": 4}  # 12 terms
    assert limited.post("/v1/predict", json=ok).status_code == 200
    response = limited.post("/v1/predict", json={**ok, "top_k": 5})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "too_many_explanation_terms" and error["field"] == "top_k"
    assert "15 terms" in error["message"] and "12" in error["message"]
    assert limited.post("/v1/predict", json={**ok, "top_k": 5, "explain": False}).status_code == 200


def test_the_limits_are_in_the_openapi_document(limited):
    operation = limited.get("/openapi.json").get_json()["paths"]["/v1/predict"]["post"]
    assert "600 characters" in operation["description"]
    assert "300 when explaining" in operation["description"]
    assert "request_too_large" in operation["responses"]["413"]["description"]
    assert "too_many_explanation_terms" in operation["responses"]["422"]["description"]


@pytest.mark.parametrize("text", ["42", "[1,2]", "…", "\u200b\u200b", "-- 12 %"])
def test_text_without_letters_is_a_422(client, text):
    response = client.post("/v1/predict", json={"text": text})
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == "text" and "at least one letter" in error["message"]
    batch = client.post("/v1/predict", json={"statements": [{"text": "Oslo sent tents."},
                                                            {"text": text}]})  # fmt: skip
    assert batch.status_code == 422 and error_of(batch)["field"] == "statements.1.text"


def test_other_languages_and_nonsense_come_back_flagged(client):
    body = {"statements": [{"text": "Deutschland liefert Panzer an die Ukraine."},
                           {"text": "Германия поставит танки Украине."},
                           {"text": "zzqx blorp frumious"},
                           {"text": "Oslo sent tents and field hospitals to Gaza."}]}  # fmt: skip
    german, russian, nonsense, english = client.post("/v1/predict", json=body).get_json()[
        "predictions"
    ]
    assert (german["review"], german["reason"], german["language"]) == (True, "not_english", "de")
    assert (russian["reason"], russian["language"]) == ("not_english", "ru")
    assert (nonsense["review"], nonsense["reason"], nonsense["language"]) == (
        True, "unknown_words", None,
    )  # fmt: skip
    assert english["reason"] in (None, "low_confidence") and english["language"] is None
