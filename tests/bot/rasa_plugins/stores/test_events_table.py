"""events_table (bot.rasa_plugins.stores): the one description of Rasa's events table."""

from __future__ import annotations

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered

from bot.rasa_plugins.stores.events_table import EVENTS, WRITTEN_COLUMNS
from bot.rasa_plugins.stores.sql_tracker_store import event_row


def test_it_is_rasas_own_table():
    rasas = SQLTrackerStore.SQLEvent.__table__
    assert EVENTS.name == rasas.name
    assert [column.name for column in EVENTS.columns] == [column.name for column in rasas.columns]


def test_a_stored_event_fills_the_written_columns():
    row = event_row("visitor", UserUttered("hi", intent={"name": "greet", "confidence": 1.0}))
    assert tuple(row) == WRITTEN_COLUMNS
    assert row["intent_name"] == "greet"
