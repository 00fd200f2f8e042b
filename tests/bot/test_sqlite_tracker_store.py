"""SQLiteTrackerStore: Rasa's SQL tracker store on a pooled, write-ahead-logged SQLite file."""

from __future__ import annotations

import asyncio
import time

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.sqlite_tracker_store import SQLiteTrackerStore


def conversation() -> DialogueStateTracker:
    tracker = DialogueStateTracker("visitor", slots=[])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("what is outstaffing?", {"name": "faq", "confidence": 0.9}))
    tracker.update(ActionExecuted("utter_faq"))
    tracker.update(SlotSet("knowledge_question", None))
    return tracker


def test_a_conversation_survives_a_new_store_on_the_same_file(tmp_path):
    path = tmp_path / "tracker.db"
    first = SQLiteTrackerStore(domain=Domain.empty(), db=str(path))
    asyncio.run(first.save(conversation()))
    first.engine.dispose()

    restarted = SQLiteTrackerStore(domain=Domain.empty(), db=str(path))
    tracker = asyncio.run(restarted.retrieve("visitor"))
    assert tracker is not None
    assert [event.as_dict()["event"] for event in tracker.events] == [
        "action", "user", "action", "slot",
    ]  # fmt: skip
    assert tracker.latest_message.text == "what is outstaffing?"


def test_the_file_is_in_wal_mode_with_rasas_events_table(tmp_path):
    path = tmp_path / "tracker.db"
    store = SQLiteTrackerStore(domain=Domain.empty(), db=str(path))
    asyncio.run(store.save(conversation()))
    reader = sa.create_engine(f"sqlite:///{path}")
    with reader.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        rows = connection.exec_driver_sql("SELECT type_name FROM events ORDER BY id").all()
    assert [row.type_name for row in rows] == ["action", "user", "action", "slot"]


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


def stored_rows(path) -> list[tuple]:
    reader = sa.create_engine(f"sqlite:///{path}")
    with reader.connect() as connection:
        query = "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events"
        return [tuple(row) for row in connection.exec_driver_sql(query + " ORDER BY id")]


def test_saving_and_reading_match_rasas_own_sql_store(tmp_path):
    ours = SQLiteTrackerStore(domain=Domain.empty(), db=str(tmp_path / "ours.db"))
    rasas = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    tracker = two_sessions()
    for store in (ours, rasas):
        asyncio.run(store.save(tracker))
    assert stored_rows(tmp_path / "ours.db") == stored_rows(tmp_path / "rasa.db")
    assert len(stored_rows(tmp_path / "ours.db")) == len(tracker.events)

    latest, rasas_latest = (asyncio.run(store.retrieve("visitor")) for store in (ours, rasas))
    assert latest is not None
    assert rasas_latest is not None
    assert [e.as_dict() for e in latest.events] == [e.as_dict() for e in rasas_latest.events]
    assert [e.as_dict()["event"] for e in latest.events] == ["session_started", "action", "user"]
    everything = asyncio.run(ours.retrieve_full_tracker("visitor"))
    assert everything is not None
    assert len(everything.events) == len(tracker.events)


def test_only_new_events_are_added_to_a_stored_conversation(tmp_path):
    store = SQLiteTrackerStore(domain=Domain.empty(), db=str(tmp_path / "tracker.db"))
    asyncio.run(store.save(two_sessions()))
    tracker = asyncio.run(store.retrieve("visitor"))
    assert tracker is not None
    tracker.update(ActionExecuted("utter_greet"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing stored twice
    names = [row[4] for row in stored_rows(tmp_path / "tracker.db")]
    assert names.count("utter_greet") == 1
    assert names[-1] == "utter_greet"
    assert len(names) == len(two_sessions().events) + 1


def test_an_unknown_conversation_is_none(tmp_path):
    store = SQLiteTrackerStore(domain=Domain.empty(), db=str(tmp_path / "tracker.db"))
    assert asyncio.run(store.retrieve("nobody")) is None
