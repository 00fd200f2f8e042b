"""Conversations in PostgreSQL survive a restart of the Rasa server.

The Rasa server runs as ``bot run`` starts it, with TRACKER_STORE_URL on a
fresh database of the machine's PostgreSQL (skipped when it is absent,
failing under CI=true).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from bot import stack
from bot.settings import load_settings
from tests.bot.leads.conftest import scratch_postgres_database
from tests.conftest import ROOT, free_port, trained_model

pytestmark = [pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def tracker_database() -> Iterator[str]:
    with scratch_postgres_database() as url:
        yield url


def start_rasa(environment: dict[str, str], log: Path) -> subprocess.Popen:
    settings = load_settings(environment)
    service = stack.rasa_server(settings, trained_model())
    with log.open("ab") as output:
        process = subprocess.Popen(
            service.command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Rasa exited:\n{log.read_text()[-3000:]}")
        try:
            requests.get(service.health_url or "", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.3)
    pytest.fail("Rasa did not start")


def say(port: int, sender: str, message: str) -> list[dict]:
    reply = requests.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=30,
    )
    return reply.json()


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
