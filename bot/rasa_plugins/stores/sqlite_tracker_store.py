"""Rasa's SQL tracker store on SQLite, with pooled connections and a write-ahead log.

Rasa 3.6 opens a new SQLite connection for each read and each write of a
conversation (SQLAlchemy's NullPool) and commits in SQLite's default
rollback-journal mode, which syncs the file twice per turn. This store keeps
Rasa's tables and behaviour and changes only the connection: one pooled
connection per thread, the WAL journal (readers such as ``bot stats`` never
block the bot) and ``synchronous=NORMAL`` (a commit is durable against a
crash of the process; a power cut can lose the last turns, never corrupt
the file). Leads live in their own database with full syncs. Turns are read
and saved with plain SQL (:mod:`bot.rasa_plugins.stores.sql_tracker_store`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import SingletonThreadPool

from bot.rasa_plugins.stores.sql_tracker_store import LeanSQLTrackerStore

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _set_pragmas(connection: Any, record: Any) -> None:
    cursor = connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class SQLiteTrackerStore(LeanSQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` for a SQLite file (``endpoints.yml``: ``db``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Takes ``SQLTrackerStore``'s arguments; the dialect is always SQLite."""
        super().__init__(*args, **{**kwargs, "dialect": "sqlite"})
        rasas_engine: sa.engine.Engine = self.engine
        rasas_engine.dispose()
        pooled = sa.create_engine(rasas_engine.url, poolclass=SingletonThreadPool)
        sa.event.listen(pooled, "connect", _set_pragmas)
        self.use_engine(pooled)
