"""The SQLAlchemy engine of the lead store, tuned per backend.

SQLite gets foreign keys, WAL and a busy timeout on every connection, and
transactions this package opens itself: a plain ``BEGIN`` to read and ``BEGIN
IMMEDIATE`` to write, so that concurrent writers queue for the lock instead of
failing when a read transaction turns into a write. Its connections are kept
in a pool, as SQLAlchemy 2.0 does for a database file: SQLAlchemy 1.4 opened
and closed one per transaction, and closing the last one of a WAL database
checkpoints it, on every lead stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import QueuePool

from bot.leads.store.errors import LeadStoreError, store_errors

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRESQL_CONNECT_TIMEOUT_SECONDS = 10
_WRITE_OPTION = "lead_store_write"


def create_engine_for(database_url: str) -> Engine:
    """An engine (SQLAlchemy 1.4, ``future=True``) for the lead store's database.

    A ``sqlite:///path`` URL gets its folder created; a PostgreSQL URL gets
    ``pool_pre_ping``. Nothing connects yet.

    Raises:
        LeadStoreError: the URL is malformed, names an unknown driver, or the
            SQLite folder cannot be created.
    """
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise LeadStoreError(f"could not parse the database URL: {error}") from error
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    options: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        options["pool_pre_ping"] = True
        if url.get_driver_name() == "psycopg2":
            options["connect_args"] = {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_SECONDS}
    with store_errors("open the database"):
        return create_engine(url, future=True, hide_parameters=True, **options)


def for_writing(engine: Engine) -> Engine:
    """``engine`` for transactions that write (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LeadStoreError(f"could not create the database folder: {error}") from error
    options: dict[str, Any] = {}
    if url.database and url.database != ":memory:":
        # A pooled connection serves one thread at a time, any thread.
        options = {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}
    with store_errors("open the database"):
        engine = create_engine(url, future=True, hide_parameters=True, **options)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:
    # The driver must not open transactions on its own: _begin_sqlite_transaction does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    writing = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
