"""Rasa's endpoints from the settings: the tracker store, lock store, event broker, actions."""

from __future__ import annotations

import pytest

from bot.ops.stack import endpoints_for, rasa_servers
from bot.rasa_plugins.endpoints import (
    DOMAIN_PARTS,
    endpoint_passwords,
    endpoints,
    lock_store_config,
    tracker_store_config,
)
from bot.settings import Settings, SettingsError, load_settings
from tests.conftest import ROOT

PASSWORDS = {
    "TRACKER_STORE_PASSWORD": "tr@ck:er/pw",
    "LOCK_STORE_PASSWORD": "l0ck pw",
    "EVENT_BROKER_PASSWORD": "br0ker%pw",
}
WITH_PASSWORDS = {
    "TRACKER_STORE_URL": "postgresql://bot:tr%40ck%3Aer%2Fpw@db.internal/agency",
    "LOCK_STORE_URL": "redis://:l0ck%20pw@cache.internal:6379/0",
    "EVENT_BROKER_URL": "amqp://bot:br0ker%25pw@mq.internal/agency",
}


def test_the_default_keeps_conversations_in_a_sqlite_file():
    settings = load_settings({})
    assert tracker_store_config(settings.tracker_store_url) == {
        "type": "bot.rasa_plugins.stores.sqlite_tracker_store.SQLiteTrackerStore",
        "db": "var/tracker.db",
    }


def test_a_postgresql_url_becomes_rasas_sql_settings():
    config = tracker_store_config("postgresql://bot:p%40ss@db.internal:6543/agency")
    assert config == {
        "type": "bot.rasa_plugins.stores.sql_tracker_store.LeanSQLTrackerStore",
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


def test_with_a_token_rasa_sends_it_to_the_action_server_from_its_environment():
    assert "headers" not in endpoints(load_settings({}))["action_endpoint"]
    settings = load_settings({"ACTION_SERVER_TOKEN": "s3cret"})
    headers = endpoints(settings)["action_endpoint"]["headers"]
    assert headers == {"Authorization": "Bearer ${ACTION_SERVER_TOKEN}"}  # no secret on disk


def test_without_a_lock_store_url_rasa_keeps_its_locks_in_process():
    assert "lock_store" not in endpoints(load_settings({}))


def test_a_redis_url_becomes_the_atomic_lock_store():
    settings = load_settings({"LOCK_STORE_URL": "rediss://:p%40ss@cache.internal:6380/3"})
    assert endpoints(settings)["lock_store"] == {
        "type": "bot.rasa_plugins.stores.redis_lock_store.AtomicRedisLockStore",
        "url": "cache.internal",
        "port": 6380,
        "db": 3,
        "use_ssl": True,
        "password": "${LOCK_STORE_PASSWORD}",
    }
    assert lock_store_config("redis://localhost")["db"] == 0


def test_a_lock_store_url_with_a_named_database_is_refused():
    with pytest.raises(SettingsError, match="LOCK_STORE_URL"):
        lock_store_config("redis://localhost/locks")


def test_several_rasa_workers_are_processes_sharing_the_port(tmp_path):
    one = load_settings({"LOG_DIR": str(tmp_path)})
    two = load_settings(
        {"LOG_DIR": str(tmp_path), "RASA_WORKERS": "2", "LOCK_STORE_URL": "redis://r"}
    )
    [single] = rasa_servers(one, tmp_path / "model.tar.gz")
    assert single.name == "Rasa server"
    assert single.environment == {}
    first, second = rasa_servers(two, tmp_path / "model.tar.gz")
    assert (first.name, second.name) == ("Rasa server 1", "Rasa server 2")
    assert first.command == second.command
    assert first.environment == {"RASA_SHARED_PORT": "true"}
    assert second.environment == {"RASA_SHARED_PORT": "true", "RASA_START_AFTER_PORT": "5005"}


def test_without_an_event_broker_url_no_event_leaves_the_bot():
    assert "event_broker" not in endpoints(load_settings({}))


def test_an_amqp_url_becomes_the_buffering_event_broker():
    settings = load_settings(
        {
            "EVENT_BROKER_URL": "amqp://bot:p%40ss@mq.internal:5673/agency",
            "EVENT_BROKER_QUEUE": "crm",
        }
    )
    assert endpoints(settings)["event_broker"] == {
        "type": "bot.rasa_plugins.stores.event_broker.BufferingPikaEventBroker",
        "url": "amqp://mq.internal/agency",
        "port": 5673,
        "username": "bot",
        "password": "${EVENT_BROKER_PASSWORD}",
        "queues": ["crm"],
        "connection_attempts": 1,
        "retry_delay_in_seconds": 5,
    }


@pytest.mark.parametrize("url", ["redis://mq.internal", "amqp://"])
def test_an_unusable_event_broker_url_is_refused(url):
    with pytest.raises(SettingsError, match="EVENT_BROKER_URL"):
        endpoints(load_settings({"EVENT_BROKER_URL": url}))


def test_an_action_server_url_points_rasa_at_another_host():
    settings = load_settings({"ACTION_SERVER_URL": "http://actions:5055/webhook"})
    assert endpoints(settings)["action_endpoint"]["url"] == "http://actions:5055/webhook"


def test_rasa_sends_the_domain_only_to_the_actions_that_ask_for_it():
    assert endpoints(load_settings({}))["action_endpoint"]["enable_selective_domain"] is True


def test_the_domain_parts_are_named_for_actions_rasa_sends_the_domain_and_exist():
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(ROOT / "domain.yml"))
    sections = domain.as_dict()
    sent = endpoints(load_settings({}))["action_endpoint"]["domain_parts"]

    assert sent == DOMAIN_PARTS
    for action, parts in DOMAIN_PARTS.items():
        assert domain.does_custom_action_explicitly_need_domain(action), action
        for part in parts:
            section, _, entry = part.partition(".")
            assert section in sections, part
            assert not entry or entry in sections[section], part


