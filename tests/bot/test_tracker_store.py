"""Rasa's tracker store configuration from TRACKER_STORE_URL."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError, load_settings
from bot.tracker_store import endpoints, tracker_store_config


def test_the_default_keeps_conversations_in_a_sqlite_file():
    settings = load_settings({})
    assert tracker_store_config(settings.tracker_store_url) == {
        "type": "bot.sqlite_tracker_store.SQLiteTrackerStore",
        "db": "var/tracker.db",
    }


def test_a_postgresql_url_becomes_rasas_sql_settings():
    config = tracker_store_config("postgresql://bot:p%40ss@db.internal:6543/agency")
    assert config == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 6543,
        "db": "agency",
        "username": "bot",
        "password": "p@ss",
    }


def test_memory_keeps_nothing():
    assert tracker_store_config("memory") == {"type": "in_memory"}
    assert load_settings({"TRACKER_STORE_URL": "memory"}).tracker_store_url == "memory"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql://host-only"])
def test_an_unusable_url_is_refused(url):
    with pytest.raises(SettingsError, match="TRACKER_STORE_URL"):
        tracker_store_config(url)


def test_the_endpoints_point_at_the_configured_action_server_port():
    settings = Settings(actions_port=6000)
    assert endpoints(settings)["action_endpoint"]["url"] == "http://127.0.0.1:6000/webhook"
