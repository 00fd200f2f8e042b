"""Rasa's endpoint configuration from the project's settings.

Rasa reads the action server and the tracker store from ``endpoints.yml``;
``bot run`` writes that file from the settings, so one environment variable
(``TRACKER_STORE_URL``) moves conversations from the SQLite default to
PostgreSQL, ``LOCK_STORE_URL`` moves conversation locks to Redis (for several
Rasa workers), ``EVENT_BROKER_URL`` sends every conversation event to RabbitMQ
and ``ACTIONS_PORT`` moves the action server.

No secret goes in the file: where a URL holds a password, the file names an
environment variable instead (``${TRACKER_STORE_PASSWORD}``), which Rasa
replaces with its value as it reads the file (``rasa.shared.utils.io``
resolves ``${...}`` in every plain scalar of a YAML file it reads), and
:func:`endpoint_passwords` gives the Rasa process those variables.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from bot.settings import Settings, SettingsError, sqlite_path

SQLITE_STORE = "bot.rasa_plugins.stores.sqlite_tracker_store.SQLiteTrackerStore"
LEAN_SQL_STORE = "bot.rasa_plugins.stores.sql_tracker_store.LeanSQLTrackerStore"
REDIS_LOCK_STORE = "bot.rasa_plugins.stores.redis_lock_store.AtomicRedisLockStore"
BUFFERING_EVENT_BROKER = "bot.rasa_plugins.stores.event_broker.BufferingPikaEventBroker"
# Seconds between two attempts to reach RabbitMQ (the broker retries in the background).
EVENT_BROKER_RETRY_SECONDS = 5
# The parts of the domain each action marked ``send_domain`` in domain.yml reads: Rasa
# sends it only those (bot.rasa_patches.serving.action_connections; plain Rasa ignores
# the key and sends the whole domain). rasa-sdk's form validation reads the forms and
# slots; the lead summary reads the consent question's words.
DOMAIN_PARTS = {
    "validate_lead_form": ["forms", "slots"],
    "action_show_lead_summary": ["responses.utter_lead_consent"],
}
# The variable that carries each section's password into the Rasa process.
PASSWORD_VARIABLES = {
    "tracker_store": "TRACKER_STORE_PASSWORD",
    "lock_store": "LOCK_STORE_PASSWORD",
    "event_broker": "EVENT_BROKER_PASSWORD",
}


def tracker_store_config(url: str) -> dict[str, Any]:
    """Rasa's ``tracker_store`` section for a database URL (or ``memory``).

    Raises:
        SettingsError: for a URL that is neither SQLite, PostgreSQL nor ``memory``.
    """
    if url == "memory":
        return {"type": "in_memory"}
    path = sqlite_path(url)
    if path is not None:  # Rasa's SQL store with pooled connections and WAL
        return {"type": SQLITE_STORE, "db": str(path)}
    parts = urlsplit(url)
    if parts.scheme.split("+")[0] != "postgresql" or not parts.path.strip("/"):
        raise SettingsError(
            f"TRACKER_STORE_URL must be sqlite:///file, postgresql://.../db or memory, got {url!r}"
        )
    config: dict[str, Any] = {
        "type": LEAN_SQL_STORE,  # Rasa's SQL store, its turns by plain SQL
        "dialect": "postgresql",
        "url": parts.hostname or "localhost",
        "port": parts.port or 5432,
        "db": parts.path.strip("/"),
    }
    if parts.username:
        config["username"] = unquote(parts.username)
    if parts.password:
        config["password"] = unquote(parts.password)
    return config


def lock_store_config(url: str) -> dict[str, Any]:
    """Rasa's ``lock_store`` section for a ``redis://`` or ``rediss://`` URL.

    Raises:
        SettingsError: for a URL of another scheme or with a database that is no number.
    """
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    if parts.scheme not in ("redis", "rediss") or not database.isdigit():
        raise SettingsError(f"LOCK_STORE_URL must be redis://host:port/db, got {url!r}")
    config: dict[str, Any] = {
        "type": REDIS_LOCK_STORE,
        "url": parts.hostname or "localhost",
        "port": parts.port or 6379,
        "db": int(database),
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.username:
        config["username"] = unquote(parts.username)
    if parts.password:
        config["password"] = unquote(parts.password)
    return config


def event_broker_config(url: str, queue: str) -> dict[str, Any]:
    """Rasa's ``event_broker`` section for an ``amqp://`` or ``amqps://`` URL.

    The credentials go in their own keys, never in ``url``, which Rasa logs.

    Raises:
        SettingsError: for a URL of another scheme or without a host.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("amqp", "amqps") or not parts.hostname:
        raise SettingsError(
            f"EVENT_BROKER_URL must be amqp://user:password@host/vhost, got {url!r}"
        )
    return {
        "type": BUFFERING_EVENT_BROKER,
        "url": urlunsplit((parts.scheme, parts.hostname, parts.path, parts.query, "")),
        "port": parts.port or (5671 if parts.scheme == "amqps" else 5672),
        "username": unquote(parts.username or "guest"),
        "password": unquote(parts.password or "guest"),
        "queues": [queue],
        "connection_attempts": 1,
        "retry_delay_in_seconds": EVENT_BROKER_RETRY_SECONDS,
    }


def endpoints(settings: Settings) -> dict[str, Any]:
    """The content of the endpoints file ``bot run`` hands to Rasa: its passwords are
    placeholders for the variables of :func:`endpoint_passwords`."""
    content = _sections(settings)
    for section, variable in PASSWORD_VARIABLES.items():
        if "password" in content.get(section, {}):
            content[section] = {**content[section], "password": f"${{{variable}}}"}
    return content


def endpoint_passwords(settings: Settings) -> dict[str, str]:
    """The environment variables the Rasa process needs to read :func:`endpoints`' file,
    with their values (the passwords in the settings' URLs)."""
    content = _sections(settings)
    return {
        variable: str(content[section]["password"])
        for section, variable in PASSWORD_VARIABLES.items()
        if "password" in content.get(section, {})
    }


def _sections(settings: Settings) -> dict[str, Any]:
    # 127.0.0.1, not localhost: Rasa resolves the name again for every action call.
    actions = settings.action_server_url or f"http://127.0.0.1:{settings.actions_port}/webhook"
    # The domain goes only to the actions domain.yml marks send_domain, cut to what each reads.
    action_endpoint: dict[str, Any] = {
        "url": actions,
        "enable_selective_domain": True,
        "domain_parts": DOMAIN_PARTS,
    }
    if settings.action_server_token is not None:
        # Rasa puts the variable's value in when it reads the file: no secret on disk.
        action_endpoint["headers"] = {"Authorization": "Bearer ${ACTION_SERVER_TOKEN}"}
    content = {
        "action_endpoint": action_endpoint,
        "tracker_store": tracker_store_config(settings.tracker_store_url),
    }
    if settings.lock_store_url is not None:
        content["lock_store"] = lock_store_config(settings.lock_store_url)
    if settings.event_broker_url is not None:
        content["event_broker"] = event_broker_config(
            settings.event_broker_url, settings.event_broker_queue
        )
    return content