def test_the_endpoints_name_a_variable_for_each_password_and_hold_none():
    settings = load_settings(WITH_PASSWORDS)
    content = endpoints(settings)
    assert content["tracker_store"]["password"] == "${TRACKER_STORE_PASSWORD}"
    assert content["lock_store"]["password"] == "${LOCK_STORE_PASSWORD}"
    assert content["event_broker"]["password"] == "${EVENT_BROKER_PASSWORD}"
    assert endpoint_passwords(settings) == PASSWORDS
    assert endpoint_passwords(load_settings({})) == {}


def test_the_endpoints_file_is_private_outside_the_logs_and_holds_no_password(tmp_path):
    logs = tmp_path / "logs"
    settings = load_settings({**WITH_PASSWORDS, "LOG_DIR": str(logs)})
    path = endpoints_for(settings).resolve()
    assert logs not in path.parents
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    text = path.read_text()
    for password in PASSWORDS.values():
        assert password not in text
    [rasa] = rasa_servers(settings, tmp_path / "model.tar.gz")
    assert PASSWORDS.items() <= rasa.environment.items()  # given to the process instead


def test_rasa_reads_the_passwords_of_the_endpoints_file_from_its_environment(tmp_path, monkeypatch):
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.chdir(tmp_path)
    path = str(endpoints_for(load_settings(WITH_PASSWORDS)))
    for variable in PASSWORDS:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(RasaException, match="_PASSWORD"):
        read_endpoint_config(path, "tracker_store")
    for variable, password in PASSWORDS.items():
        monkeypatch.setenv(variable, password)
    sections = {
        "tracker_store": "TRACKER_STORE_PASSWORD",
        "lock_store": "LOCK_STORE_PASSWORD",
        "event_broker": "EVENT_BROKER_PASSWORD",
    }
    for section, variable in sections.items():
        config = read_endpoint_config(path, section)
        assert config is not None
        assert config.kwargs["password"] == PASSWORDS[variable]
