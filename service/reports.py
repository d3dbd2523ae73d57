"""The evaluation reports that ``make evaluate`` wrote for a model version.

``make evaluate`` writes ``<reports dir>/<version>/<data name>/`` with ``report.html``
and ``metrics.json``; the service lists and serves those of the model it serves, so a
report on real_dev or the stress set is as easy to reach as the held-out one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

NAME = re.compile(r"^[A-Za-z0-9._-]+$")
"""A report's data name (the evaluated file's stem); nothing that can leave the folder."""


def report_path(reports_dir: Path, version: str, name: str) -> Path | None:
    """The ``report.html`` of ``name`` for ``version``, or None if there is none."""
    if not NAME.match(name) or name in {".", ".."}:
        return None
    path = reports_dir / version / name / "report.html"
    return path if path.is_file() else None


def list_reports(reports_dir: Path, version: str) -> list[dict[str, Any]]:
    """Every report of ``version``: name, URL, and its rows and macro-F1 when the
    metrics file says; held-out first, the others by name."""
    folder = reports_dir / version
    if not folder.is_dir():
        return []
    found = []
    for child in sorted(folder.iterdir(), key=lambda p: (p.name != "heldout", p.name)):
        if report_path(reports_dir, version, child.name) is None:
            continue
        entry: dict[str, Any] = {"name": child.name, "url": f"/reports/{child.name}",
                                 "rows": None, "macro_f1": None}  # fmt: skip
        try:
            figures = json.loads((child / "metrics.json").read_text(encoding="utf-8"))["figures"]
            entry["rows"] = int(figures["rows"])
            entry["macro_f1"] = round(float(figures["macro_f1"]), 4)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a report without readable metrics is still listed
        found.append(entry)
    return found
