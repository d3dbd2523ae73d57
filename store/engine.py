"""Opening the database: the engine for a URL, SQLite's settings, and the migrations
applied under a lock so that several gunicorn workers starting at once apply them once."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from store.records import StoreError

MIGRATIONS = "store:migrations"
PG_MIGRATION_LOCK = 7_351_013  # any constant: the advisory lock id of the migrations
SQLITE_BUSY_SECONDS = 30


def redacted(url: str) -> str:
    """The URL without its password, for logs and manifests."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable database URL>"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def exists(url: str) -> bool:
    """False only for an SQLite file that was never created (nothing stored yet)."""
    path = sqlite_path(url)
    return path is None or path.exists()


def make_engine(url: str) -> Engine:
    """The engine for ``url``; SQLite in WAL mode with full syncs and a busy timeout,
    its directory created on first use."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"STANCEMETER_DATABASE_URL is not a database URL: {exc}") from None
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, pool_size=2, max_overflow=4)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # SQLAlchemy's begin event emits BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # a writing transaction takes the write lock at once: a deferred one that read
        # first could not upgrade after another writer committed (SQLITE_BUSY at once)
        write = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextlib.contextmanager
def _migration_lock(engine: Engine, url: str) -> Iterator[Connection]:
    path = sqlite_path(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": PG_MIGRATION_LOCK})
            connection.commit()
            try:
                yield connection
            finally:
                connection.rollback()
                connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": PG_MIGRATION_LOCK}
                )
                connection.commit()
    elif path is not None:
        with open(path.with_name(path.name + ".migrate-lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with engine.connect() as connection:
                yield connection
    else:
        with engine.connect() as connection:
            yield connection


def migrate(engine: Engine, url: str) -> None:
    """Bring the schema to the newest migration (nothing to do when it is there).

    Alembic is imported here, not with the module: a service worker that nobody sends
    a correction to never opens the store, and alembic (with mako) is 11 MB of it."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    try:
        with _migration_lock(engine, url) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the database {redacted(url)}: {exc}") from exc
