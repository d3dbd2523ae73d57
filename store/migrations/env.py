"""Alembic's environment: migrations run on the connection the store hands over
(``config.attributes["connection"]``), inside its lock; see store/engine.py."""

from __future__ import annotations

from alembic import context

from store.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")  # fmt: skip
with context.begin_transaction():
    context.run_migrations()
