"""Corrections on the page, end to end: real gunicorn, real headless Chromium, the
corrections read back from the database the server wrote."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from classifier.artifact import save_artifact
from store import CorrectionStore
from tests.helpers import CHECK_TEXTS, ROOT
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "page-analyst-token"
LETHAL = "Germany will deliver Leopard tanks and artillery shells to Ukraine."
NEUTRAL = "Japan will not send weapons to Ukraine."
UNSURE = [
    "Officials in Rome discussed the matter with their partners.",
    "The envoy met his counterpart and spoke about the region.",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('web-db') / 'corrections.db'}"


@pytest.fixture(scope="module")
def server(tmp_path_factory, trained_model, database):
    models = tmp_path_factory.mktemp("review-models")
    save_artifact(trained_model.pipeline, trained_model.manifest, models, CHECK_TEXTS)
    log = tmp_path_factory.mktemp("review-log") / "gunicorn.log"
    with gunicorn_server(
        models,
        log,
        STANCEMETER_DATABASE_URL=database,
        STANCEMETER_LOG_PREDICTIONS="1",
        STANCEMETER_ANNOTATOR_TOKENS=f"dana:{TOKEN}",
    ) as running:
        yield running


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/")
    yield page
    context.close()


def stored(database):
    store = CorrectionStore(database)
    try:
        return store.list(limit=500)[1]
    finally:
        store.close()


def test_correct_a_result_with_the_token_asked_once(page, database):
    before = len(stored(database))
    page.locator("#input").fill(f"{LETHAL}\n{NEUTRAL}")
    page.locator("#input").press("Control+Enter")
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    first = cards.nth(0)
    first.locator(".correct summary").click()
    first.locator(".note").fill("tanks are weapons")
    first.locator('.level-button[data-label="non_lethal"]').click()
    dialog = page.locator("#token-dialog")
    expect(dialog).to_be_visible()
    page.locator("#token-input").fill("not-the-token")
    page.locator("#token-input").press("Enter")
    expect(page.locator("#token-message")).to_contain_text("refused")  # asked again
    page.locator("#token-input").fill(TOKEN)
    page.locator("#token-input").press("Enter")
    expect(first.locator(".saved")).to_contain_text("Saved as non_lethal")
    expect(first.locator('.level-button[data-label="non_lethal"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    second = cards.nth(1)
    second.locator(".correct summary").click()
    second.locator('.level-button[data-label="neutral"]').click()  # no second prompt
    expect(second.locator(".saved")).to_contain_text("Saved as neutral")
    assert page.evaluate("sessionStorage.getItem('stancemeter.annotatorToken')") == TOKEN
    rows = stored(database)[: len(stored(database)) - before]
    by_text = {row["text"]: row for row in rows}
    assert by_text[LETHAL]["label"] == "non_lethal" and by_text[LETHAL]["source"] == "page"
    assert by_text[LETHAL]["note"] == "tanks are weapons" and by_text[LETHAL]["annotator"] == "dana"
    assert by_text[NEUTRAL]["predicted_label"] == "neutral"  # a confirmation
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-correct.png"), full_page=True)


def test_work_through_the_review_queue_with_the_keyboard(page, database):
    page.evaluate(f"sessionStorage.setItem('stancemeter.annotatorToken', '{TOKEN}')")
    page.locator("#input").fill("\n".join(UNSURE))
    page.locator("#input").press("Control+Enter")  # logged: the queue's source
    expect(page.locator(".card")).to_have_count(2)
    page.locator('[role="tab"][data-tab="review"]').click()
    items = page.locator(".queue-item")
    expect(items.first).to_be_visible()
    count = items.count()
    assert count >= 2
    confidences = [
        float(t.rstrip("%")) for t in page.locator(".queue-confidence").all_inner_texts()
    ]
    assert confidences == sorted(confidences)  # least certain first
    queue = page.locator("#queue")
    expect(queue).to_be_focused()
    first_text = items.nth(0).locator(".queue-text").inner_text()
    queue.press("3")  # diplomatic, then on to the next
    expect(items.nth(0)).to_contain_text("→ diplomatic")
    expect(items.nth(1)).to_have_attribute("aria-current", "true")
    second_text = items.nth(1).locator(".queue-text").inner_text()
    second_label = items.nth(1).locator(".chip").inner_text()
    queue.press("Enter")  # accept the model's label
    expect(items.nth(1)).to_contain_text(f"→ {second_label}")
    queue.press("ArrowUp")
    queue.press("ArrowUp")
    expect(items.nth(0)).to_have_attribute("aria-current", "true")
    queue.press("1")  # change of mind: opposed (the latest correction wins in training)
    expect(items.nth(0)).to_contain_text("→ opposed")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-review.png"), full_page=True)
    labels = [(r["text"], r["label"]) for r in stored(database)[:3]]
    assert labels == [
        (first_text, "opposed"),
        (second_text, second_label),
        (first_text, "diplomatic"),
    ]  # newest first
    page.locator("#review-reload").click()  # the corrected texts leave the queue
    expect(page.locator(".queue-item")).to_have_count(count - 2)
