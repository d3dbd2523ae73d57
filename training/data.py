"""Loading labelled statements, validated row by row, and the fixed held-out split."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.model_selection import train_test_split

from classifier.labels import LABELS

SPLIT_SEED = 20221028
HOLDOUT_SHARE = 0.2


class DataError(ValueError):
    """A data file that cannot be used, with every problem found and its line."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}{more}")


@dataclass(frozen=True)
class Statement:
    text: str
    label: str
    line: int
    meta: dict[str, Any]


def _check(record: Any, number: int) -> str | None:
    if not isinstance(record, dict):
        return f"line {number}: expected a JSON object, got {type(record).__name__}"
    text = record.get("text")
    if "text" not in record:
        return f"line {number}: missing 'text'"
    if not isinstance(text, str):
        return f"line {number}: 'text' must be a string, got {type(text).__name__}"
    if not text.strip():
        return f"line {number}: 'text' is empty"
    if "label" not in record:
        return f"line {number}: missing 'label'"
    if record["label"] not in LABELS:
        expected = ", ".join(LABELS)
        return f"line {number}: unknown label {record['label']!r} (expected one of {expected})"
    return None


def load_statements(path: Path | str) -> list[Statement]:
    """Read a JSON Lines file of labelled statements; raise :class:`DataError` on any bad row.

    Rejected: invalid JSON, a missing or empty text, an unknown label, and the
    same text (ignoring case and spacing) given two different labels. Exact
    duplicates with the same label are kept. Blank lines are allowed.
    """
    path = Path(path)
    problems: list[str] = []
    rows: list[Statement] = []
    seen: dict[str, tuple[str, int]] = {}
    try:
        lines = list(enumerate(path.read_text(encoding="utf-8").split("\n"), 1))
    except OSError as exc:
        raise DataError(path, [f"cannot open: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise DataError(path, [f"not UTF-8 text: {exc.reason}"]) from exc
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        problem = _check(record, number)
        if problem:
            problems.append(problem)
            continue
        key = " ".join(record["text"].lower().split())
        if key in seen and seen[key][0] != record["label"]:
            first_label, first_line = seen[key]
            problems.append(
                f"line {number}: the same text is labelled {record['label']!r} here "
                f"and {first_label!r} on line {first_line}"
            )
            continue
        seen.setdefault(key, (record["label"], number))
        meta = {k: v for k, v in record.items() if k not in ("text", "label")}
        rows.append(Statement(record["text"], record["label"], number, meta))
    if not rows and not problems:
        problems.append("no statements")
    if problems:
        raise DataError(path, problems)
    return rows


def holdout_split(
    rows: list[Statement], share: float = HOLDOUT_SHARE, seed: int = SPLIT_SEED
) -> tuple[list[Statement], list[Statement]]:
    """The fixed, stratified (train, held-out) split; the same rows give the same split."""
    train, test = train_test_split(
        rows, test_size=share, random_state=seed, stratify=[r.label for r in rows]
    )
    return list(train), list(test)
