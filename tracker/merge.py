"""From the partitions' result files to the statements table, the articles table, the
rejects file and the report.

Every article is in the table once: an article id met again (the same article in
two files, or twice in one) is a reject naming where it was first seen. A run with
``--since`` keeps the table as it was and adds the articles of this run that are
not in it yet.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from tracker.report import write_report
from tracker.table import (
    ARTICLES,
    STATEMENTS,
    read_articles,
    read_part,
    read_table,
    write_atomic_bytes,
)
from tracker.table import write_table as write_statements

REJECTS = "rejects.jsonl"


def merge(out: Path, keys: list[str], since: str | None, version: str) -> tuple[int, int, int]:
    """Write the tables, the rejects and the report; returns (articles, statements, rejects)."""
    base_articles = read_articles(out) if since is not None else ARTICLES.empty_table()
    seen = {a: w for a, w in zip(base_articles.column("article_id").to_pylist(),
                                 base_articles.column("where").to_pylist())}  # fmt: skip
    old_statements = read_table(out) if since is not None else None
    tables, articles, rejects = [], [], []
    for key in keys:
        statements, record = read_part(out, key)
        rejects += record["rejects"]
        new_ids = []
        for article in record["articles"]:
            first = seen.get(article["article_id"])
            if first is None:
                seen[article["article_id"]] = article["where"]
                articles.append(article)
                new_ids.append(article["article_id"])
            elif since is None:
                rejects.append({"where": article["where"], "id": article["article_id"],
                                "reason": f"duplicate of the article at {first}"})  # fmt: skip
        if len(new_ids) != len(record["articles"]):
            statements = statements.filter(pc.is_in(statements.column("article_id"),
                                                    pa.array(new_ids, pa.string())))  # fmt: skip
        tables.append(statements)
    new_articles = pa.Table.from_pylist(
        [{**a, "date": date.fromisoformat(a["date"])} for a in articles], schema=ARTICLES
    )
    if old_statements is not None:
        tables.insert(0, old_statements)
        new_articles = pa.concat_tables([base_articles, new_articles])
    statements = pa.concat_tables(tables) if tables else STATEMENTS.empty_table()
    write_statements(out, statements, new_articles)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rejects)
    write_atomic_bytes(out / REJECTS, lines.encode("utf-8"))
    write_report(out, read_table(out), new_articles, rejects, version)
    return new_articles.num_rows, statements.num_rows, len(rejects)
