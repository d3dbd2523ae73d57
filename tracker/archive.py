"""An archive of dated articles: its files, their partitions, and the articles of one
partition, each checked (a bad one becomes a reject with its reason, never an error).

An archive is a folder (searched recursively, in name order) of JSON Lines files
(``.jsonl``, ``.ndjson``) and Parquet files (``.parquet``), one article per line or
row: ``date`` (ISO date, or an ISO date-time whose date is taken), ``source``,
``title`` (optional), ``text``, and optionally ``id``. An article without an ``id``
gets one from its content (a hash of source, date, title and text), so the same
article in two files is one article.

A partition is a run of lines of a JSON Lines file (found by byte offsets, so a
worker reads only its own part) or one row group of a Parquet file. Its key hashes
the file's content, the range and everything else that decides its result, so a
finished partition is recognised on the next run and never redone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIX = ".parquet"


@dataclass(frozen=True)
class Partition:
    """Where a partition's articles are: ``[start, end)`` bytes of a JSON Lines file
    (``first_line`` is the line number of ``start``), or row group ``start`` of a
    Parquet file."""

    path: str
    name: str
    kind: str  # "jsonl" or "parquet"
    start: int
    end: int
    first_line: int
    file_sha: str

    def key(self, *context: str) -> str:
        parts = [self.name, self.kind, str(self.start), str(self.end), self.file_sha, *context]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Article:
    id: str
    date: date
    source: str
    title: str | None
    text: str
    where: str  # file and line (or row), for the rejects and the articles table


@dataclass(frozen=True)
class Reject:
    where: str
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "id": self.id, "reason": self.reason}


class ArchiveError(Exception):
    """The archive cannot be read at all (missing, empty, unreadable file)."""


def archive_files(root: Path) -> list[Path]:
    """The archive's files in name order; a single file is an archive of one."""
    if root.is_file():
        files = [root]
    elif root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file() and _kind(p))
    else:
        raise ArchiveError(f"{root}: no such file or folder")
    files = [f for f in files if _kind(f)]
    if not files:
        raise ArchiveError(f"{root}: no .jsonl, .ndjson or .parquet files")
    return files


def _kind(path: Path) -> str | None:
    if path.suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "parquet" if path.suffix == PARQUET_SUFFIX else None


def plan(root: Path, articles_per_partition: int) -> list[Partition]:
    """Every partition of the archive, in file and line order."""
    partitions = []
    for path in archive_files(root):
        name = str(path.relative_to(root)) if root.is_dir() else path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ArchiveError(f"cannot read {path}: {exc.strerror}") from exc
        sha = hashlib.sha256(data).hexdigest()
        if _kind(path) == "parquet":
            partitions += _parquet_partitions(path, name, sha)
        else:
            partitions += _jsonl_partitions(path, name, sha, data, articles_per_partition)
    return partitions


def _jsonl_partitions(path: Path, name: str, sha: str, data: bytes, size: int) -> list[Partition]:
    starts = [0]
    position = data.find(b"\n")
    while position != -1 and position + 1 < len(data):
        starts.append(position + 1)
        position = data.find(b"\n", position + 1)
    if not data:
        return []
    bounds = [*starts[::size], len(data)]
    return [
        Partition(str(path), name, "jsonl", a, b, 1 + i * size, sha)
        for i, (a, b) in enumerate(pairwise(bounds))
    ]


def _parquet_partitions(path: Path, name: str, sha: str) -> list[Partition]:
    import pyarrow.parquet as pq

    try:
        groups = pq.ParquetFile(path).num_row_groups
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise ArchiveError(f"{path}: not a readable Parquet file ({exc})") from exc
    return [Partition(str(path), name, "parquet", g, g + 1, 1, sha) for g in range(groups)]


def read_partition(partition: Partition) -> tuple[list[Article], list[Reject]]:
    """The partition's articles, each checked; the bad ones as rejects."""
    articles, rejects = [], []
    for where, record in _records(partition):
        result = check_record(record, where)
        (rejects if isinstance(result, Reject) else articles).append(result)
    return articles, rejects


def _records(partition: Partition) -> list[tuple[str, Any]]:
    if partition.kind == "parquet":
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(partition.path).read_row_group(partition.start).to_pylist()
        offset = sum(
            pq.ParquetFile(partition.path).metadata.row_group(g).num_rows
            for g in range(partition.start)
        )
        return [(f"{partition.name}:row {offset + i + 1}", row) for i, row in enumerate(rows)]
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        chunk = stream.read(partition.end - partition.start)
    records: list[tuple[str, Any]] = []
    for number, raw in enumerate(chunk.splitlines(), partition.first_line):
        where = f"{partition.name}:{number}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            records.append((where, _NotUTF8))
            continue
        try:
            records.append((where, json.loads(line)))
        except ValueError:
            records.append((where, _NotJSON))
    return records


_NotUTF8 = object()
_NotJSON = object()


def check_record(record: Any, where: str) -> Article | Reject:
    """An article, or the reason it cannot be one."""
    if record is _NotUTF8:
        return Reject(where, "not UTF-8")
    if record is _NotJSON or not isinstance(record, dict):
        return Reject(where, "not a JSON object")
    raw_id = record.get("id")
    given_id = str(raw_id) if isinstance(raw_id, (str, int)) and str(raw_id).strip() else None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Reject(where, "no text", given_id)
    day = parse_date(record.get("date"))
    if day is None:
        return Reject(where, f"bad date {record.get('date')!r}", given_id)
    source = record.get("source")
    if not isinstance(source, str) or not source.strip():
        return Reject(where, "no source", given_id)
    title = record.get("title")
    title = title if isinstance(title, str) and title.strip() else None
    article_id = given_id or content_id(source, day, title, text)
    return Article(article_id, day, source.strip(), title, text, where)


def parse_date(value: Any) -> date | None:
    """The date of an ISO date or date-time (string, or a Parquet date/timestamp)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        if len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def content_id(source: str, day: date, title: str | None, text: str) -> str:
    digest = hashlib.sha256("\x1f".join([source, day.isoformat(), title or "", text]).encode())
    return digest.hexdigest()[:16]
