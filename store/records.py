"""What the store takes and the error it raises: plain Python, importable without
SQLAlchemy, so that a service worker that nobody corrects never loads it (about 19 MB)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""


@dataclass(frozen=True)
class NewCorrection:
    text: str
    label: str
    annotator: str
    source: str = "api"
    model_version: str | None = None
    predicted_label: str | None = None
    probabilities: dict[str, float] | None = None
    actor: str | None = None
    recipient: str | None = None
    note: str | None = None
    seconds_spent: float | None = None
    client_key: str | None = None


@dataclass(frozen=True)
class CorrectionFilter:
    label: str | None = None
    annotator: str | None = None
    model_version: str | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
