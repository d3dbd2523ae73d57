"""The store's operations: add, list, delete and export corrections, log predictions,
and the review queue. Every write is one transaction: all of it or none of it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from store.engine import make_engine, migrate, redacted
from store.fields import as_utc, text_hash, utcnow
from store.predictions import PredictionLog
from store.records import CorrectionFilter, NewCorrection, StoreError
from store.tables import Correction


def correction_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "text_hash": row.text_hash,
        "label": row.label,
        "model_version": row.model_version,
        "predicted_label": row.predicted_label,
        "probabilities": row.probabilities,
        "actor": row.actor,
        "recipient": row.recipient,
        "annotator": row.annotator,
        "note": row.note,
        "created_at": as_utc(row.created_at).isoformat(),
        "seconds_spent": row.seconds_spent,
        "source": row.source,
        "client_key": row.client_key,
    }


class CorrectionStore(PredictionLog):
    """The database behind one URL; the schema is brought up to date when it opens."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine, url)

    def __repr__(self) -> str:
        return f"CorrectionStore({redacted(self.url)!r})"

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """One writing transaction: committed whole, or rolled back whole."""
        try:
            connect = self.engine.connect().execution_options(write=True)
            with connect as connection, connection.begin():
                yield connection
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"the database {redacted(self.url)} failed: {exc}") from exc

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection, connection.begin():
                yield connection
        except SQLAlchemyError as exc:
            raise StoreError(f"the database {redacted(self.url)} failed: {exc}") from exc

    # corrections ----------------------------------------------------------------------

    def add(self, items: Sequence[NewCorrection]) -> list[tuple[dict[str, Any], bool]]:
        """Store ``items`` in one transaction; each with whether it is new. An item whose
        ``client_key`` this annotator used before is not stored again: the stored one
        comes back (``False``), so a client may resend a batch it got no answer to."""
        for attempt in range(3):
            try:
                return self._add(items)
            except IntegrityError:
                if attempt == 2:  # pragma: no cover - three races in a row
                    raise StoreError("the same client_key was being stored at once") from None
        raise AssertionError("unreachable")

    def _add(self, items: Sequence[NewCorrection]) -> list[tuple[dict[str, Any], bool]]:
        now = utcnow()
        with self._write() as connection:
            known = self._known_keys(connection, items)
            results: list[tuple[dict[str, Any], bool]] = []
            for item in items:
                key = (item.annotator, item.client_key)
                if item.client_key is not None and key in known:
                    results.append((known[key], False))
                    continue
                values = {**asdict(item), "text_hash": text_hash(item.text), "created_at": now}
                inserted = connection.execute(insert(Correction).values(**values))
                stored = correction_dict(
                    SimpleNamespace(id=inserted.inserted_primary_key[0], **values)
                )
                if item.client_key is not None:
                    known[key] = stored
                results.append((stored, True))
            return results

    @staticmethod
    def _known_keys(
        connection: Connection, items: Sequence[NewCorrection]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        keys = {(i.annotator, i.client_key) for i in items if i.client_key is not None}
        known: dict[tuple[str, str], dict[str, Any]] = {}
        for annotator in {a for a, _ in keys}:
            wanted = [k for a, k in keys if a == annotator]
            query = select(Correction).where(
                Correction.annotator == annotator, Correction.client_key.in_(wanted)
            )
            for row in connection.execute(query):
                known[(row.annotator, row.client_key)] = correction_dict(row)
        return known

    @staticmethod
    def _filtered(query: Select, where: CorrectionFilter) -> Select:
        conditions = []
        if where.label is not None:
            conditions.append(Correction.label == where.label)
        if where.annotator is not None:
            conditions.append(Correction.annotator == where.annotator)
        if where.model_version is not None:
            conditions.append(Correction.model_version == where.model_version)
        if where.since is not None:
            conditions.append(Correction.created_at >= where.since)
        if where.until is not None:
            conditions.append(Correction.created_at < where.until)
        return query.where(and_(*conditions)) if conditions else query

    def list(
        self, where: CorrectionFilter | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many match, the page of them), newest first."""
        where = where or CorrectionFilter()
        with self._read() as connection:
            total = connection.execute(
                self._filtered(select(func.count()).select_from(Correction), where)
            ).scalar_one()
            query = self._filtered(select(Correction), where)
            query = query.order_by(Correction.created_at.desc(), Correction.id.desc())
            rows = connection.execute(query.limit(limit).offset(offset))
            return total, [correction_dict(row) for row in rows]

    def get(self, correction_id: int) -> dict[str, Any] | None:
        with self._read() as connection:
            row = connection.execute(select(Correction).where(Correction.id == correction_id))
            found = row.first()
            return correction_dict(found) if found else None

    def delete(self, correction_id: int) -> bool:
        with self._write() as connection:
            deleted = connection.execute(delete(Correction).where(Correction.id == correction_id))
            return deleted.rowcount == 1

    def export(self) -> Iterator[dict[str, Any]]:
        """Every correction in the corpus format (``text``, ``label``, the rest as
        metadata), oldest first: the order in which later ones win."""
        with self._read() as connection:
            query = select(Correction).order_by(Correction.created_at, Correction.id)
            for row in connection.execute(query):
                record = {"text": row.text, "label": row.label}
                record.update(
                    {
                        "source": "correction",
                        "correction_id": row.id,
                        "annotator": row.annotator,
                        "created_at": as_utc(row.created_at).isoformat(),
                        "model_version": row.model_version,
                        "predicted_label": row.predicted_label,
                    }
                )
                record.update(
                    {
                        k: v
                        for k in ("actor", "recipient", "note")
                        if (v := getattr(row, k)) is not None
                    }
                )
                yield record
