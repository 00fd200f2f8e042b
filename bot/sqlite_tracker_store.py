"""Rasa's SQL tracker store on SQLite, with pooled connections and a write-ahead log.

Rasa 3.6 opens a new SQLite connection for each read and each write of a
conversation (SQLAlchemy's NullPool) and commits in SQLite's default
rollback-journal mode, which syncs the file twice per turn. This store keeps
Rasa's tables and behaviour and changes only the connection: one pooled
connection per thread, the WAL journal (readers such as ``bot stats`` never
block the bot) and ``synchronous=NORMAL`` (a commit is durable against a
crash of the process; a power cut can lose the last turns, never corrupt
the file). Leads live in their own database with full syncs.

Reading and saving a conversation run Rasa's own queries as plain SQL on the
driver's connection. Rasa builds them with SQLAlchemy's ORM on every turn, and
compiling them (cache keys, sessions, a ``COUNT`` through a subquery) took
about a fifth of the Rasa server's CPU per message under load.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.pool import SingletonThreadPool

logger = logging.getLogger(__name__)

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
# Rasa's SQLTrackerStore._event_query: a conversation's events from its latest
# session start on (all of them when it never started a session), in order.
_SESSION_EVENTS = f"""
    WITH session AS (
        SELECT max(timestamp) AS started FROM events
        WHERE sender_id = :sender AND type_name = '{SessionStarted.type_name}'
    )
    SELECT {{columns}} FROM events, session
    WHERE sender_id = :sender AND (session.started IS NULL OR timestamp >= session.started)
"""
SELECT_SESSION_EVENTS = _SESSION_EVENTS.format(columns="data") + " ORDER BY id"
COUNT_SESSION_EVENTS = _SESSION_EVENTS.format(columns="count(*)")
INSERT_EVENT = """
    INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)
    VALUES (:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)
"""


def _set_pragmas(connection: Any, record: Any) -> None:
    cursor = connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class SQLiteTrackerStore(SQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` for a SQLite file (``endpoints.yml``: ``db``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Takes ``SQLTrackerStore``'s arguments; the dialect is always SQLite."""
        super().__init__(*args, **{**kwargs, "dialect": "sqlite"})
        rasas_engine: sa.engine.Engine = self.engine  # type: ignore[has-type]  # untyped in Rasa
        rasas_engine.dispose()
        self.engine = sa.create_engine(rasas_engine.url, poolclass=SingletonThreadPool)
        sa.event.listen(self.engine, "connect", _set_pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor on the thread's pooled connection, committed when the block ends."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            yield cursor
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()  # back to the pool

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``; the latest session's events by plain SQL."""
        if fetch_events_from_all_sessions:  # rare (exports, ``bot stats``): Rasa's own query
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self._cursor() as cursor:
            rows = cursor.execute(SELECT_SESSION_EVENTS, {"sender": sender_id}).fetchall()
        if self.domain is None or not rows:
            return None
        events = [json.loads(data) for (data,) in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save``: streams the events, then stores those not stored yet."""
        await self.stream_events(tracker)
        with self._cursor() as cursor:
            (stored,) = cursor.execute(
                COUNT_SESSION_EVENTS, {"sender": tracker.sender_id}
            ).fetchone()
            rows = [
                _event_row(tracker.sender_id, event.as_dict(), event.type_name)
                for event in list(tracker.events)[stored:]
            ]
            cursor.executemany(INSERT_EVENT, rows)
        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")


def _event_row(sender_id: str, data: dict[str, Any], type_name: str) -> dict[str, Any]:
    """One row of Rasa's ``events`` table, with the columns Rasa fills."""
    return {
        "sender_id": sender_id,
        "type_name": type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
