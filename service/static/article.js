// stancemeter's Article mode: one article through POST /v1/analyze, shown as a
// who-supports-whom table above the article with its stance sentences marked.
// Uses $, escapeHtml, showError (app.js) and reviewReason (review.js).
"use strict";

const MODES = {
  statements: {
    name: "Statements", hint: "(one per line; Ctrl+Enter to classify)", button: "Classify", rows: 6,
    placeholder: "Germany will send Leopard tanks to Ukraine.\nJapan will not send weapons to Ukraine.",
  },
  article: {
    name: "Article", hint: "(one article; paragraphs kept; Ctrl+Enter to analyze)", button: "Analyze", rows: 14,
    placeholder: "Paste one news article here: every sentence is read, and those that state a stance are marked.",
  },
};
const drafts = { statements: "", article: "" };  // each mode keeps its own text

function setMode(mode) {
  const previous = document.body.dataset.mode;
  if (previous === mode) return;
  drafts[previous] = $("input").value;
  document.body.dataset.mode = mode;
  const settings = MODES[mode];
  $("input-name").textContent = settings.name;
  $("input-hint").textContent = settings.hint;
  $("classify").textContent = settings.button;
  $("input").placeholder = settings.placeholder;
  $("input").rows = settings.rows;
  $("input").value = drafts[mode];
  $("results").hidden = mode !== "statements";
  $("article-results").hidden = mode !== "article";
  showError("");
  $("status").textContent = "";
}

// Python's offsets count code points; a JavaScript string counts UTF-16 units, which
// differ from the first character outside the Basic Multilingual Plane (an emoji, a flag).
function unitOffsets(text) {
  const offsets = [0];
  for (const point of text) offsets.push(offsets[offsets.length - 1] + point.length);
  return offsets;
}

// Each sentence with where it is in `text` ([from, to) in UTF-16 units); one whose
// offsets do not give its text back is looked for after the previous one instead.
function placeSentences(text, sentences) {
  const offsets = unitOffsets(text);
  let cursor = 0;
  return sentences.map((sentence) => {
    let from = offsets[sentence.start];
    let to = offsets[sentence.end];
    if (from === undefined || to === undefined || from < cursor || text.slice(from, to) !== sentence.text) {
      from = text.indexOf(sentence.text, cursor);
      to = from + sentence.text.length;
      if (from < 0) from = to = cursor;  // not found: shown from its own text, in order
    }
    cursor = Math.max(cursor, to);
    return { sentence, from, to };
  });
}

const percent = (p) => `${(100 * p).toFixed(0)}%`;
const partyName = (party) =>
  party ? (party.implied ? `${party.name} (implied)` : party.name) : "not named";

function sentenceTip(sentence) {
  const p = sentence.prediction;
  if (!p) {
    const relevance = sentence.relevance === null ? "" : ` (relevance ${percent(sentence.relevance)})`;
    return `States no stance${relevance}`;
  }
  const tip = `${p.label}, confidence ${percent(p.confidence)}: ${partyName(p.actor)} -> ${partyName(p.recipient)}`;
  return p.review ? `${tip}. Check this: ${reviewReason(p)}` : tip;
}

function sentenceHtml(sentence, shown) {
  const p = sentence.prediction;
  const common = `id="sentence-${sentence.index}" data-index="${sentence.index}" tabindex="-1" title="${escapeHtml(sentenceTip(sentence))}"`;
  if (!p) return `<span class="sentence" ${common} data-relevant="false">${escapeHtml(shown)}</span>`;
  const check = p.review
    ? `<span class="check" data-review="true" data-reason="${escapeHtml(p.reason || "")}" title="${escapeHtml(`Check this: ${reviewReason(p)}`)}">check this</span> `
    : "";
  return `<sup class="n" aria-hidden="true">${sentence.index + 1}</sup>${check}<span class="sentence" ${common} data-relevant="true" `
    + `data-level="${p.level}" data-label="${escapeHtml(p.label)}" data-review="${p.review}">${escapeHtml(shown)}</span>`;
}

// The article as paragraphs (a blank line between two is a paragraph break), every
// sentence in a span of its own; all of it escaped.
function articleHtml(text, placed) {
  let html = "<p>";
  const between = (piece) => {
    const parts = piece.split(/\n[^\S\n]*\n\s*/);
    html += escapeHtml(parts[0]) + parts.slice(1).map((part) => `</p><p>${escapeHtml(part)}`).join("");
  };
  let cursor = 0;
  for (const { sentence, from, to } of placed) {
    between(text.slice(cursor, from));
    html += sentenceHtml(sentence, from === to ? sentence.text : text.slice(from, to));
    cursor = Math.max(cursor, to);
  }
  between(text.slice(cursor));
  return html + "</p>";
}

