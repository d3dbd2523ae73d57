"""POST /v1/analyze: an article in, its sentences and who supports whom out; through
the test client and through real gunicorn."""

from __future__ import annotations

import pytest
import requests

from config import Settings
from service import create_app
from tests.helpers import ROOT, read_jsonl
from tests.service.server import gunicorn_server

ARTICLE = read_jsonl(ROOT / "tests/fixtures/articles.jsonl")[0]["text"]


@pytest.fixture()
def client(full_models):
    return create_app(Settings(models_dir=full_models, max_article_chars=5000)).test_client()


def test_an_article_comes_back_as_sentences_and_a_summary(client):
    response = client.post("/v1/analyze", json={"text": ARTICLE, "date": "2025-03-14",
                                                "source": "team"})  # fmt: skip
    assert response.status_code == 200
    body = response.get_json()
    assert (body["date"], body["source"]) == ("2025-03-14", "team")
    sentences = body["sentences"]
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    assert all(ARTICLE[s["start"] : s["end"]] == s["text"] for s in sentences)
    first = sentences[0]
    assert first["relevant"] and first["prediction"]["label"] == "lethal"
    assert first["prediction"]["actor"]["code"] == "LVA"
    assert first["prediction"]["recipient"] == {"code": "UKR", "name": "Ukraine",
                                                "probability": pytest.approx(
                                                    first["prediction"]["recipient"]["probability"]
                                                ), "implied": False}  # fmt: skip
    assert all(s["prediction"] is None for s in sentences if not s["relevant"])
    rows = {(r["actor"]["code"], r["recipient"]["code"]): r for r in body["summary"]
            if r["actor"] and r["recipient"]}  # fmt: skip
    assert rows["LVA", "UKR"]["label"] == "lethal" and 0 in rows["LVA", "UKR"]["sentences"]


def test_a_prediction_carries_relevance_actor_and_recipient(client):
    [prediction] = client.post(
        "/v1/predict", json={"text": "Seoul said it would send helmets to Ukraine."}
    ).get_json()["predictions"]
    assert prediction["relevance"] > 0.5
    assert prediction["actor"]["code"] == "KOR" and prediction["actor"]["name"] == "South Korea"
    assert prediction["recipient"]["code"] == "UKR"


def test_a_batch_answers_only_the_fields_asked_for(client):
    statements = [{"id": 1, "text": "Seoul said it would send helmets to Ukraine."},
                  {"id": "b", "text": "Kyiv urged Seoul to send artillery shells."}]  # fmt: skip
    full = client.post("/v1/predict", json={"statements": statements}).get_json()
    limited = client.post(
        "/v1/predict", json={"statements": statements, "fields": ["probabilities", "label"]}
    ).get_json()
    for whole, part in zip(full["predictions"], limited["predictions"]):
        assert list(part) == ["id", "label", "probabilities"]
        assert part == {k: whole[k] for k in part}
    assert limited["predictions"][1]["label"] == "neutral"  # the request, read with its parties


@pytest.mark.parametrize(
    "body, status, field",
    [({"text": "x" * 5001}, 422, "text"), ({"text": "42 %"}, 422, "text"),
     ({"text": "A b.", "date": "14 March"}, 422, "date"), ({"text": "A b.", "extra": 1}, 422,
      "extra"), ({}, 422, "text")],
)  # fmt: skip
def test_bad_articles_get_a_json_4xx(client, body, status, field):
    response = client.post("/v1/analyze", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["field"] == field and error["message"]


def test_analyze_through_gunicorn(full_models, tmp_path):
    with gunicorn_server(full_models, tmp_path / "gunicorn.log",
                         STANCEMETER_MAX_ARTICLE_CHARS="5000") as server:  # fmt: skip
        ok = requests.post(server.url + "/v1/analyze", json={"text": ARTICLE}, timeout=30)
        assert ok.status_code == 200 and ok.json()["summary"]
        too_long = requests.post(server.url + "/v1/analyze", json={"text": "war " * 2000},
                                 timeout=30)  # fmt: skip
        assert too_long.status_code == 422
        assert too_long.json()["error"]["field"] == "text"
        assert "5000" in too_long.json()["error"]["message"]
