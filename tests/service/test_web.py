"""The analysts' page, end to end: real gunicorn, real headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from classifier.artifact import save_artifact
from tests.helpers import CHECK_TEXTS, ROOT, write_report
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "test-artifacts"
LETHAL = "Germany will deliver Leopard tanks and artillery shells to Ukraine."
NEUTRAL = "Japan will not send weapons to Ukraine."


@pytest.fixture(scope="module")
def server(tmp_path_factory, trained_model):
    models = tmp_path_factory.mktemp("web-models")
    saved = save_artifact(trained_model.pipeline, {**trained_model.manifest, "scores":
                          {"heldout_macro_f1": 0.5}}, models, CHECK_TEXTS)  # fmt: skip
    reports = tmp_path_factory.mktemp("web-reports")
    write_report(reports / saved.name / "real_dev", rows=174, macro_f1=0.8123)
    log = tmp_path_factory.mktemp("web-log") / "gunicorn.log"
    with gunicorn_server(models, log, STANCEMETER_MAX_CHARS="300",
                         STANCEMETER_REPORTS_DIR=str(reports)) as running:  # fmt: skip
        yield running


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
    page.goto(server.url + "/")
    yield page
    assert outside == [], f"the page made requests outside the service: {outside}"
    context.close()


def test_classify_two_statements_and_see_why(page, server):
    expect(page.locator("#model-info")).to_contain_text("held-out macro-F1 0.500")
    page.locator("#input").fill(f"{LETHAL}\n{NEUTRAL}")
    page.locator("#input").press("Control+Enter")  # keyboard only
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).locator(".chip")).to_have_text("lethal")
    expect(cards.nth(1).locator(".chip")).to_have_text("neutral")
    toward = {t.strip().lower() for t in cards.nth(0).locator("mark.toward").all_inner_texts()}
    assert {"tanks", "shells", "artillery shells", "leopard tanks"} & toward, toward
    negation = " ".join(cards.nth(1).locator("mark.toward").all_inner_texts()).lower()
    assert "not" in negation or "weapons" in negation, negation
    mark = cards.nth(0).locator("mark.toward").first
    mark.hover()
    assert "toward lethal" in mark.get_attribute("title")
    assert float(mark.get_attribute("data-weight")) > 0
    assert page.locator(".probs").first.locator(".bar").count() == 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert re.fullmatch(r"stancemeter-\d{8}T\d{6}Z\.csv", download.value.suggested_filename)
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[0].startswith("id,text,label,level,confidence,review,p_opposed")
    assert ",lethal,4," in csv.splitlines()[1]
    with page.expect_download() as download:
        page.locator("#download-jsonl").click()
    assert len(Path(download.value.path()).read_text().splitlines()) == 2


def test_validation_errors_are_shown_in_plain_words(page):
    page.locator("#input").fill(f"{NEUTRAL}\n" + "word " * 80)
    page.locator("#classify").click()
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Line 2:")
    expect(error).to_contain_text("at most 300 characters")
    expect(page.locator(".card")).to_have_count(0)
    page.locator("#input").fill("")
    page.locator("#classify").click()
    expect(error).to_contain_text("Paste at least one statement")
    page.screenshot(path=str(ARTIFACTS / "web-error.png"))


def test_an_error_clears_the_results_of_the_previous_input(page):
    page.locator("#input").fill(NEUTRAL)
    page.locator("#classify").click()
    expect(page.locator(".card")).to_have_count(1)
    page.locator("#input").fill("word " * 80)
    page.locator("#classify").click()
    expect(page.locator("#error")).to_contain_text("at most 300 characters")
    expect(page.locator(".card")).to_have_count(0)
    assert page.locator("#download-csv").is_disabled()


def test_only_the_deciding_words_are_marked_unless_all_are_asked_for(page):
    long = ("The defence ministry said on Tuesday that Germany will deliver Leopard tanks, "
            "artillery shells and air-defence missiles to Ukraine before the winter.")  # fmt: skip
    page.locator("#input").fill(long)
    page.locator("#classify").click()
    expect(page.locator(".card")).to_have_count(1)
    marks = page.locator(".card mark")
    shown = marks.count()
    assert 1 <= shown <= 6  # at most 3 terms each way
    function_words = {"the", "to", "on", "that", "said", "and"}
    assert not {m.strip().lower() for m in marks.all_inner_texts()} & function_words
    page.locator("#all-terms").check()
    expect(marks).not_to_have_count(shown)  # the page asks for 8 each way
    assert marks.count() > shown
    page.locator("#all-terms").uncheck()
    expect(marks).to_have_count(shown)


def test_a_file_can_be_loaded_csv_jsonl_or_text(page, tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text(f'id,text\n1,"{LETHAL}"\n2,"Japan said, ""we will not send weapons."""\n')
    page.locator("#upload").set_input_files(str(csv))
    expect(page.locator("#status")).to_contain_text("2 statements loaded from in.csv")
    assert page.locator("#input").input_value().splitlines() == [
        LETHAL,
        'Japan said, "we will not send weapons."',
    ]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"text": NEUTRAL, "id": 3}) + "\n\n")
    page.locator("#upload").set_input_files(str(jsonl))
    expect(page.locator("#status")).to_contain_text("1 statement loaded")
    assert page.locator("#input").input_value() == NEUTRAL
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": NEUTRAL}) + "\n{oops\n")
    page.locator("#upload").set_input_files(str(bad))
    expect(page.locator("#error")).to_contain_text("bad.jsonl: line 2 is not valid JSON")
    nocolumn = tmp_path / "no.csv"
    nocolumn.write_text("statement\nx\n")
    page.locator("#upload").set_input_files(str(nocolumn))
    expect(page.locator("#error")).to_contain_text('needs a header row with a "text" column')
    text = tmp_path / "in.txt"
    text.write_text(f"{LETHAL}\n\n{NEUTRAL}\n")
    page.locator("#upload").set_input_files(str(text))
    page.locator("#classify").click()
    expect(page.locator(".card")).to_have_count(2)


def test_the_csv_export_defuses_formulas(page):
    formula = '=HYPERLINK("http://x.invalid","Germany will deliver tanks to Ukraine")'
    page.locator("#input").fill(
        f"{formula}\n+Japan will not send weapons to Ukraine.\n@Oslo sent aid."
    )
    page.locator("#classify").click()
    expect(page.locator(".card")).to_have_count(3)
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    rows = Path(download.value.path()).read_text().splitlines()[1:]
    texts = [row.split(",", 1)[1] for row in rows]
    assert texts[0].startswith('"\'=HYPERLINK(""http://x.invalid""')
    assert texts[1].startswith("'+Japan") and texts[2].startswith("'@Oslo")


def test_service_down_is_reported(page, server, browser):
    page.route("**/v1/predict", lambda route: route.abort())
    page.locator("#input").fill(NEUTRAL)
    page.locator("#classify").click()
    expect(page.locator("#error")).to_contain_text("could not be reached")


def test_narrow_window(browser, server):
    context = browser.new_context(viewport={"width": 380, "height": 800})
    page = context.new_page()
    page.goto(server.url + "/")
    page.locator("#input").fill(LETHAL)
    page.locator("#classify").click()
    expect(page.locator(".card")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_report_link_says_how_to_make_one(server):
    import requests

    icon = requests.get(server.url + "/favicon.ico", timeout=10)
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")

    response = requests.get(server.url + "/report", timeout=10)
    assert response.status_code == 404 and "make evaluate" in response.json()["error"]["message"]


def test_every_report_of_the_model_is_served_and_listed_on_the_page(page, server):
    import requests

    served = requests.get(server.url + "/reports/real_dev", timeout=10)
    assert served.status_code == 200 and "<h1>report real_dev</h1>" in served.text
    assert "default-src 'self'" in served.headers["Content-Security-Policy"]
    missing = requests.get(server.url + "/reports/stress", timeout=10)
    assert missing.status_code == 404 and "DATA=" in missing.json()["error"]["message"]
    link = page.locator("#reports a")
    expect(link).to_have_count(1)
    expect(link).to_have_text("real_dev (macro-F1 0.812)")
    link.click()
    expect(page.locator("h1")).to_have_text("report real_dev")


def test_a_statement_in_another_language_is_marked_for_checking(page):
    page.locator("#input").fill(f"Deutschland liefert Panzer an die Ukraine.\n{NEUTRAL}")
    page.locator("#classify").click()
    expect(page.locator(".card")).to_have_count(2)
    flag = page.locator(".card").first.locator(".review")
    expect(flag).to_have_attribute("data-reason", "not_english")
    expect(flag).to_contain_text("German (not English)")
    page.locator("#input").fill("42")
    page.locator("#classify").click()
    expect(page.locator("#error")).to_contain_text("at least one letter")
