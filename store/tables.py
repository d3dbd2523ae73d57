"""The tables, as SQLAlchemy 2 declarative models (the migrations create the same)."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Correction(Base):
    """An analyst's label for a text, beside what the model said about it then."""

    __tablename__ = "corrections"
    __table_args__ = (
        UniqueConstraint("annotator", "client_key", name="uq_corrections_annotator_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    model_version: Mapped[str | None] = mapped_column(String(128), index=True)
    predicted_label: Mapped[str | None] = mapped_column(String(16))
    probabilities: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    label: Mapped[str] = mapped_column(String(16), index=True)
    actor: Mapped[str | None] = mapped_column(String(16))
    recipient: Mapped[str | None] = mapped_column(String(16))
    annotator: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), index=True)
    seconds_spent: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(8))
    client_key: Mapped[str | None] = mapped_column(String(64))


class Prediction(Base):
    """A prediction the service made, logged (when asked) for the review queue."""

    __tablename__ = "predictions"
    __table_args__ = (
        UniqueConstraint("text_hash", "model_version", name="uq_predictions_text_model"),
        Index("ix_predictions_model_confidence", "model_version", "confidence"),
        Index("ix_predictions_model_margin", "model_version", "margin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    model_version: Mapped[str] = mapped_column(String(128))
    label: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    margin: Mapped[float] = mapped_column(Float)
    probabilities: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
