"""The logged predictions and the review queue, as part of the store (a mixin of
:class:`store.corrections.CorrectionStore`, which supplies the engine and transactions)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.dialects import postgresql, sqlite

from store.fields import as_utc, text_hash, utcnow
from store.tables import Correction, Prediction

REVIEW_ORDERS = ("least_confidence", "breaking_ties")
"""Least confidence: the lowest top probability first. Breaking ties: the smallest
difference between the two most probable labels first (small-text, Prodigy)."""


def _prediction_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "text_hash": row.text_hash,
        "model_version": row.model_version,
        "label": row.label,
        "confidence": row.confidence,
        "margin": row.margin,
        "probabilities": row.probabilities,
        "logged_at": as_utc(row.created_at).isoformat(),
    }


class PredictionLog:
    """What the store does with predictions; ``CorrectionStore`` gives it its engine and
    its transactions (``_write``, ``_read``)."""

    engine: Engine

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def _read(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def log_predictions(self, rows: Sequence[dict[str, Any]]) -> int:
        """Log predictions (``text``, ``model_version``, ``label``, ``probabilities``);
        a text already logged for that model version is kept once. Returns how many
        were new."""
        if not rows:
            return 0
        now, values, seen = utcnow(), [], set()
        for row in rows:
            key = (text_hash(row["text"]), row["model_version"])
            if key in seen:
                continue
            seen.add(key)
            top = sorted(row["probabilities"].values(), reverse=True)
            values.append(
                {
                    "text_hash": key[0],
                    "text": row["text"],
                    "model_version": key[1],
                    "label": row["label"],
                    "confidence": top[0],
                    "margin": top[0] - (top[1] if len(top) > 1 else 0.0),
                    "probabilities": row["probabilities"],
                    "created_at": now,
                }
            )
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(Prediction)
            .values(values)
            .on_conflict_do_nothing(index_elements=["text_hash", "model_version"])
        )
        with self._write() as connection:
            return len(connection.execute(statement.returning(Prediction.id)).all())

    def review_queue(
        self,
        model_version: str,
        order: str = "least_confidence",
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many are waiting, the page): the predictions of ``model_version`` whose
        text no analyst has corrected or confirmed yet, least certain first."""
        if order not in REVIEW_ORDERS:
            raise ValueError(f"order must be one of {', '.join(REVIEW_ORDERS)}")
        corrected = select(Correction.id).where(Correction.text_hash == Prediction.text_hash)
        waiting = and_(Prediction.model_version == model_version, ~corrected.exists())
        key = Prediction.confidence if order == "least_confidence" else Prediction.margin
        with self._read() as connection:
            total = connection.execute(
                select(func.count()).select_from(Prediction).where(waiting)
            ).scalar_one()
            query = select(Prediction).where(waiting).order_by(key, Prediction.id)
            rows = connection.execute(query.limit(limit).offset(offset))
            return total, [_prediction_dict(row) for row in rows]
