"""/metrics in one process (the Flask test client): names, labels, what is counted,
and who may scrape. The multiprocess sums over gunicorn's workers are in
test_metrics_gunicorn.py."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from classifier.artifact import SCORER_FILE
from classifier.labels import LABELS
from config import Settings
from service import create_app
from tests.helpers import TOKEN, retrain_into

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def scrape(client) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.content_type.startswith("text/plain; version=")
    assert answer.headers["Cache-Control"] == "no-store"
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.get_data(as_text=True))
            for s in family.samples}  # fmt: skip


def value(samples: dict, name: str, **labels: str) -> float:
    return sum(v for (n, series), v in samples.items()
               if n == name and set(labels.items()) <= set(series))  # fmt: skip


def test_every_metric_is_named_by_prometheus_rules_with_bounded_labels(client):
    client.post("/v1/predict", json={"text": "Oslo sent field hospitals to Gaza."})
    families = {f.name: f for f in text_string_to_metric_families(
        client.get("/metrics").get_data(as_text=True))}  # fmt: skip
    expected = {
        "stancemeter_http_requests": ("counter", {"endpoint", "method", "status"}),
        "stancemeter_http_request_duration_seconds": ("histogram", {"endpoint"}),
        "stancemeter_http_request_size_bytes": ("histogram", {"endpoint"}),
        "stancemeter_statements": ("counter", {"endpoint"}),
        "stancemeter_predictions": ("counter", {"label"}),
        "stancemeter_review_flags": ("counter", {"reason"}),
        "stancemeter_model_info": ("gauge", {"version"}),
        "stancemeter_model_reloads": ("counter", {"outcome"}),
    }
    for name, (kind, labels) in expected.items():
        assert families[name].type == kind, name
        for sample in families[name].samples:
            assert re.fullmatch(r"stancemeter_[a-z_]+", sample.name)
            assert set(sample.labels) - {"le"} <= labels, (name, sample.labels)
    buckets = {s.labels["le"] for s in families["stancemeter_http_request_duration_seconds"].samples
               if s.name.endswith("_bucket")}  # fmt: skip
    assert {"0.001", "0.0025", "0.01", "0.1", "1.0"} <= buckets  # resolves 1 ms to 1 s
    # every label of the scale has its series before it is first predicted
    assert {s.labels["label"] for s in families["stancemeter_predictions"].samples} == set(LABELS)


def test_requests_statements_labels_and_review_flags_are_counted(client):
    before = scrape(client)
    one = client.post("/v1/predict", json={"text": "Spain will send tanks to Ukraine."})
    batch = client.post("/v1/predict", json={"statements": [
        {"text": "Oslo sent field hospitals to Gaza."}, {"text": "zzqx blorp wibble"},
        {"text": "Japan will not send weapons."}]})  # fmt: skip
    assert one.status_code == batch.status_code == 200
    client.post("/v1/predict", data="{", content_type="application/json")  # 400
    after = scrape(client)
    predictions = [*one.get_json()["predictions"], *batch.get_json()["predictions"]]

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "stancemeter_http_requests_total"
    assert delta(requests, endpoint="/v1/predict", method="POST", status="200") == 2
    assert delta(requests, endpoint="/v1/predict", method="POST", status="400") == 1
    assert delta("stancemeter_http_request_duration_seconds_count", endpoint="/v1/predict") == 3
    assert delta("stancemeter_http_request_size_bytes_count", endpoint="/v1/predict") == 3
    assert delta("stancemeter_statements_total", endpoint="/v1/predict") == 4
    for label in LABELS:
        expected = sum(p["label"] == label for p in predictions)
        assert delta("stancemeter_predictions_total", label=label) == expected, label
    flagged = [p["reason"] for p in predictions if p["review"]]
    assert flagged  # the unknown words at least
    for reason in set(flagged):
        assert delta("stancemeter_review_flags_total", reason=reason) == flagged.count(reason)
    version = one.get_json()["model"]["version"]
    assert value(after, "stancemeter_model_info", version=version) == 1


def test_unknown_paths_and_methods_do_not_make_new_label_values(client):
    for path in ("/nope/1", "/nope/2", "/v1/predict/extra"):
        assert client.get(path).status_code == 404
    assert client.open("/healthz", method="BREW").status_code == 405
    samples = scrape(client)
    endpoints = {dict(series)["endpoint"] for (name, series) in samples
                 if name == "stancemeter_http_requests_total"}  # fmt: skip
    assert endpoints <= {"other", "/healthz", "/metrics"}
    assert value(samples, "stancemeter_http_requests_total", endpoint="other", status="404") == 3
    assert value(samples, "stancemeter_http_requests_total", endpoint="/healthz",
                 method="other", status="405") == 1  # fmt: skip


def test_reloads_are_counted_and_model_info_follows_the_model(client, models):
    first = client.get("/v1/model").get_json()["version"]
    broken = models / "broken-1"
    shutil.copytree(models / first, broken)
    (broken / SCORER_FILE).write_bytes(b"not a model")
    assert client.post("/v1/model/reload", headers=AUTH,
                       json={"version": "broken-1"}).status_code == 409  # fmt: skip
    second = retrain_into(models)
    assert client.post("/v1/model/reload", headers=AUTH).status_code == 200
    samples = scrape(client)
    assert value(samples, "stancemeter_model_reloads_total", outcome="failed") == 1
    assert value(samples, "stancemeter_model_reloads_total", outcome="ok") == 1
    info = {dict(series)["version"]: v for (name, series), v in samples.items()
            if name == "stancemeter_model_info"}  # fmt: skip
    assert info == {second: 1.0}


def test_a_metrics_token_is_required_when_set(settings):
    client = create_app(replace(settings, metrics_token="m-token")).test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic m-token"}):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "unauthorized"
    answer = client.get("/metrics", headers={"Authorization": "Bearer m-token"})
    assert answer.status_code == 200 and b"stancemeter_http_requests_total" in answer.data


def test_with_a_metrics_bind_the_main_address_does_not_answer_metrics(settings):
    client = create_app(replace(settings, metrics_bind="127.0.0.1:9")).test_client()
    answer = client.get("/metrics")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"


def test_metrics_is_not_in_the_openapi_document(client):
    assert "/metrics" not in client.get("/openapi.json").get_json()["paths"]


def test_metrics_off_removes_the_endpoint_and_the_counting(settings):
    client = create_app(replace(settings, metrics="off")).test_client()
    assert client.post("/v1/predict", json={"text": "Oslo sent tents."}).status_code == 200
    answer = client.get("/metrics")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"


def test_the_metrics_switch_takes_on_or_off_only():
    with pytest.raises(ValueError, match="STANCEMETER_METRICS='yes': must be on or off"):
        Settings.from_env({"STANCEMETER_METRICS": "yes"})
