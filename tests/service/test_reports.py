"""GET /v1/reports and /reports/<name>: every report of the served model, nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service import create_app
from tests.helpers import write_report


@pytest.fixture()
def reports_client(settings, tmp_path):
    reports = tmp_path / "reports"
    app = create_app(replace(settings, reports_dir=reports))
    version = app.extensions["stancemeter"]["store"].model.version
    write_report(reports / version / "stress", rows=478, macro_f1=0.93)
    write_report(reports / version / "heldout", rows=2013, macro_f1=0.846)
    (reports / version / "broken").mkdir()  # no report.html: not listed
    (reports / version / "broken" / "metrics.json").write_text("{}")
    nometrics = write_report(reports / version / "real_dev", rows=1, macro_f1=0.5)
    (nometrics / "metrics.json").write_text("not json")
    write_report(reports / "another-version" / "elsewhere", rows=1, macro_f1=0.1)
    return app.test_client(), version


def test_the_reports_of_the_served_model_are_listed_held_out_first(reports_client):
    client, version = reports_client
    body = client.get("/v1/reports").get_json()
    assert body["model"] == version
    assert body["reports"] == [
        {"name": "heldout", "url": "/reports/heldout", "rows": 2013, "macro_f1": 0.846},
        {"name": "real_dev", "url": "/reports/real_dev", "rows": None, "macro_f1": None},
        {"name": "stress", "url": "/reports/stress", "rows": 478, "macro_f1": 0.93},
    ]


def test_each_listed_report_is_served_and_report_is_the_held_out_one(reports_client):
    client, _ = reports_client
    for name in ("heldout", "real_dev", "stress"):
        response = client.get(f"/reports/{name}")
        assert response.status_code == 200 and f"report {name}" in response.get_data(as_text=True)
        assert response.mimetype == "text/html"
    assert "report heldout" in client.get("/report").get_data(as_text=True)


@pytest.mark.parametrize(
    "name", ["broken", "elsewhere", "..", "%2e%2e", "a%2Fb", "x y", "heldout."]
)
def test_anything_else_is_a_json_404_that_says_how_to_write_it(reports_client, name):
    client, _ = reports_client
    response = client.get(f"/reports/{name}")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]["code"] == "not_found"


def test_no_reports_yet_is_an_empty_list(settings, tmp_path):
    client = create_app(replace(settings, reports_dir=tmp_path / "none")).test_client()
    assert client.get("/v1/reports").get_json()["reports"] == []
