"""What several test modules share: paths, a JSON Lines writer, and the input
strategies of the property tests. Test modules import this, never each other."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

from config import settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = settings().corpus if settings().corpus.is_absolute() else ROOT / settings().corpus
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MAX_CHARS = 10_000
# Every code point, lone surrogates, controls and unassigned ones included.
ANY_CHAR = st.characters(codec=None, categories=None)
ANY_TEXT = st.text(ANY_CHAR, max_size=MAX_CHARS)
SPICY = st.sampled_from([
    "", " \t\n ", "\x00\x01\x1b[31m", "🙂🇺🇦💥" * 50, "\u202eطائرات مسيرة\u202c", "שלום עולם",
    "\ud800\udfff", "Ⅻ ﬁ ǅ İ ß", "word " * 10_000, "-" * 5000, "n't " * 300, "not " * 2000,
])  # fmt: skip


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


TOKEN = "test-admin-token"
"""The admin token of the test services."""
ANNOTATOR_TOKEN = "test-annotator-token"
"""The token of the test services' one annotator, ``analyst``."""

CHECK_TEXTS = [
    "Germany will deliver Leopard tanks and artillery shells to Ukraine.",
    "Japan will not send weapons to Ukraine.",
    "Hungary vetoed the EU aid package for Kyiv.",
    "The foreign ministry said its stance remains unchanged.",
    "Oslo sent field hospitals to Gaza.",
]
"""Rows a test save checks the pickle-free scorer against the pipeline on."""


def retrain_into(models: Path) -> str:
    """A second version beside the current one (a copy, re-saved so its hash differs)."""
    from classifier.artifact import CURRENT, save_artifact
    from classifier.model import load_model

    model = load_model(models / CURRENT)
    manifest = {**model.manifest, "note": "second"}
    return save_artifact(model.pipeline, manifest, models, CHECK_TEXTS).name


def write_report(folder: Path, rows: int, macro_f1: float) -> Path:
    """A stand-in for what ``make evaluate`` writes: ``report.html`` and ``metrics.json``."""
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(f"<!doctype html><h1>report {folder.name}</h1>")
    figures = {"rows": rows, "macro_f1": macro_f1}
    (folder / "metrics.json").write_text(json.dumps({"figures": figures}))
    return folder
