"""A recorded conversation log, saved into a real tracker store by Rasa itself.

``fixtures/conversations.json`` holds the events of five conversations with
the trained bot and the real action server (recorded on 2026-11-23, clock set
to 2026-11-11): FAQ answers, knowledge hits and misses, fallbacks, a lead
form that was cancelled and an email address typed outside the form.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.conftest import ROOT
from tests.services import require_service

FIXTURES = Path(__file__).with_name("fixtures")
POSTGRES_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def recorded_conversations() -> dict[str, list[dict[str, Any]]]:
    """The recorded events by conversation, as Rasa serialises them."""
    return json.loads((FIXTURES / "conversations.json").read_text(encoding="utf-8"))


def save_conversations(store_config: dict[str, Any], log: dict[str, list[dict[str, Any]]]) -> None:
    """Saves each conversation with Rasa's own SQL tracker store."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = SQLTrackerStore(domain=domain, **store_config)
    try:
        for sender_id, events in log.items():
            tracker = DialogueStateTracker.from_dict(sender_id, events, domain.slots)
            asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()


@pytest.fixture
def sqlite_tracker_store(tmp_path: Path) -> str:
    """TRACKER_STORE_URL of a SQLite tracker store holding the recorded log."""
    path = tmp_path / "tracker.db"
    save_conversations({"dialect": "sqlite", "db": str(path)}, recorded_conversations())
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_tracker_store() -> Iterator[str]:
    """TRACKER_STORE_URL of a scratch PostgreSQL database holding the recorded log."""
    require_service("postgresql", "127.0.0.1", 5432)
    name = f"review_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_SERVER_URL, future=True, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        config = {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "db": name}
        save_conversations({**config, "username": "postgres"}, recorded_conversations())
        yield make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()
