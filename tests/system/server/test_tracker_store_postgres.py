"""Conversations in PostgreSQL survive a restart of the Rasa server, and the
database going away fails turns visibly instead of forgetting the visitor.

The Rasa server runs as ``bot run`` starts it, with TRACKER_STORE_URL on a
fresh database of the machine's PostgreSQL (skipped when it is absent,
failing under CI=true), directly or through a relay that the test closes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.bot.leads.conftest import scratch_postgres_database
from tests.conftest import free_port
from tests.relay import tcp_relay_in_thread
from tests.system.server.rasa_process import say, start_rasa, stop

pytestmark = [pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def tracker_database() -> Iterator[str]:
    with scratch_postgres_database() as url:
        yield url


def user_texts(database_url: str, sender: str) -> list[str]:
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT data::json->>'text' FROM events"
                " WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"
            ),
            {"sender": sender},
        ).scalars()
        texts = list(rows)
    engine.dispose()
    return texts


def health(port: int) -> tuple[int, dict]:
    answer = requests.get(f"http://127.0.0.1:{port}/webhooks/rest/", timeout=10)
    return answer.status_code, answer.json()


def test_the_database_going_away_fails_turns_and_shows_in_the_health(
    tracker_database: str, tmp_path: Path
):
    relay_port, port = free_port(), free_port()
    through_relay = make_url(tracker_database).set(port=relay_port).render_as_string(False)
    environment = {
        **os.environ,
        "TRACKER_STORE_URL": through_relay,
        "RASA_PORT": str(port),
        "LOG_DIR": str(tmp_path),
    }
    visitor = "visitor-of-a-failing-database"
    with tcp_relay_in_thread(relay_port, 5432):
        rasa = start_rasa(environment, tmp_path / "rasa.log")
    try:
        with tcp_relay_in_thread(relay_port, 5432):
            assert say(port, visitor, "hello")
            ok = {"status": "ok", "tracker_store": "ok", "failed_messages": 0}
            assert health(port) == (200, ok)
        replies = say(port, visitor, "what is outstaffing?")  # the database is away
        assert "went wrong on our side" in replies[-1]["text"]
        status, body = health(port)
        assert (status, body["tracker_store"], body["failed_messages"]) == (503, "unreachable", 1)
        with tcp_relay_in_thread(relay_port, 5432):
            assert health(port)[0] == 200
            assert "went wrong on our side" not in say(port, visitor, "bye")[-1]["text"]
    finally:
        stop(rasa)
    # one conversation, nothing of it lost or started again
    assert user_texts(tracker_database, visitor) == ["hello", "bye"]


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

    assert user_texts(tracker_database, "durable-visitor") == ["hello", "bye"]
