"""Reads Rasa's SQL tracker store (its ``events`` table,
``bot.rasa_plugins.stores.events_table``) without loading Rasa: ``bot review`` and
``bot stats`` scan weeks of conversations in one query.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.rasa_plugins.stores.events_table import EVENTS, TrackerStoreError
from bot.settings import SettingsError, sqlite_path

__all__ = ["EVENTS", "StoredEvent", "TrackerStoreError", "read_events", "tracker_store_engine"]

CONNECT_TIMEOUT_SECONDS = 10  # for PostgreSQL to accept a connection


@dataclass(frozen=True)
class StoredEvent:
    """One event of one conversation, as Rasa stored it."""

    sender_id: str
    type_name: str
    timestamp: float
    intent_name: str | None = None
    action_name: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)


def tracker_store_engine(url: str) -> Engine:
    """An engine on the tracker store's database (``TRACKER_STORE_URL``).

    Raises:
        TrackerStoreError: for ``memory``, which keeps nothing to read.
    """
    if url == "memory":
        raise TrackerStoreError("TRACKER_STORE_URL is 'memory': no conversation is kept")
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise TrackerStoreError(f"no tracker store at {path}: no conversation has been kept yet")
    try:
        return sa.create_engine(url, future=True, **_engine_options(url))
    except (sa.exc.ArgumentError, ImportError) as error:
        raise SettingsError(f"TRACKER_STORE_URL cannot be opened: {error}") from error


def _engine_options(url: str) -> dict[str, Any]:
    # A long-lived reader (the web app) must notice dropped PostgreSQL
    # connections, and not hang on a server that does not answer.
    parts = sa.engine.make_url(url)
    if parts.get_backend_name() != "postgresql":
        return {}
    if parts.get_driver_name() != "psycopg2":
        return {"pool_pre_ping": True}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}


def read_events(
    engine: Engine,
    since: datetime | None = None,
    until: datetime | None = None,
    sender_ids: Collection[str] | None = None,
) -> Iterator[StoredEvent]:
    """The stored events from ``since`` up to ``until``, by conversation, in order.

    ``sender_ids`` limits them to these conversations.

    Raises:
        TrackerStoreError: when the database or its ``events`` table cannot be read.
    """
    query = sa.select(EVENTS).order_by(EVENTS.c.sender_id, EVENTS.c.id)
    if since is not None:
        query = query.where(EVENTS.c.timestamp >= since.timestamp())
    if until is not None:
        query = query.where(EVENTS.c.timestamp < until.timestamp())
    if sender_ids is not None:
        query = query.where(EVENTS.c.sender_id.in_(list(sender_ids)))
    try:
        with engine.connect() as connection:
            for row in connection.execute(query):
                yield StoredEvent(
                    sender_id=row.sender_id,
                    type_name=row.type_name,
                    timestamp=row.timestamp or 0.0,
                    intent_name=row.intent_name,
                    action_name=row.action_name,
                    data=json.loads(row.data or "{}"),
                )
    except sa.exc.SQLAlchemyError as error:
        raise TrackerStoreError(f"cannot read the tracker store: {error}") from error


def by_conversation(events: Iterator[StoredEvent]) -> dict[str, list[StoredEvent]]:
    """Groups events by conversation (sender id), keeping their order."""
    conversations: dict[str, list[StoredEvent]] = {}
    for event in events:
        conversations.setdefault(event.sender_id, []).append(event)
    return conversations
