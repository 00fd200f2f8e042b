"""LeanSQLTrackerStore keeps Rasa's SQL tracker store semantics, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.rasa_plugins.stores.sql_tracker_store import LeanSQLTrackerStore, event_row
from bot.rasa_plugins.stores.sqlite_tracker_store import SQLiteTrackerStore
from tests.bot.leads.conftest import scratch_postgres_database
from tests.bot.rasa_plugins.stores.test_sqlite_tracker_store import conversation

StoreFactory = Callable[[type[SQLTrackerStore]], SQLTrackerStore]


@contextmanager
def sqlite_stores(tmp_path) -> Iterator[StoreFactory]:
    def make(kind: type[SQLTrackerStore]) -> SQLTrackerStore:
        path = tmp_path / f"{kind.__name__}.db"
        if kind is SQLTrackerStore:
            return SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
        return SQLiteTrackerStore(domain=Domain.empty(), db=str(path))

    yield make


@contextmanager
def postgres_stores(tmp_path) -> Iterator[StoreFactory]:
    with scratch_postgres_database() as ours, scratch_postgres_database() as rasas:

        def make(kind: type[SQLTrackerStore]) -> SQLTrackerStore:
            url = make_url(rasas if kind is SQLTrackerStore else ours)
            store_class = SQLTrackerStore if kind is SQLTrackerStore else LeanSQLTrackerStore
            return store_class(
                domain=Domain.empty(),
                dialect="postgresql",
                host=url.host,
                port=url.port,
                db=url.database,
                username=url.username,
                password=url.password,
            )

        yield make


@pytest.fixture(params=[sqlite_stores, postgres_stores], ids=["sqlite", "postgresql"])
def stores(request, tmp_path) -> Iterator[tuple[SQLTrackerStore, SQLTrackerStore]]:
    with request.param(tmp_path) as make:
        ours, rasas = make(LeanSQLTrackerStore), make(SQLTrackerStore)
        yield ours, rasas
        ours.engine.dispose()
        rasas.engine.dispose()


def two_sessions() -> DialogueStateTracker:
    """A first session an hour ago, and a second one that started a minute ago."""
    now = time.time()
    tracker = DialogueStateTracker("visitor", slots=[])
    for event in conversation().events:
        event.timestamp = now - 3600
        tracker.update(event)
    tracker.update(SessionStarted(timestamp=now - 60))
    tracker.update(ActionExecuted("action_listen", timestamp=now - 60))
    tracker.update(
        UserUttered("hi again", {"name": "greet", "confidence": 0.9}, timestamp=now - 59)
    )
    return tracker


def stored_rows(store: SQLTrackerStore) -> list[tuple]:
    query = "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events"
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query + " ORDER BY id"))]


def test_saving_and_reading_match_rasas_own_sql_store(stores):
    ours, rasas = stores
    tracker = two_sessions()
    for store in (ours, rasas):
        asyncio.run(store.save(tracker))
    assert stored_rows(ours) == stored_rows(rasas)
    assert len(stored_rows(ours)) == len(tracker.events)

    latest, rasas_latest = (asyncio.run(store.retrieve("visitor")) for store in (ours, rasas))
    assert latest is not None
    assert rasas_latest is not None
    assert [e.as_dict() for e in latest.events] == [e.as_dict() for e in rasas_latest.events]
    assert [e.as_dict()["event"] for e in latest.events] == ["session_started", "action", "user"]
    everything = asyncio.run(ours.retrieve_full_tracker("visitor"))
    assert everything is not None
    assert len(everything.events) == len(tracker.events)


def test_only_new_events_are_added_to_a_stored_conversation(stores):
    store, _ = stores
    asyncio.run(store.save(two_sessions()))
    tracker = asyncio.run(store.retrieve("visitor"))
    assert tracker is not None
    tracker.update(ActionExecuted("utter_greet"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing stored twice
    names = [row[4] for row in stored_rows(store)]
    assert names.count("utter_greet") == 1
    assert names[-1] == "utter_greet"
    assert len(names) == len(two_sessions().events) + 1


def test_an_unknown_conversation_is_none(stores):
    store, _ = stores
    assert asyncio.run(store.retrieve("nobody")) is None


class TurnInterruptedError(Exception):
    """The turn failed halfway through a save."""


def test_a_save_that_fails_halfway_stores_nothing(stores):
    store, _ = stores
    insert = store.statements.insert
    row = insert.parameters(event_row("visitor", ActionExecuted("utter_greet")))

    def insert_then_fail(cursor) -> None:
        cursor.executemany(insert.sql, [row])
        raise TurnInterruptedError

    with pytest.raises(TurnInterruptedError):
        store._in_transaction(insert_then_fail)
    assert stored_rows(store) == []
    asyncio.run(store.save(two_sessions()))  # the store goes on working
    assert len(stored_rows(store)) == len(two_sessions().events)


def test_a_broken_connection_is_not_given_out_again(stores):
    store, _ = stores
    broken = []

    def break_the_connection(cursor) -> None:
        broken.append(cursor.connection)
        cursor.connection.close()  # as a database going away leaves it
        raise TurnInterruptedError

    with pytest.raises(TurnInterruptedError):
        store._in_transaction(break_the_connection)
    asyncio.run(store.save(two_sessions()))
    assert asyncio.run(store.retrieve("visitor")) is not None
    used = []
    store._in_transaction(lambda cursor: used.append(cursor.connection))
    assert used[0] is not broken[0]
