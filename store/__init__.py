"""The analysts' corrections and the logged predictions, in SQLite or PostgreSQL.

One SQLAlchemy database chosen by ``STANCEMETER_DATABASE_URL``: an SQLite file under
``var/`` by default (WAL mode, created on first use), ``postgresql+psycopg://...`` for a
team. The schema is Alembic's (``store/migrations``), applied when a store opens. Used by
``service`` (the API) and ``training`` (``make train``, ``make evaluate``); ``classifier``
knows nothing of it.
"""

from store.corrections import CorrectionFilter, CorrectionStore, NewCorrection
from store.engine import StoreError, redacted
from store.fields import text_hash
from store.predictions import REVIEW_ORDERS

__all__ = [
    "REVIEW_ORDERS",
    "CorrectionFilter",
    "CorrectionStore",
    "NewCorrection",
    "StoreError",
    "redacted",
    "text_hash",
]
