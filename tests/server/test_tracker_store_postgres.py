"""Conversations in PostgreSQL survive a restart of the Rasa server.

The Rasa server runs as ``bot run`` starts it, with TRACKER_STORE_URL on a
fresh database of the machine's PostgreSQL (skipped when it is absent,
failing under CI=true).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.bot.leads.conftest import scratch_postgres_database
from tests.conftest import free_port
from tests.server.rasa_process import say, start_rasa

pytestmark = [pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def tracker_database() -> Iterator[str]:
    with scratch_postgres_database() as url:
        yield url


def test_a_conversation_in_postgresql_survives_a_restart(tracker_database: str, tmp_path: Path):
    port = free_port()
    environment = {
        **os.environ,
        "TRACKER_STORE_URL": tracker_database,
        "RASA_PORT": str(port),
        "LOG_DIR": str(tmp_path),
    }
    for message in ["hello", "bye"]:  # one message per server run
        rasa = start_rasa(environment, tmp_path / "rasa.log")
        try:
            assert say(port, "durable-visitor", message)
        finally:
            rasa.terminate()
            rasa.wait(timeout=30)

    engine = create_engine(tracker_database, future=True)
    with engine.connect() as connection:
        texts = connection.execute(
            text(
                "SELECT data::json->>'text' FROM events"
                " WHERE sender_id = 'durable-visitor' AND type_name = 'user' ORDER BY id"
            )
        ).scalars()
        assert list(texts) == ["hello", "bye"]
    engine.dispose()
