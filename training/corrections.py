"""The analysts' corrections merged into the training data (``make train``).

The database (``STANCEMETER_DATABASE_URL``) is the source: its export is read here and
nothing is written to ``data/``. A correction of a corpus text replaces the corpus row
(wherever the fixed split put it: a corrected text is trained on, not held out); of
several corrections of one text (case and spacing aside) the latest wins, and the texts
whose corrections disagree are listed in the summary. Each correction weighs
``STANCEMETER_CORRECTION_WEIGHT`` in the fit, a corpus row 1.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from classifier.labels import LABELS
from store import CorrectionStore, redacted, text_hash
from store.engine import exists
from training.data import Statement


def load_corrections(url: str) -> list[dict[str, Any]]:
    """Every correction in the corpus format, oldest first ([] when there is no database
    yet: an SQLite file never created)."""
    if not exists(url):
        return []
    store = CorrectionStore(url)
    try:
        return list(store.export())
    finally:
        store.close()


def corrections_sha256(records: list[dict[str, Any]]) -> str:
    """The hash of the export as merged: one canonical JSON object a line."""
    digest = hashlib.sha256()
    for record in records:
        digest.update((json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode())
    return digest.hexdigest()


@dataclass
class Merged:
    train: list[Statement]
    heldout: list[Statement]
    weights: np.ndarray | None
    """Sample weights of ``train`` (None without corrections: every row weighs 1)."""
    summary: dict[str, Any] = field(default_factory=dict)


def merge(
    train: list[Statement],
    heldout: list[Statement],
    records: list[dict[str, Any]],
    weight: float,
    database: str = "",
) -> Merged:
    """The corpus's split with the corrections merged in (see the module's docstring)."""
    if not records:
        return Merged(train, heldout, None, {"rows": 0})
    latest: dict[str, dict[str, Any]] = {}
    labels: dict[str, list[str]] = {}
    for record in records:  # oldest first: a later correction replaces an earlier one
        key = text_hash(record["text"])
        latest[key] = record
        labels.setdefault(key, []).append(record["label"])
    conflicts = [
        {
            "text_hash": key,
            "labels": found,
            "kept": latest[key]["label"],
            "correction_id": latest[key]["correction_id"],
        }
        for key, found in labels.items()
        if len(set(found)) > 1
    ]
    kept_train = [r for r in train if text_hash(r.text) not in latest]
    kept_heldout = [r for r in heldout if text_hash(r.text) not in latest]
    corrected = [
        Statement(
            r["text"], r["label"], 0, {k: v for k, v in r.items() if k not in ("text", "label")}
        )
        for r in latest.values()
    ]
    replaced = len(train) + len(heldout) - len(kept_train) - len(kept_heldout)
    weights = np.concatenate([np.ones(len(kept_train)), np.full(len(corrected), weight)])
    summary = {
        "rows": len(records),
        "texts": len(latest),
        "sha256": corrections_sha256(records),
        "latest": max(r["created_at"] for r in records),
        "weight": weight,
        "replaced_corpus_rows": replaced,
        "moved_from_heldout": len(heldout) - len(kept_heldout),
        "conflicts": conflicts,
        "database": redacted(database) if database else None,
    }
    return Merged(kept_train + corrected, kept_heldout, weights, summary)


def describe(summary: dict[str, Any]) -> str:
    """The training summary's lines about the corrections."""
    if not summary.get("rows"):
        return "no analyst corrections"
    lines = [
        f"{summary['rows']} analyst corrections of {summary['texts']} texts (latest "
        f"{summary['latest']}, weight {summary['weight']}): {summary['replaced_corpus_rows']} "
        f"replace corpus rows ({summary['moved_from_heldout']} of them held out before)"
    ]
    for conflict in summary["conflicts"]:
        lines.append(
            f"  conflicting corrections of text {conflict['text_hash'][:12]}: "
            f"{' -> '.join(conflict['labels'])}; kept {conflict['kept']} "
            f"(correction {conflict['correction_id']})"
        )
    return "\n".join(lines)


def live_accuracy(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How often each model version was right on the statements analysts corrected or
    confirmed: per version, the latest judgement of each text against what that version
    predicted for it (a confirmation counts as right)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        if record.get("model_version") and record.get("predicted_label"):
            latest[(record["model_version"], text_hash(record["text"]))] = record
    by_version: dict[str, list[dict[str, Any]]] = {}
    for (version, _), record in latest.items():
        by_version.setdefault(version, []).append(record)
    rows = []
    for version, judged in sorted(by_version.items()):
        right = sum(r["predicted_label"] == r["label"] for r in judged)
        off = sum(
            abs(LABELS.index(r["predicted_label"]) - LABELS.index(r["label"])) >= 2 for r in judged
        )
        rows.append(
            {
                "model_version": version,
                "statements": len(judged),
                "right": right,
                "accuracy": round(right / len(judged), 4),
                "two_or_more_off": round(off / len(judged), 4),
            }
        )
    return rows