function summaryHtml(summary, sentences) {
  if (!summary.length) return `<p class="empty" id="no-stance">No support stance found in this article.</p>`;
  const party = (p) => (p ? `${escapeHtml(p.name)} <span class="code">${escapeHtml(p.code)}</span>` : `<span class="unnamed">not named</span>`);
  const rows = summary.map((row) => {
    const links = row.sentences.map((i) => {
      const text = sentences[i] ? sentences[i].text : "";
      return `<button type="button" class="goto" data-sentence="${i}" title="${escapeHtml(text)}" aria-label="Go to sentence ${i + 1}">${i + 1}</button>`;
    }).join(" ");
    return `<tr data-actor="${row.actor ? escapeHtml(row.actor.code) : ""}" data-recipient="${row.recipient ? escapeHtml(row.recipient.code) : ""}" data-level="${row.level}">
      <td class="actor">${party(row.actor)}</td><td class="recipient">${party(row.recipient)}</td>
      <td class="level"><span class="chip level-${row.level}" data-label="${escapeHtml(row.label)}">${escapeHtml(row.label)}</span></td>
      <td class="links">${links}</td></tr>`;
  }).join("");
  return `<div class="table-scroll"><table class="summary" id="summary">
    <caption>Who supports whom</caption>
    <thead><tr><th scope="col">Actor</th><th scope="col">Recipient</th><th scope="col">Highest level</th><th scope="col">Stated in sentence</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

function goToSentence(index) {
  const target = $(`sentence-${index}`);
  if (!target) return;
  document.querySelectorAll(".sentence.focused").forEach((el) => el.classList.remove("focused"));
  target.classList.add("focused");
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  target.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  target.focus({ preventScroll: true });
}

function describeArticleError(status, body, text) {
  const error = body && body.error;
  if (!error) return `The service answered ${status} without an explanation.`;
  const message = error.message.replace(/^'[^']*': /, "");
  const limit = /at most (\d+) characters/.exec(message);
  if (error.field === "text" && limit) {
    const count = (n) => Number(n).toLocaleString("en-US");
    return `The article is too long: the service reads at most ${count(limit[1])} characters, and this one has ${count(Array.from(text).length)}. Paste a shorter one or split it.`;
  }
  if (error.field === "text") return `The article cannot be read: ${message}.`;
  return message.charAt(0).toUpperCase() + message.slice(1) + ".";
}

function clearArticle() {
  $("article-results").innerHTML = "";
}

function showArticle(text, body, seconds) {
  const sentences = body.sentences;
  const stated = sentences.filter((s) => s.prediction).length;
  $("article-results").innerHTML = summaryHtml(body.summary, sentences)
    + `<div class="article-text" id="article-text">${articleHtml(text, placeSentences(text, sentences))}</div>`;
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const at = new Date().toLocaleTimeString("en-GB");
  $("status").textContent = `${plural(sentences.length, "sentence", "sentences")}, ${stated} ${stated === 1 ? "states" : "state"} a stance `
    + `(model ${body.model.version}, ${seconds.toFixed(2)} s, at ${at}).`;
}

async function analyzeArticle() {
  const text = $("input").value;
  showError("");
  if (!text.trim()) {
    showError("Paste an article first.");
    $("input").focus();
    return;
  }
  $("classify").disabled = true;
  $("status").textContent = "Analyzing the article…";
  const started = performance.now();
  let response, body;
  try {
    response = await fetch("/v1/analyze", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
    body = await response.json().catch(() => null);
  } catch (err) {
    clearArticle();
    showError("The service could not be reached. Check that it is running, then try again.");
    $("status").textContent = "";
    return;
  } finally {
    $("classify").disabled = false;
  }
  if (!response.ok || !body) {
    clearArticle();  // an old article under a new error would read as this one's
    showError(describeArticleError(response.status, body, text));
    $("status").textContent = "";
    return;
  }
  showArticle(text, body, (performance.now() - started) / 1000);
}

document.querySelectorAll('input[name="mode"]').forEach((radio) => {
  radio.addEventListener("change", () => { if (radio.checked) setMode(radio.value); });
});
$("article-results").addEventListener("click", (event) => {
  const link = event.target.closest("button.goto");
  if (link) goToSentence(Number(link.dataset.sentence));
});
// A reloaded page may come back with Article checked: the page follows the radio.
const checkedMode = document.querySelector('input[name="mode"]:checked');
if (checkedMode) setMode(checkedMode.value);
