"""How values are kept: the hash that identifies a text, and times in UTC."""

from __future__ import annotations

import datetime
import hashlib


def text_hash(text: str) -> str:
    """SHA-256 of the text folded as the corpus compares texts (case and spacing ignored)."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    """SQLite hands back naive times; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
