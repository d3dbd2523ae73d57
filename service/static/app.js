// stancemeter's page: classify pasted statements through POST /v1/predict.
"use strict";

// The scale comes from the service (GET /v1/labels), lowest level first.
let LABELS = [];
const colour = (level) => `var(--l${level})`;
const $ = (id) => document.getElementById(id);
let lastResults = [];

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

// An API error in plain words, with the line it is about when there is one.
function describeError(status, body) {
  const error = body && body.error;
  if (!error) return `The service answered ${status} without an explanation.`;
  const match = /^statements\.(\d+)\.text$/.exec(error.field || "");
  let message = error.message;
  if (match) {
    message = message.replace(/^'statements\.\d+\.text': /, "");
    return `Line ${Number(match[1]) + 1}: ${message}.`;
  }
  if (error.field === "statements" && /at most (\d+)/.test(message)) {
    return `Too many lines: the service takes at most ${message.match(/at most (\d+)/)[1]} statements at once.`;
  }
  if (error.field === "text") {
    return `Line 1: ${message.replace(/^'text': /, "")}.`;
  }
  return message.charAt(0).toUpperCase() + message.slice(1) + ".";
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// By default only the terms that matter: at most SHOWN_PER_SIDE each way, and only those
// with at least MIN_SHARE of the strongest weight; "show every weighted word" shows all.
const SHOWN_PER_SIDE = 3;
const MIN_SHARE = 0.25;

// Terms made only of these carry weight (mostly the corpus's style) but explain nothing
// to a reader, so they are left out unless every word is asked for. Negations, modals
// and verbs of refusal are not among them: they are what decides many statements.
const FUNCTION_WORDS = new Set(("a an the of to in on at for from by with as and or that this these those " +
  "it its their his her they he she we our us is are was were be been being has have had do does did " +
  "said says which who whom whose there here than then so also into over about up out").split(" "));
const meaningful = (term) => !term.term.toLowerCase().split(/[^a-z0-9'-]+/).filter(Boolean).every((w) => FUNCTION_WORDS.has(w));

function shownTerms(explanation) {
  const all = [...explanation.toward, ...explanation.away];
  if ($("all-terms").checked) return all;
  const strongest = Math.max(0, ...all.filter(meaningful).map((t) => Math.abs(t.weight)));
  const keep = (side) => side.filter((t) => meaningful(t) && Math.abs(t.weight) >= MIN_SHARE * strongest).slice(0, SHOWN_PER_SIDE);
  return [...keep(explanation.toward), ...keep(explanation.away)];
}

// The statement with each character run coloured by the strongest term covering it.
function highlight(text, explanation) {
  const owner = new Array(text.length).fill(null);
  const terms = shownTerms(explanation).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  for (const term of terms) {
    for (const [start, end] of term.spans) {
      for (let i = start; i < end && i < text.length; i++) if (owner[i] === null) owner[i] = term;
    }
  }
  let html = "";
  let i = 0;
  while (i < text.length) {
    const term = owner[i];
    let j = i;
    while (j < text.length && owner[j] === term) j++;
    const piece = escapeHtml(text.slice(i, j));
    if (term && piece.trim()) {
      const kind = term.weight > 0 ? "toward" : "away";
      const sign = term.weight > 0 ? "+" : "";
      const tip = `${term.term}: ${sign}${term.weight.toFixed(3)} ${kind === "toward" ? "toward" : "away from"} ${explanation.label}`;
      html += `<mark class="${kind}" tabindex="0" title="${escapeHtml(tip)}" data-weight="${term.weight}" aria-label="${escapeHtml(tip)}">${piece}</mark>`;
    } else {
      html += piece;
    }
    i = j;
  }
  return html;
}

function card(text, prediction) {
  const level = prediction.level;
  const slots = LABELS.map((label, i) => i === level
    ? `<div class="slot"><span class="chip level-${i}" data-label="${label}">${label}</span></div>`
    : `<div class="slot" aria-hidden="true"></div>`).join("");
  const probs = LABELS.map((label, i) => {
    const p = prediction.probabilities[label];
    return `<span>${label}</span><div class="bar" role="img" aria-label="${label} ${(100 * p).toFixed(1)}%"><span style="width:${(100 * p).toFixed(1)}%;background:${colour(i)}"></span></div><span>${(100 * p).toFixed(1)}%</span>`;
  }).join("");
  const explanation = prediction.explanation;
  const top = explanation.toward.filter(meaningful).slice(0, 3).map((t) => `${escapeHtml(t.term)} (+${t.weight.toFixed(2)})`).join(", ");
  const check = prediction.review
    ? `<p class="review" data-review="true" data-reason="${prediction.reason}">Check this: ${reviewReason(prediction)}</p>`
    : "";
  return `<article class="card" data-label="${prediction.label}" data-review="${prediction.review}">
    ${check}
    <p class="statement">${highlight(text, explanation)}</p>
    ${partiesLine(prediction)}
    <div class="track" aria-label="Level ${level} of 4: ${prediction.label}">${slots}</div>
    <div class="probs">${probs}</div>
    <p class="weights">Pushed toward ${prediction.label} most by: ${top || "no single word"}.</p>
    ${correctControl(prediction)}
  </article>`;
}

// who supports whom, and a note when the sentence may state no stance at all
function partiesLine(prediction) {
  const code = (party) => (party ? escapeHtml(party.code) : "");
  const name = (party) => escapeHtml(partyName(party));
  const relevance = prediction.relevance;
  const note = relevance !== null && relevance !== undefined && relevance < 0.5
    ? ` <span class="not-stance">May state no support stance (relevance ${(100 * relevance).toFixed(0)}%).</span>`
    : "";
  return `<p class="parties" data-actor="${code(prediction.actor)}" data-recipient="${code(prediction.recipient)}">Who: <b class="actor">${name(prediction.actor)}</b> → <b class="recipient">${name(prediction.recipient)}</b>.${note}</p>`;
}

async function loadLabels() {
  if (LABELS.length) return;
  const response = await fetch("/v1/labels");
  if (!response.ok) throw new Error(`labels: ${response.status}`);
  const scale = (await response.json()).labels;
  LABELS = scale.map((entry) => entry.label);
  $("legend").innerHTML = scale.map((entry) => `<li class="level-${entry.level}" title="${escapeHtml(entry.description)}">${escapeHtml(entry.label)}</li>`).join("");
}

async function classify() {
  const lines = nonEmptyLines($("input").value);
  showError("");
  if (!lines.length) {
    showError("Paste at least one statement first.");
    $("input").focus();
    return;
  }
  $("classify").disabled = true;
  $("status").textContent = `Classifying ${lines.length} statement${lines.length > 1 ? "s" : ""}…`;
  try {
    await loadLabels();
    const response = await fetch("/v1/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ statements: lines.map((text, i) => ({ id: i + 1, text })), explain: true, top_k: 8 }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      clearResults();  // old cards under a new error would read as this input's results
      showError(describeError(response.status, body));
      $("status").textContent = "";
      return;
    }
    lastResults = body.predictions.map((p, i) => ({ id: p.id, text: lines[i], ...p, model: body.model.version }));
    $("results").innerHTML = body.predictions.map((p, i) => card(lines[i], p)).join("");
    $("status").textContent = `${lines.length} classified by model ${body.model.version}.`;
    $("download-csv").disabled = $("download-jsonl").disabled = false;
  } catch (err) {
    clearResults();
    showError("The service could not be reached. Check that it is running, then try again.");
    $("status").textContent = "";
  } finally {
    $("classify").disabled = false;
  }
}

function download(name, type, content) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

// A cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return
// first) gets a leading apostrophe, as OWASP's CSV-injection advice says.
function csvCell(value) {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function clearResults() {
  lastResults = [];
  $("results").innerHTML = "";
  $("download-csv").disabled = $("download-jsonl").disabled = true;
}

function toCsv(rows) {
  const header = ["id", "text", "label", "level", "confidence", "review", ...LABELS.map((l) => `p_${l}`), "actor", "recipient", "recipient_implied", "relevance", "model"];
  const code = (party) => (party ? party.code : "");
  const lines = rows.map((r) => [r.id, r.text, r.label, r.level, r.confidence.toFixed(6), r.review, ...LABELS.map((l) => r.probabilities[l].toFixed(6)), code(r.actor), code(r.recipient), r.recipient ? r.recipient.implied : "", r.relevance === null || r.relevance === undefined ? "" : r.relevance.toFixed(6), r.model].map(csvCell).join(","));
  return [header.join(","), ...lines].join("\n") + "\n";
}

function toJsonLines(rows) {
  return rows.map((r) => JSON.stringify({ id: r.id, text: r.text, label: r.label, level: r.level, confidence: r.confidence, review: r.review, probabilities: r.probabilities, actor: r.actor, recipient: r.recipient, relevance: r.relevance, model: r.model })).join("\n") + "\n";
}

async function loadModelInfo() {
  try {
    const response = await fetch("/v1/model");
    const manifest = await response.json();
    const f1 = manifest.scores && manifest.scores.heldout_macro_f1;
    $("model-info").textContent = `model ${manifest.version}` + (f1 !== undefined ? ` · held-out macro-F1 ${Number(f1).toFixed(3)}` : "");
  } catch (err) {
    $("model-info").textContent = "model: unavailable (is the service running?)";
  }
}

async function loadReports() {
  const holder = $("reports");
  try {
    const response = await fetch("/v1/reports");
    const { reports } = await response.json();
    holder.textContent = reports.length ? "evaluation reports: " : "no evaluation report yet (make evaluate)";
    reports.forEach((report, i) => {
      const link = document.createElement("a");
      link.href = report.url;
      link.textContent = report.name + (report.macro_f1 === null ? "" : ` (macro-F1 ${report.macro_f1.toFixed(3)})`);
      if (i > 0) holder.append(", ");
      holder.append(link);
    });
  } catch (err) {
    holder.textContent = "evaluation reports: unavailable";
  }
}

// The support tracker's report is linked only once `make track` has written one.
async function loadTracker() {
  try {
    const response = await fetch("/tracker", { method: "HEAD" });
    $("tracker-link").hidden = !response.ok;
  } catch (err) {
    $("tracker-link").hidden = true;
  }
}

// One statement per line: a statement from a file loses its inner line breaks.
const oneLine = (text) => text.replace(/\s+/g, " ").trim();
const nonEmptyLines = (text) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
function parseCsv(text) {
  const rows = [[]];
  let field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { rows[rows.length - 1].push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      rows[rows.length - 1].push(field); field = ""; rows.push([]);
    } else field += c;
  }
  rows[rows.length - 1].push(field);
  return rows.filter((r) => r.some((cell) => cell.trim()));
}

// The statements of an uploaded file: a CSV's `text` column, JSON Lines' `text` fields,
// or one statement per line; a message names the line that is not what it should be.
function statementsOf(name, content) {
  const body = content.replace(/^\uFEFF/, "");
  if (/\.csv$/i.test(name)) {
    const [header, ...rows] = parseCsv(body);
    const column = (header || []).map((h) => h.trim().toLowerCase()).indexOf("text");
    if (column < 0) throw new Error(`${name}: the CSV needs a header row with a "text" column.`);
    return rows.map((r) => oneLine(r[column] || "")).filter(Boolean);
  }
  if (/\.(jsonl|ndjson)$/i.test(name)) {
    return body.split(/\r?\n/).map((line, i) => {
      if (!line.trim()) return "";
      let record;
      try { record = JSON.parse(line); } catch (err) { throw new Error(`${name}: line ${i + 1} is not valid JSON.`); }
      if (!record || typeof record.text !== "string") throw new Error(`${name}: line ${i + 1} needs a string "text".`);
      return oneLine(record.text);
    }).filter(Boolean);
  }
  return nonEmptyLines(body);
}

$("upload").addEventListener("change", async () => {
  const file = $("upload").files[0];
  if (!file) return;
  showError("");
  try {
    const statements = statementsOf(file.name, await file.text());
    $("input").value = statements.join("\n");
    $("status").textContent = `${statements.length} statement${statements.length === 1 ? "" : "s"} loaded from ${file.name}; press Classify.`;
  } catch (err) {
    showError(err.message);
  }
  $("upload").value = "";
});
$("all-terms").addEventListener("change", () => {
  $("results").innerHTML = lastResults.map((r) => card(r.text, r)).join("");
});
const submit = () => (document.body.dataset.mode === "article" ? analyzeArticle() : classify());  // article.js
$("form").addEventListener("submit", (event) => { event.preventDefault(); submit(); });
$("input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submit(); }
});
// stancemeter-20261203T091500Z.csv: one file per export, in the order they were made.
function exportName(extension) {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `stancemeter-${stamp}.${extension}`;
}

$("download-csv").addEventListener("click", () => download(exportName("csv"), "text/csv", toCsv(lastResults)));
$("download-jsonl").addEventListener("click", () => download(exportName("jsonl"), "application/x-ndjson", toJsonLines(lastResults)));
loadModelInfo();
loadReports();
loadTracker();
loadLabels().catch(() => {});
