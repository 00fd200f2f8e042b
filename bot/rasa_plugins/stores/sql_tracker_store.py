"""Rasa's SQL tracker store, reading and saving a conversation with plain SQL.

Rasa 3.6's ``SQLTrackerStore`` builds its queries with SQLAlchemy's ORM on
every turn: a session, a query through a subquery for the latest session
start, and a ``COUNT`` of the stored events before each save. Compiling them
(cache keys, deep copies of the query) cost more than running them. This
store keeps Rasa's table, its columns and its semantics (the latest session's
events; only the events not stored yet are added) and runs the same queries,
compiled once for the database's driver, on a pooled connection's cursor:
SQLAlchemy's execution and result layers, a share of every turn's CPU even once
the queries were plain text, are left out of the turn. Everything else (creating the database
and table, reading every session of a conversation, listing conversations)
stays Rasa's.

``endpoints.yml``: ``tracker_store: {type:
bot.rasa_plugins.stores.sql_tracker_store.LeanSQLTrackerStore, dialect: postgresql, url:
host, port: 5432, db: ..., username: ..., password: ...}``.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.rasa_plugins.stores.events_table import WRITTEN_COLUMNS

logger = logging.getLogger(__name__)
_Result = TypeVar("_Result")

# Rasa's SQLTrackerStore._event_query: a conversation's events from its latest
# session start on (all of them when it never started a session), in order.
_SESSION_EVENTS = """
    WITH session AS (
        SELECT max(timestamp) AS started FROM {table}
        WHERE sender_id = :sender AND type_name = '{session_started}'
    )
    SELECT {columns} FROM {table}, session
    WHERE sender_id = :sender AND (session.started IS NULL OR timestamp >= session.started)
"""
_INSERT_EVENT = (
    f"INSERT INTO {{table}} ({', '.join(WRITTEN_COLUMNS)})"
    f" VALUES ({', '.join(':' + column for column in WRITTEN_COLUMNS)})"
)


@dataclass(frozen=True)
class DriverStatement:
    """A statement as the database driver takes it, and the order of its parameters."""

    sql: str
    positions: tuple[str, ...] | None  # the parameters' names in order; None: by name

    @classmethod
    def compile(cls, statement: sa.TextClause, dialect: sa.engine.Dialect) -> DriverStatement:
        """``statement`` in the driver's parameter style."""
        compiled = statement.compile(dialect=dialect)
        positions = tuple(compiled.positiontup) if compiled.positional else None
        return cls(compiled.string, positions)

    def parameters(self, values: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """``values`` as the driver takes them for this statement."""
        if self.positions is None:
            return values
        return tuple(values[name] for name in self.positions)


@dataclass(frozen=True)
class EventStatements:
    """The three statements of a turn, for one events table and database driver."""

    select_session: DriverStatement
    count_session: DriverStatement
    insert: DriverStatement

    @classmethod
    def for_table(cls, table: str, dialect: sa.engine.Dialect) -> EventStatements:
        """The statements on ``table`` (its name as SQL, schema included)."""
        session = _SESSION_EVENTS.replace("{table}", table).replace(
            "{session_started}", SessionStarted.type_name
        )
        return cls(
            select_session=DriverStatement.compile(
                sa.text(session.replace("{columns}", "data") + " ORDER BY id"), dialect
            ),
            count_session=DriverStatement.compile(
                sa.text(session.replace("{columns}", "count(*)")), dialect
            ),
            insert=DriverStatement.compile(
                sa.text(_INSERT_EVENT.replace("{table}", table)), dialect
            ),
        )


def event_row(sender_id: str, event: Event) -> dict[str, Any]:
    """One row of Rasa's ``events`` table, with the columns Rasa fills."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class LeanSQLTrackerStore(SQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` whose turn-by-turn reads and writes are plain SQL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Takes ``SQLTrackerStore``'s arguments."""
        super().__init__(*args, **kwargs)
        self.use_engine(self._checking_connections(self.engine))

    @staticmethod
    def _checking_connections(engine: sa.engine.Engine) -> sa.engine.Engine:
        """Rasa's PostgreSQL engine, with each pooled connection checked before use
        (``pool_pre_ping``): after the database restarts, the first turn would
        otherwise fail on a connection it closed."""
        if engine.dialect.name != "postgresql":
            return engine
        engine.dispose()
        return sa.create_engine(engine.url, pool_pre_ping=True, **create_engine_kwargs(engine.url))

    def use_engine(self, engine: sa.engine.Engine) -> None:
        """Reads and writes through ``engine`` from now on (Rasa's sessions too)."""
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
        # Rasa's table, unqualified: Rasa selects a PostgreSQL schema by search_path.
        self.statements = EventStatements.for_table(
            self.SQLEvent.__table__.fullname, engine.dialect
        )

    def _in_transaction(self, work: Callable[[Any], _Result]) -> _Result:
        """Runs ``work`` with a cursor of a pooled connection, and commits.

        If ``work`` fails, returning the connection to the pool rolls back what it did
        (SQLAlchemy's reset on return), and a connection that cannot roll back, since
        the database went away, is discarded instead of given out again.
        """
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            result = work(cursor)
            cursor.close()
            connection.commit()
            return result
        finally:
            connection.close()  # back to the pool

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``; the latest session's events by plain SQL."""
        if fetch_events_from_all_sessions:  # exports and ``bot stats``: Rasa's own query
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        select = self.statements.select_session

        def read(cursor: Any) -> list[Any]:
            cursor.execute(select.sql, select.parameters({"sender": sender_id}))
            return [json.loads(data) for (data,) in cursor.fetchall()]

        events = self._in_transaction(read)
        if self.domain is None or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save``: streams the events, then stores those not stored yet."""
        await self.stream_events(tracker)
        count, insert = self.statements.count_session, self.statements.insert

        def store_new_events(cursor: Any) -> None:
            cursor.execute(count.sql, count.parameters({"sender": tracker.sender_id}))
            (stored,) = cursor.fetchone()
            new_events = itertools.islice(tracker.events, stored, None)
            rows = [insert.parameters(event_row(tracker.sender_id, event)) for event in new_events]
            if rows:
                cursor.executemany(insert.sql, rows)

        self._in_transaction(store_new_events)
        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")
