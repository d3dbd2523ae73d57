"""The analysts' corrections and the logged predictions, in SQLite or PostgreSQL.

One SQLAlchemy database chosen by ``STANCEMETER_DATABASE_URL``: an SQLite file under
``var/`` by default (WAL mode, created on first use), ``postgresql+psycopg://...`` for a
team. The schema is Alembic's (``store/migrations``), applied when a store opens. Used by
``service`` (the API) and ``training`` (``make train``, ``make evaluate``); ``classifier``
knows nothing of it.

The records and the error are plain Python; what needs SQLAlchemy (the store itself,
:func:`redacted`, the review orders) is imported on first use (PEP 562), so a service
worker that nobody corrects does not carry SQLAlchemy (about 19 MB).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from store.fields import text_hash
from store.records import CorrectionFilter, NewCorrection, StoreError

if TYPE_CHECKING:
    from store.corrections import CorrectionStore
    from store.engine import redacted
    from store.predictions import REVIEW_ORDERS

_LAZY = {
    "CorrectionStore": "store.corrections",
    "redacted": "store.engine",
    "REVIEW_ORDERS": "store.predictions",
}

__all__ = [
    "REVIEW_ORDERS",
    "CorrectionFilter",
    "CorrectionStore",
    "NewCorrection",
    "StoreError",
    "redacted",
    "text_hash",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
