"""SQLiteTrackerStore: Rasa's SQL tracker store on a pooled, write-ahead-logged SQLite file."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.stores.sqlite_tracker_store import SQLiteTrackerStore


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
