"""GET /tracker and /tracker/summary.csv: the tracker report `make track` wrote, through
the test client and through the real gunicorn in Chromium, linked from the page."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import requests
from playwright.sync_api import expect

from service import create_app
from tests.service.server import gunicorn_server
from tracker.job import run_job
from tracker.synthetic import generate


def test_no_report_yet_is_a_json_404_that_says_how_to_write_one(settings, tmp_path):
    client = create_app(replace(settings, tracker_dir=tmp_path / "none")).test_client()
    for path in ("/tracker", "/tracker/summary.csv"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json
        error = response.get_json()["error"]
        assert error["code"] == "not_found" and "make track IN=" in error["message"]
    assert client.head("/tracker").status_code == 404


def test_the_report_and_its_summary_are_served(settings, tmp_path):
    (tmp_path / "report.html").write_text("<!doctype html><p>tracker report</p>")
    (tmp_path / "summary.csv").write_text("recipient,actor\nUKR,DEU\n")
    client = create_app(replace(settings, tracker_dir=tmp_path)).test_client()
    page = client.get("/tracker")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "tracker report" in page.get_data(as_text=True)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    summary = client.get("/tracker/summary.csv")
    assert summary.mimetype == "text/csv" and summary.get_data(as_text=True).startswith("recipient")
    assert "attachment" in summary.headers["Content-Disposition"]


@pytest.fixture(scope="module")
def tracked(tmp_path_factory, full_model, full_models):
    """A real tracker report of a synthetic archive, and gunicorn serving it."""
    archive = tmp_path_factory.mktemp("tracker-archive")
    expected = generate(full_model, archive, months=6, seed=11)
    out = tmp_path_factory.mktemp("tracker-out")
    run_job(archive, out, full_models / "current", "sync", progress=False)
    log = tmp_path_factory.mktemp("tracker-log") / "gunicorn.log"
    with gunicorn_server(full_models, log, STANCEMETER_TRACKER_DIR=str(out)) as server:
        yield server, expected


@pytest.mark.slow
def test_gunicorn_serves_the_report_and_the_page_links_to_it(tracked, browser):
    server, expected = tracked
    answer = requests.get(server.url + "/tracker", timeout=10)
    assert answer.status_code == 200
    html = answer.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the report loads nothing"
    for change in expected["change_points"]:
        assert f"in {change['month']}" in html
    csv = requests.get(server.url + "/tracker/summary.csv", timeout=10)
    assert csv.status_code == 200 and csv.text.startswith("recipient,recipient_name,actor")
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
    page.goto(server.url + "/")
    link = page.locator("#tracker-link a")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_have_text("Who supports whom, month by month")
    expect(page.locator("#changes + table tr")).to_have_count(1 + len(expected["change_points"]))
    images = page.locator("img")
    assert images.count() >= 4
    widths = images.evaluate_all("(all) => all.map((i) => i.naturalWidth)")
    assert all(w > 100 for w in widths), widths
    assert outside == [], f"requests outside the service: {outside}"
    context.close()


@pytest.mark.slow
def test_the_page_has_no_tracker_link_without_a_report(browser, models, tmp_path):
    with gunicorn_server(models, tmp_path / "g.log",
                         STANCEMETER_TRACKER_DIR=str(tmp_path / "none")) as server:  # fmt: skip
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/")
        expect(page.locator("#reports")).not_to_contain_text("loading")
        page.wait_for_load_state("networkidle")
        expect(page.locator("#tracker-link")).to_be_hidden()
        context.close()
