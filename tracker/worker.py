"""What runs on a Dask worker: the model, loaded once per worker process, and the
analysis of one partition of the archive into its result files.

The model never travels with a task: a task carries the model's directory, and
:func:`model_for` loads it the first time a process needs it and keeps it. On a
distributed cluster :class:`LoadModel` (a worker plugin) loads it as each worker
starts, so no task pays for it; on the local scheduler the first task does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from classifier.articles import analyze_article
from classifier.model import StanceModel, load_model
from tracker.archive import Article, Partition, read_partition
from tracker.table import write_part

_MODELS: dict[str, StanceModel] = {}


def model_for(model_dir: str) -> StanceModel:
    """The model in ``model_dir``, loaded (and verified) once per process."""
    model = _MODELS.get(model_dir)
    if model is None:
        model = _MODELS[model_dir] = load_model(Path(model_dir), Path(model_dir).parent, lean=True)
    return model


class LoadModel(WorkerPlugin):
    """Loads the model into each worker as it starts (and into workers that join later)."""

    name = "stancemeter-model"

    def __init__(self, model_dir: str) -> None:
        self.model_dir = model_dir

    def setup(self, worker: Any) -> None:
        # one small article too, so that the sentence splitter is built before any task
        analyze_article(model_for(self.model_dir), "The worker starts. It reads an article.")


def statements_of(model: StanceModel, article: Article) -> tuple[list[dict[str, Any]], int]:
    """The article's stance statements as table rows, and its number of sentences.

    A sentence that names no actor (or recipient) takes the last one the article
    named before it, as :func:`classifier.articles.summarise` does."""
    analysed = analyze_article(model, article.text)
    rows, actor, recipient = [], None, None
    month = article.date.strftime("%Y-%m")
    for sentence in analysed.sentences:
        p = sentence.prediction
        if p is None:
            continue
        actor, recipient = p.actor or actor, p.recipient or recipient
        rows.append({
            "date": article.date, "month": month, "source": article.source,
            "article_id": article.id, "sentence_index": sentence.index,
            "start": sentence.start, "end": sentence.end, "sentence": sentence.text,
            "actor": actor.code if actor else None, "actor_name": actor.name if actor else None,
            "recipient": recipient.code if recipient else None,
            "recipient_name": recipient.name if recipient else None,
            "level": p.level, "label": p.label, "confidence": p.confidence,
            "review": p.review, "review_reason": p.reason, "model_version": model.version,
        })  # fmt: skip
    return rows, len(analysed.sentences)


def run_partition(
    partition: Partition, key: str, model_dir: str, out: str, since: str | None
) -> dict[str, Any]:
    """Analyse one partition and write its result files; returns its commit record.

    Articles dated before ``since`` (an ISO date) are left out of it: they are not
    this run's. The caller never gets the statements back: they are on disk."""
    model = model_for(model_dir)
    articles, rejects = read_partition(partition)
    statements, kept = [], []
    for article in articles:
        if since is not None and article.date.isoformat() < since:
            continue
        rows, sentences = statements_of(model, article)
        statements += rows
        kept.append({
            "article_id": article.id, "date": article.date.isoformat(),
            "month": article.date.strftime("%Y-%m"), "source": article.source,
            "title": article.title, "where": article.where,
            "sentences": sentences, "statements": len(rows),
        })  # fmt: skip
    record = {"key": key, "articles": kept, "rejects": [r.to_dict() for r in rejects],
              "sentences": sum(a["sentences"] for a in kept)}  # fmt: skip
    write_part(Path(out), key, statements, record)
    return {k: v for k, v in record.items() if k != "articles"} | {"articles": len(kept)}
