"""Writing an evaluation: metrics.json, a self-contained report.html, and report.md."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from classifier.labels import LABELS
from training import plots

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _write_atomic(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def comparison_rows(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    rows = [("model", report["figures"]), *report["baselines"].items()]
    if "previous" in report:
        rows.append(("previous model", report["previous"]["figures"]))
    return rows


def images(report: dict[str, Any]) -> dict[str, str]:
    figures = report["figures"]
    per_label = {name: f["per_label"] for name, f in comparison_rows(report)}
    drawn = {
        "confusion": plots.confusion_heatmap(figures["confusion_matrix"]["matrix"]),
        "per_label": plots.per_label_bars(per_label),
    }
    if "calibration" in figures:
        drawn["reliability"] = plots.reliability_diagram(figures["calibration"]["reliability_bins"])
    if report.get("coverage_curve"):
        threshold = figures.get("triage", {}).get("threshold", 0.0)
        drawn["coverage"] = plots.coverage_plot(report["coverage_curve"], threshold)
    if report.get("learning_curve"):
        drawn["learning_curve"] = plots.learning_curve_plot(report["learning_curve"])
    return {name: _data_uri(png) for name, png in drawn.items()}


def render_markdown(report: dict[str, Any]) -> str:
    return _TEMPLATES.get_template("report.md").render(
        report=report, rows=comparison_rows(report), labels=LABELS
    )


def render_html(report: dict[str, Any]) -> str:
    return _TEMPLATES.get_template("report.html").render(
        report=report, rows=comparison_rows(report), labels=LABELS, images=images(report)
    )


def write_report(report: dict[str, Any], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    _write_atomic(target / "metrics.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    _write_atomic(target / "report.md", render_markdown(report))
    _write_atomic(target / "report.html", render_html(report))
