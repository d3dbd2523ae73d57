"""The tracker report: ``report.html`` (self-contained: figures embedded as PNG, no
request outside the file), ``summary.csv`` (one row per actor, recipient and month)
and ``tracker.json`` (the change points and the figures, for programs).

Written from the statements table alone, in a fixed order, so the same table always
gives the same files, whichever scheduler produced it.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
from jinja2 import Environment, FileSystemLoader, select_autoescape

from classifier.labels import LABELS
from tracker import plots
from tracker.changes import MonthLevel, change_points, first_levels, monthly_levels
from tracker.table import write_atomic_bytes

MAX_HEATMAPS = 12
"""Recipients with a heat map (those with the most statements); the rest are in summary.csv."""
MAX_ACTORS_PER_HEATMAP = 30
MAX_TIMELINES = 24
MAX_FLAGGED = 200
"""Flagged statements listed in the report (lowest confidence first); all are in the table."""
SUMMARY_COLUMNS = ("recipient", "recipient_name", "actor", "actor_name", "month", "level",
                   "label", "statements", "flagged", "changed_from", "first_date",
                   "first_source", "first_article_id", "first_sentence")  # fmt: skip

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    year, month = map(int, first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def build(statements: pa.Table, articles: pa.Table, rejects: list[dict], version: str) -> dict:
    """Everything the report shows, as plain data."""
    rows = statements.to_pylist()
    names: dict[str, str] = {}
    for row in rows:
        for code, name in (
            (row["actor"], row["actor_name"]),
            (row["recipient"], row["recipient_name"]),
        ):
            if code:
                names.setdefault(code, name or code)
    article_months = articles.column("month").to_pylist()
    months = month_range(min(article_months), max(article_months)) if article_months else []
    levels = monthly_levels(rows)
    changes = change_points(levels, names)
    counts = Counter((row["month"], row["level"]) for row in rows)
    flagged = sorted((r for r in rows if r["review"]), key=lambda r: (r["confidence"], r["date"],
                     r["article_id"], r["sentence_index"]))  # fmt: skip
    return {
        "version": version, "names": names, "months": months, "levels": levels,
        "changes": changes, "starts": first_levels(levels),
        "counts": [[counts[(m, level)] for level in range(len(LABELS))] for m in months],
        "flagged": flagged, "flagged_total": len(flagged),
        "totals": {"articles": articles.num_rows, "statements": len(rows),
                   "rejects": len(rejects), "pairs": len(levels), "changes": len(changes),
                   "sentences": sum(articles.column("sentences").to_pylist()),
                   "no_pair": sum(1 for r in rows if not (r["actor"] and r["recipient"]))},
        "rejects": Counter(r["reason"].split(" of the article at")[0] for r in rejects),
    }  # fmt: skip


def heatmaps(data: dict) -> list[dict[str, Any]]:
    """Per recipient (most statements first): actors by month, highest level stated."""
    by_recipient: dict[str, dict[str, dict[str, MonthLevel]]] = {}
    for (actor, recipient), months in data["levels"].items():
        by_recipient.setdefault(recipient, {})[actor] = months
    weight = {r: sum(m.statements for a in v.values() for m in a.values())
              for r, v in by_recipient.items()}  # fmt: skip
    chosen = sorted(by_recipient, key=lambda r: (-weight[r], r))[:MAX_HEATMAPS]
    maps = []
    for recipient in chosen:
        actors = sorted(
            by_recipient[recipient],
            key=lambda a: (-sum(m.statements for m in by_recipient[recipient][a].values()), a),
        )[:MAX_ACTORS_PER_HEATMAP]
        actors.sort()
        grid = [[_level(by_recipient[recipient][a].get(m)) for m in data["months"]]
                for a in actors]  # fmt: skip
        labels = [f"{data['names'][a]} ({a})" for a in actors]
        title = f"Support for {data['names'][recipient]} ({recipient}): highest level by month"
        maps.append({"recipient": recipient, "name": data["names"][recipient],
                     "actors": len(by_recipient[recipient]), "statements": weight[recipient],
                     "image": _data_uri(plots.level_heatmap(title, labels, data["months"],
                                                            grid))})  # fmt: skip
    return maps


def _level(month: MonthLevel | None) -> int | None:
    return month.level if month is not None and month.first is not None else None


def timelines(data: dict) -> list[dict[str, Any]]:
    """Per actor (most statements first): its level toward each recipient, with its changes."""
    by_actor: dict[str, dict[str, dict[str, MonthLevel]]] = {}
    for (actor, recipient), months in data["levels"].items():
        by_actor.setdefault(actor, {})[recipient] = months
    weight = {a: sum(m.statements for r in v.values() for m in r.values())
              for a, v in by_actor.items()}  # fmt: skip
    index = {m: i for i, m in enumerate(data["months"])}
    shown = []
    for actor in sorted(by_actor, key=lambda a: (-weight[a], a))[:MAX_TIMELINES]:
        recipients = sorted(by_actor[actor])
        series = {f"{data['names'][r]} ({r})": [_level(by_actor[actor][r].get(m))
                                                for m in data["months"]]
                  for r in recipients}  # fmt: skip
        changes = [c for c in data["changes"] if c.actor == actor]
        marks = [(f"{c.recipient_name} ({c.recipient})", index[c.month], c.to_level)
                 for c in changes]  # fmt: skip
        starts = [(r, *data["starts"][(actor, r)]) for r in recipients
                  if (actor, r) in data["starts"]]  # fmt: skip
        title = f"{data['names'][actor]} ({actor}): level toward each recipient"
        shown.append({"actor": actor, "name": data["names"][actor], "changes": changes,
                      "starts": starts, "statements": weight[actor],
                      "image": _data_uri(plots.actor_timeline(title, data["months"], series,
                                                              marks))})  # fmt: skip
    return shown


def summary_csv(data: dict) -> str:
    """One row per (recipient, actor, month with statements), with the level and its source."""
    changed = {(c.actor, c.recipient, c.month): c.from_label for c in data["changes"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for (actor, recipient), months in sorted(
        data["levels"].items(), key=lambda i: (i[0][1], i[0][0])
    ):
        for month, level in months.items():
            first = level.first
            writer.writerow([recipient, data["names"][recipient], actor, data["names"][actor],
                             month, level.level if first else "", level.label,
                             level.statements, level.flagged,
                             changed.get((actor, recipient, month), ""),
                             first.date if first else "", first.source if first else "",
                             first.article_id if first else "",
                             _safe_cell(first.sentence) if first else ""])  # fmt: skip
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    """A spreadsheet shows a cell that starts like a formula instead of running it."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def tracker_json(data: dict) -> dict[str, Any]:
    return {"model_version": data["version"], "months": data["months"],
            "totals": data["totals"], "rejects": dict(sorted(data["rejects"].items())),
            "change_points": [c.to_dict() for c in data["changes"]]}  # fmt: skip


def write_report(out: Path, statements: pa.Table, articles: pa.Table, rejects: list[dict],
                 version: str) -> None:  # fmt: skip
    """Write report.html, summary.csv and tracker.json into ``out`` (each atomically)."""
    data = build(statements, articles, rejects, version)
    html = _TEMPLATES.get_template("report.html").render(
        data=data,
        labels=LABELS,
        heatmaps=heatmaps(data),
        timelines=timelines(data),
        counts_image=_data_uri(plots.counts_by_month(data["months"], data["counts"]))
        if data["months"]
        else None,
        flagged=data["flagged"][:MAX_FLAGGED],
        max_flagged=MAX_FLAGGED,
    )
    write_atomic_bytes(out / "summary.csv", summary_csv(data).encode("utf-8"))
    document = json.dumps(tracker_json(data), indent=2, ensure_ascii=False) + "\n"
    write_atomic_bytes(out / "tracker.json", document.encode("utf-8"))
    write_atomic_bytes(out / "report.html", html.encode("utf-8"))
