// stancemeter's corrections: a "Correct" control on each result, and the Review tab.
// The analyst's token is asked once and kept in this tab's session storage.
"use strict";

const TOKEN_KEY = "stancemeter.annotatorToken";
const shownAt = new WeakMap();  // card or queue item -> when the analyst first saw it

// The token: from session storage, or asked for once in the dialog.
function askToken(message) {
  const dialog = $("token-dialog");
  $("token-message").textContent = message || "Corrections are saved under your annotator token.";
  $("token-input").value = "";
  dialog.showModal();
  $("token-input").focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const token = dialog.returnValue === "save" ? $("token-input").value.trim() : "";
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      resolve(token || null);
    }, { once: true });
  });
}

async function annotatorToken() {
  return sessionStorage.getItem(TOKEN_KEY) || askToken();
}

// A request with the token; a refused token is forgotten and asked for again, once.
async function withToken(url, options = {}) {
  let token = await annotatorToken();
  for (let attempt = 0; token && attempt < 2; attempt++) {
    const response = await fetch(url, { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${token}` } });
    if (response.status !== 401) return response;
    sessionStorage.removeItem(TOKEN_KEY);
    token = await askToken("That token was refused. Enter your annotator token again.");
  }
  throw new Error("No annotator token: nothing was saved.");
}

async function saveCorrection(text, label, started, note) {
  const correction = { text, label, source: "page", client_key: crypto.randomUUID(), seconds_spent: Math.round((Date.now() - started) / 100) / 10 };
  if (note) correction.note = note;
  const response = await withToken("/v1/corrections", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ corrections: [correction] }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(describeError(response.status, body));  // app.js
  return body.corrections[0];
}

// The control under each result card (app.js puts it there).
function correctControl(prediction) {
  const buttons = LABELS.map((label, i) => `<button type="button" class="level-button" data-label="${label}" aria-pressed="false" title="Level ${i}">${label}</button>`).join("");
  return `<details class="correct"><summary>Correct</summary>
    <div class="levels" role="group" aria-label="The right level (the model said ${prediction.label})">${buttons}</div>
    <label class="note-label">Note (optional) <input type="text" class="note" maxlength="2000"></label>
    <span class="saved" role="status" aria-live="polite"></span></details>`;
}

$("results").addEventListener("toggle", (event) => {
  const card = event.target.closest(".card");
  if (card && !shownAt.has(card)) shownAt.set(card, Date.now());
}, true);

$("results").addEventListener("click", async (event) => {
  const button = event.target.closest(".level-button");
  if (!button) return;
  const card = button.closest(".card");
  const status = card.querySelector(".saved");
  status.textContent = "Saving…";
  try {
    const text = card.querySelector(".statement").textContent;
    const saved = await saveCorrection(text, button.dataset.label, shownAt.get(card) || Date.now(), card.querySelector(".note").value.trim());
    card.querySelectorAll(".level-button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    status.textContent = `Saved as ${saved.label} (correction ${saved.id}).`;
  } catch (err) {
    status.textContent = err.message;
  }
});

// The Review tab: the queue, least certain first, worked with the keyboard alone.
let queue = [];
let current = 0;

function setTab(name) {
  document.body.dataset.tab = name;
  document.querySelectorAll('[role="tab"]').forEach((tab) => tab.setAttribute("aria-selected", String(tab.dataset.tab === name)));
  $("classify-panel").hidden = name !== "classify";
  $("review-panel").hidden = name !== "review";
  if (name === "review") loadQueue();
}

function renderQueue() {
  const list = $("queue");
  list.innerHTML = queue.map((item, i) => `<li class="queue-item${item.done ? " done" : ""}" data-index="${i}" aria-current="${i === current}">
      <span class="queue-text">${escapeHtml(item.text)}</span>
      <span class="chip level-${LABELS.indexOf(item.label)}" title="the model's label">${item.label}</span>
      <span class="queue-confidence">${(100 * item.confidence).toFixed(0)}%</span>
      <span class="queue-saved">${item.done ? `→ ${item.done}` : ""}</span></li>`).join("");
  const left = queue.filter((item) => !item.done).length;
  $("review-status").textContent = queue.length ? `${left} of ${queue.length} left in this page of the queue.` : "The queue is empty: nothing logged waits for an analyst.";
  const active = list.querySelector('[aria-current="true"]');
  if (active) active.scrollIntoView({ block: "nearest" });
}

async function loadQueue() {
  $("review-status").textContent = "Loading the queue…";
  try {
    await loadLabels();  // app.js
    const response = await withToken(`/v1/review?order=${$("review-order").value}&limit=50`);
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(describeError(response.status, body));
    queue = body.predictions;
    current = 0;
    if (queue.length) shownAt.set(queue[0], Date.now());
    renderQueue();
    $("queue").focus();
  } catch (err) {
    $("review-status").textContent = err.message;
  }
}

function move(step) {
  if (!queue.length) return;
  current = Math.max(0, Math.min(queue.length - 1, current + step));
  if (!shownAt.has(queue[current])) shownAt.set(queue[current], Date.now());
  renderQueue();
}

async function label(labelName) {
  const item = queue[current];
  if (!item) return;
  try {
    await saveCorrection(item.text, labelName, shownAt.get(item) || Date.now(), "");
    item.done = labelName;
    move(1);
    renderQueue();
  } catch (err) {
    $("review-status").textContent = err.message;
  }
}

$("queue").addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (/^[1-5]$/.test(event.key)) label(LABELS[Number(event.key) - 1]);
  else if (event.key === "Enter") { if (queue[current]) label(queue[current].label); }
  else if (event.key === "ArrowDown" || event.key === "ArrowRight") move(1);
  else if (event.key === "ArrowUp" || event.key === "ArrowLeft") move(-1);
  else return;
  event.preventDefault();
});
$("queue").addEventListener("click", (event) => {
  const item = event.target.closest(".queue-item");
  if (item) { current = Number(item.dataset.index); renderQueue(); }
});
document.querySelectorAll('[role="tab"]').forEach((tab) => tab.addEventListener("click", () => setTab(tab.dataset.tab)));
$("review-order").addEventListener("change", loadQueue);
$("review-reload").addEventListener("click", loadQueue);
$("token-forget").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); $("token-forget").blur(); });
