"""The Rasa server with EVENT_BROKER_URL: it answers while RabbitMQ is away and
publishes the conversation once RabbitMQ is reachable.

The server runs as ``bot run`` starts it; RabbitMQ is the machine's own
(127.0.0.1:5672), reached through a relay that opens after the first answer.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import aio_pika
import pytest

from tests.conftest import free_port
from tests.relay import tcp_relay_in_thread
from tests.services import require_service
from tests.system.server.rasa_process import say, start_rasa

pytestmark = [pytest.mark.server, pytest.mark.model]

HOST, PORT = "127.0.0.1", 5672
WAIT_SECONDS = 30.0


async def events_until_user_says(queue: str, text: str) -> list[dict]:
    """The queue's events, up to the bot's listening again after the visitor's ``text``."""
    connection = await aio_pika.connect(f"amqp://guest:guest@{HOST}:{PORT}/")
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, durable=True)
        events: list[dict] = []
        async with declared.iterator(timeout=WAIT_SECONDS) as messages:
            async for message in messages:
                async with message.process():
                    events.append(json.loads(message.body))
                said = [event.get("text") for event in events if event["event"] == "user"]
                if text in said and events[-1].get("name") == "action_listen":
                    break
        await channel.queue_delete(queue)
        return events


def test_rasa_answers_without_rabbitmq_and_publishes_the_conversation_once_it_is_up(
    tmp_path: Path,
):
    require_service("rabbitmq", HOST, PORT)
    relay_port, rasa_port = free_port(), free_port()
    queue = f"test-server-events-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "LOG_DIR": str(tmp_path),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "EVENT_BROKER_URL": f"amqp://guest:guest@{HOST}:{relay_port}/",
        "EVENT_BROKER_QUEUE": queue,
    }
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    try:
        assert say(rasa_port, "broker-visitor", "hello")  # RabbitMQ unreachable meanwhile
        with tcp_relay_in_thread(relay_port, PORT):
            events = asyncio.run(events_until_user_says(queue, "hello"))
            rasa.terminate()  # while RabbitMQ is reachable: a clean close
            rasa.wait(timeout=30)
    finally:
        if rasa.poll() is None:
            rasa.kill()
            rasa.wait(timeout=30)
    assert {event["sender_id"] for event in events} == {"broker-visitor"}
    assert [event["text"] for event in events if event["event"] == "user"] == ["hello"]
    assert any(event["event"] == "bot" for event in events)
