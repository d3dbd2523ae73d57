"""The analysts' page in Article mode, end to end: real gunicorn (with the relevance
model and the actor ranker), real headless Chromium, POST /v1/analyze."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import ROOT
from tests.service.server import gunicorn_server

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "test-artifacts"

# Invented wire copy: a Latvian minister in Seoul, Seoul's answer, two itinerary lines.
ARTICLE = (
    "Latvia's foreign minister, visiting Seoul on Monday, urged South Korea to join a "
    "coalition of countries that send drones to Ukraine, arguing that Korean know-how could "
    "help Kyiv's troops hold their positions.\n\n"
    "Latvia will keep sending drones to Ukraine whatever Seoul decides, Minister Karlis "
    "Berzins told journalists after talks with his Korean counterpart.\n\n"
    "Seoul's Foreign Ministry replied in a short statement that its position on support for "
    "Ukraine remains unchanged. South Korea has so far limited its support to humanitarian and "
    "financial aid and has ruled out shipping weapons to a country at war.\n\n"
    "Berzins, who studied law in Riga and later worked as a banker in Frankfurt, arrived from "
    "Tokyo on Sunday. His itinerary also includes a stop in Manila and a lecture at a "
    "university there before he flies home at the weekend."
)
ITINERARY = "His itinerary also includes a stop in Manila"
# Markup, a flag emoji (two code points, four UTF-16 units: the offsets after it differ
# between Python and JavaScript) and a German sentence the model cannot read.
MARKUP = (
    "Officials in <b>Riga</b> said \U0001f1f1\U0001f1fb on Friday that Latvia will send more "
    "drones to Ukraine. The <script>window.injected = 1</script> tag is shown & not run."
    '<img src="x" onerror="window.injected = 2">\n\n'
    "Deutschland liefert weitere Panzer und Munition an die Ukraine, sagte der Minister. "
    "Rain is expected in Riga."
)
NO_STANCE = (
    "The Riga city council approved a new tram line on Tuesday.\n\n"
    "Building work is due to start in the spring."
)
LETHAL = "Germany will deliver Leopard tanks and artillery shells to Ukraine."


@pytest.fixture(scope="module")
def server(tmp_path_factory, full_models):
    log = tmp_path_factory.mktemp("web-article-log") / "gunicorn.log"
    with gunicorn_server(full_models, log, STANCEMETER_MAX_ARTICLE_CHARS="6000") as running:
        yield running


def _open(browser, server, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
    page.goto(server.url + "/")
    return context, page, outside


@pytest.fixture()
def page(browser, server):
    context, page, outside = _open(browser, server, {"width": 1100, "height": 900})
    yield page
    assert outside == [], f"the page made requests outside the service: {outside}"
    context.close()


def analyze(page, text):
    page.get_by_role("radio", name="Article").check()
    expect(page.locator("#classify")).to_have_text("Analyze")
    page.locator("#input").fill(text)
    page.locator("#classify").click()


def test_an_article_gets_a_who_supports_whom_table_and_marked_sentences(page):
    analyze(page, ARTICLE)
    row = page.locator('#summary tr[data-actor="LVA"][data-recipient="UKR"]')
    expect(row).to_have_count(1)
    expect(row.locator("td.actor")).to_contain_text("Latvia")
    expect(row.locator("td.recipient")).to_contain_text("Ukraine")
    chip = row.locator(".chip")
    expect(chip).to_have_text("lethal")
    expect(chip).to_have_class(re.compile(r"\blevel-4\b"))
    assert chip.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(142, 58, 166)"

    # the table comes before the article; the article keeps its four paragraphs
    assert page.evaluate(
        "document.querySelector('#summary').compareDocumentPosition("
        "document.querySelector('#article-text')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    expect(page.locator("#article-text p")).to_have_count(4)
    sentences = page.locator("#article-text .sentence")
    stance = page.locator('#article-text .sentence[data-relevant="true"]')
    dimmed = page.locator('#article-text .sentence[data-relevant="false"]')
    assert stance.count() >= 3 and dimmed.count() >= 1
    assert stance.count() + dimmed.count() == sentences.count()
    status = page.locator("#status")
    counts = f"{sentences.count()} sentences, {stance.count()} state a stance"
    expect(status).to_contain_text(counts)
    assert re.search(r"\d\d:\d\d:\d\d", status.inner_text())

    first = page.locator("#sentence-0")
    expect(first).to_have_attribute("data-relevant", "true")
    expect(first).to_have_attribute("data-level", "4")
    assert "lethal" in first.get_attribute("title")
    assert "Latvia -> Ukraine" in first.get_attribute("title")
    assert first.evaluate("el => getComputedStyle(el).borderBottomColor") == "rgb(142, 58, 166)"
    assert first.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    # the whole article is there, sentence for sentence, in order
    assert " ".join(sentences.all_inner_texts()).split() == ARTICLE.split()

    itinerary = dimmed.filter(has_text=ITINERARY)
    expect(itinerary).to_have_count(1)
    grey = itinerary.evaluate("el => getComputedStyle(el).color")
    assert grey != first.evaluate("el => getComputedStyle(el).color")
    assert itinerary.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-mode.png"), full_page=True)

    # a short window, scrolled to the top: the sentence is out of sight until its link is used
    page.set_viewport_size({"width": 1100, "height": 420})
    page.evaluate("window.scrollTo(0, 0)")
    link = row.locator("button.goto").last
    target = page.locator(f"#sentence-{link.get_attribute('data-sentence')}")
    expect(target).not_to_be_in_viewport()
    link.dispatch_event("click")  # no scrolling by Playwright first
    expect(target).to_have_class(re.compile(r"\bfocused\b"))
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    assert page.locator(".sentence.focused").count() == 1


def test_html_in_an_article_is_text_and_offsets_survive_an_emoji(page):
    analyze(page, MARKUP)
    expect(page.locator("#article-text .sentence").first).to_be_visible()
    text = page.locator("#article-text")
    assert text.locator("b, script, img").count() == 0
    expect(text).to_contain_text("Officials in <b>Riga</b> said")
    expect(text).to_contain_text("<script>window.injected = 1</script>")
    assert page.evaluate("window.injected") is None
    first = page.locator("#sentence-0")
    assert first.inner_text().startswith("Officials in <b>Riga</b>")
    assert first.inner_text().endswith("drones to Ukraine.")
    # after the emoji, each sentence still starts where it should
    assert page.locator("#sentence-1").inner_text().startswith("The <script>")
    last = page.locator("#article-text .sentence").last
    expect(last).to_have_text("Rain is expected in Riga.")
    german = page.locator("#article-text .sentence", has_text="Deutschland liefert")
    expect(german).to_have_attribute("data-review", "true")
    check = page.locator("#article-text .check")  # the "check this" marker, as on a card
    expect(check).to_have_count(1)
    expect(check).to_have_attribute("data-reason", "not_english")
    assert "German (not English)" in check.get_attribute("title")
    assert "Check this" in german.get_attribute("title")


def test_an_article_without_a_stance_says_so(page):
    analyze(page, NO_STANCE)
    expect(page.locator("#no-stance")).to_have_text("No support stance found in this article.")
    expect(page.locator("#summary")).to_have_count(0)
    expect(page.locator('#article-text .sentence[data-relevant="false"]')).to_have_count(2)
    expect(page.locator("#status")).to_contain_text("2 sentences, 0 state a stance")


def test_an_over_long_article_is_refused_naming_the_limit(page):
    analyze(page, ARTICLE)
    expect(page.locator("#summary")).to_be_visible()
    page.locator("#input").fill((ARTICLE + "\n\n") * 8)
    page.locator("#classify").click()
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("at most 6,000 characters")
    expect(page.locator("#summary")).to_have_count(0)  # old results are cleared
    expect(page.locator("#article-text")).to_have_count(0)
    expect(page.locator("#status")).to_have_text("")
    page.locator("#input").fill("   ")
    page.locator("#classify").click()
    expect(error).to_contain_text("Paste an article first")


def test_switching_back_to_statements_classifies_as_before(page):
    analyze(page, ARTICLE)
    expect(page.locator("#summary")).to_be_visible()
    expect(page.locator("#download-csv")).to_be_hidden()
    page.get_by_role("radio", name="Statements").check()
    expect(page.locator("#classify")).to_have_text("Classify")
    expect(page.locator("#article-results")).to_be_hidden()
    expect(page.locator("#input")).to_have_value("")  # each mode keeps its own text
    page.locator("#input").fill(LETHAL)
    page.locator("#input").press("Control+Enter")
    cards = page.locator(".card")
    expect(cards).to_have_count(1)
    expect(cards.first.locator(".chip")).to_have_text("lethal")
    expect(page.locator("#status")).to_contain_text("1 classified by model")
    assert page.locator("#download-csv").is_enabled()
    page.get_by_role("radio", name="Article").check()
    expect(page.locator("#input")).to_have_value(ARTICLE)
    expect(page.locator("#summary")).to_be_visible()
    expect(cards).to_be_hidden()


def test_service_down_is_reported_in_article_mode(page):
    page.route("**/v1/analyze", lambda route: route.abort())
    analyze(page, ARTICLE)
    expect(page.locator("#error")).to_contain_text("could not be reached")
    expect(page.locator("#classify")).to_be_enabled()


def test_article_mode_in_a_narrow_window(browser, server):
    context, page, outside = _open(browser, server, {"width": 380, "height": 800})
    analyze(page, ARTICLE)
    expect(page.locator("#summary")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert outside == []
    context.close()


def test_a_statement_card_says_who_supports_whom_and_exports_it(page):
    """Statements mode with the full model: each card names the actor and the recipient
    (an implied one marked so), a sentence that states no stance is marked, and the
    exports carry the codes."""
    page.locator("#input").fill(
        "Germany will deliver Leopard tanks to Kyiv, the defence ministry in Berlin said.\n"
        "Sweden will send Archer howitzers, the defence minister said.\n"
        "She wrapped up her three-day visit on Tuesday with a dinner at the embassy."
    )
    page.locator("#classify").click()
    cards = page.locator(".card")
    expect(cards).to_have_count(3)
    first = cards.nth(0).locator(".parties")
    expect(first).to_have_attribute("data-actor", "DEU")
    expect(first).to_have_attribute("data-recipient", "UKR")
    expect(first.locator(".actor")).to_have_text("Germany")
    expect(first.locator(".recipient")).to_have_text("Ukraine")
    expect(cards.nth(1).locator(".parties .recipient")).to_have_text("Ukraine (implied)")
    expect(cards.nth(2).locator(".parties .actor")).to_have_text("not named")
    expect(cards.nth(2).locator(".not-stance")).to_contain_text("May state no support stance")
    expect(cards.nth(0).locator(".not-stance")).to_have_count(0)
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    header, first_row, *_ = Path(download.value.path()).read_text().splitlines()
    columns = header.split(",")
    assert columns[-5:] == ["actor", "recipient", "recipient_implied", "relevance", "model"]
    assert ",DEU,UKR,false," in first_row
    with page.expect_download() as download:
        page.locator("#download-jsonl").click()
    second = json.loads(Path(download.value.path()).read_text().splitlines()[1])
    assert second["recipient"]["code"] == "UKR" and second["recipient"]["implied"] is True
