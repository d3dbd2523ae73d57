"""The statements table: its schema, the per-partition result files, and the table
itself as Parquet partitioned by month (``statements/month=2024-03/part-0.parquet``).

Each finished partition leaves two files in ``<out>/.parts/``: its statements
(``<key>.parquet``) and, renamed into place last, its commit record
(``<key>.json``: its articles and rejects). A partition counts as finished only
when its commit record exists, and each file is written to a temporary name and
renamed, so a run killed at any point leaves only whole results behind.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

STATEMENTS = pa.schema([
    ("date", pa.date32()),
    ("month", pa.string()),
    ("source", pa.string()),
    ("article_id", pa.string()),
    ("sentence_index", pa.int32()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("sentence", pa.string()),
    ("actor", pa.string()),
    ("actor_name", pa.string()),
    ("recipient", pa.string()),
    ("recipient_name", pa.string()),
    ("level", pa.int8()),
    ("label", pa.string()),
    ("confidence", pa.float64()),
    ("review", pa.bool_()),
    ("review_reason", pa.string()),
    ("model_version", pa.string()),
])  # fmt: skip
"""One row per sentence that states a stance. ``actor``/``recipient`` are codes
(``DEU``), taken from the last sentence of the article that named one when the
sentence names none (as the article summary does); null when none was named yet."""

ARTICLES = pa.schema([
    ("article_id", pa.string()),
    ("date", pa.date32()),
    ("month", pa.string()),
    ("source", pa.string()),
    ("title", pa.string()),
    ("where", pa.string()),
    ("sentences", pa.int32()),
    ("statements", pa.int32()),
])  # fmt: skip
"""One row per article read: where it came from, how many sentences and statements."""

ORDER = [("date", "ascending"), ("article_id", "ascending"), ("sentence_index", "ascending")]
PARTS = ".parts"


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden temporary file beside ``path``, flush it to disk, rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(tmp, path)


def write_part(out: Path, key: str, statements: list[dict], record: dict[str, Any]) -> None:
    """A finished partition: its statements, then its commit record (both atomic)."""
    folder = out / PARTS
    folder.mkdir(parents=True, exist_ok=True)
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(statements, schema=STATEMENTS), sink)
    write_atomic_bytes(folder / f"{key}.parquet", sink.getvalue().to_pybytes())
    write_atomic_bytes(folder / f"{key}.json", json.dumps(record).encode())


def finished_parts(out: Path) -> set[str]:
    folder = out / PARTS
    return {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()


def read_part(out: Path, key: str) -> tuple[pa.Table, dict[str, Any]]:
    folder = out / PARTS
    record = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    return pq.read_table(folder / f"{key}.parquet", schema=STATEMENTS), record


def prune_parts(out: Path, keep: Iterable[str]) -> None:
    """Remove the result files of partitions no longer in the archive, and temporary
    files killed runs left."""
    keep = set(keep)
    folder = out / PARTS
    for path in folder.glob("*") if folder.is_dir() else []:
        stem = path.name.split(".")[0]
        if path.name.startswith(".") or stem not in keep:
            path.unlink(missing_ok=True)


def recover(out: Path) -> None:
    """Put back the table a run killed between its two renames had moved aside."""
    final = out / "statements"
    old = sorted(out.glob(".statements.*.old"))
    if not final.exists() and old:
        os.replace(old[-1], final)
    for leftover in out.glob(".statements.*"):
        shutil.rmtree(leftover, ignore_errors=True)


def read_table(out: Path) -> pa.Table:
    """The statements table of ``out`` (empty when there is none yet), in table order."""
    folder = out / "statements"
    if not folder.is_dir():
        return STATEMENTS.empty_table()
    files = sorted(folder.glob("month=*/part-*.parquet"))
    if not files:
        return STATEMENTS.empty_table()
    table = pa.concat_tables(pq.read_table(f, schema=STATEMENTS) for f in files)
    return table.sort_by(ORDER)


def read_articles(out: Path) -> pa.Table:
    path = out / "articles.parquet"
    return pq.read_table(path, schema=ARTICLES) if path.is_file() else ARTICLES.empty_table()


def write_table(out: Path, statements: pa.Table, articles: pa.Table) -> None:
    """Replace the statements table (one file per month, rows in table order) and the
    articles table. The new table is built in a hidden folder and swapped in by
    renames, so a reader (or a killed run) sees the old table or the new one."""
    statements = statements.sort_by(ORDER)
    staging = out / f".statements.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    months = statements.column("month").to_pylist()
    for month in sorted(set(months)):
        rows = statements.filter(pc.equal(statements.column("month"), month))
        (staging / f"month={month}").mkdir()
        pq.write_table(rows, staging / f"month={month}" / "part-0.parquet")
    final, old = out / "statements", out / f".statements.{os.getpid()}.old"
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    sink = pa.BufferOutputStream()
    pq.write_table(articles.sort_by([("date", "ascending"), ("article_id", "ascending")]), sink)
    write_atomic_bytes(out / "articles.parquet", sink.getvalue().to_pybytes())
