"""bot.rasa_plugins.stores.event_broker: conversation events reach RabbitMQ, also when it comes
up late.

Against the real RabbitMQ on 127.0.0.1:5672 (guest/guest, as installed).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_plugins.endpoints import event_broker_config
from bot.rasa_plugins.stores.event_broker import BufferingPikaEventBroker
from tests.conftest import free_port
from tests.relay import tcp_relay
from tests.services import require_service

HOST, PORT = "127.0.0.1", 5672
RABBITMQ = f"amqp://guest:guest@{HOST}:{PORT}/"
WAIT_SECONDS = 20.0


@pytest.fixture
async def queue() -> AsyncIterator[str]:
    """A queue of this test alone, deleted afterwards."""
    require_service("rabbitmq", HOST, PORT)
    name = f"test-events-{uuid.uuid4().hex}"
    yield name
    connection = await aio_pika.connect(RABBITMQ)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)


async def create_broker(url: str, queue: str, **overrides: object) -> BufferingPikaEventBroker:
    """The broker as Rasa creates it from the endpoints ``bot run`` writes."""
    config = {**event_broker_config(url, queue), "retry_delay_in_seconds": 0.2, **overrides}
    broker = await EventBroker.create(EndpointConfig.from_dict(config))
    assert isinstance(broker, BufferingPikaEventBroker)
    return broker


async def wait_until_ready(broker: BufferingPikaEventBroker) -> None:
    for _ in range(int(WAIT_SECONDS / 0.05)):
        if broker.is_ready() and not broker._unpublished_events:
            return
        await asyncio.sleep(0.05)
    pytest.fail("the broker did not connect to RabbitMQ")


async def received(queue: str, count: int) -> list[dict]:
    """The next ``count`` events in ``queue``, in order."""
    connection = await aio_pika.connect(RABBITMQ)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, durable=True)
        events = []
        async with declared.iterator(timeout=WAIT_SECONDS) as messages:
            async for message in messages:
                async with message.process():
                    events.append(json.loads(message.body))
                if len(events) == count:
                    break
        return events


def event(number: int) -> dict:
    return {"event": "user", "text": f"message {number}", "sender_id": "visitor-1"}


async def test_published_events_reach_the_queue_in_order(queue):
    broker = await create_broker(RABBITMQ, queue)
    await wait_until_ready(broker)
    for number in range(3):
        broker.publish(event(number))
    assert await received(queue, 3) == [event(number) for number in range(3)]
    await broker.close()


async def test_the_broker_starts_without_rabbitmq_and_delivers_the_kept_events(queue):
    port = free_port()
    broker = await create_broker(f"amqp://guest:guest@{HOST}:{port}/", queue)
    for number in range(3):
        broker.publish(event(number))
    await asyncio.sleep(0.5)  # a few failed attempts
    assert not broker.is_ready()
    assert len(broker._unpublished_events) == 3
    async with tcp_relay(port, PORT):
        await wait_until_ready(broker)
        broker.publish(event(3))
        assert await received(queue, 4) == [event(number) for number in range(4)]
        await broker.close()


async def test_the_buffer_keeps_the_newest_events_and_counts_the_dropped():
    broker = BufferingPikaEventBroker(
        f"amqp://{HOST}", "guest", "guest", port=free_port(), queues=["q"], max_buffered_events=2
    )
    for number in range(3):
        broker.publish(event(number))
    assert list(broker._unpublished_events) == [event(1), event(2)]
    assert broker.dropped_events == 1


async def test_credentials_are_quoted_into_the_url_and_kept_out_of_the_host():
    config = event_broker_config("amqps://bot:p%40ss%2Fw@mq.internal/agency", "events")
    broker = BufferingPikaEventBroker(
        config["url"], config["username"], config["password"], port=config["port"], queues=["q"]
    )
    assert broker.host == "amqps://mq.internal/agency"
    assert broker._configure_url() == "amqps://bot:p%40ss%2Fw@mq.internal:5671/agency"


async def test_closing_while_rabbitmq_is_unreachable_does_not_hang(queue):
    broker = await create_broker(f"amqp://guest:guest@{HOST}:{free_port()}/", queue)
    broker.publish(event(0))
    await asyncio.sleep(0.3)
    await asyncio.wait_for(broker.close(), timeout=10)
    assert not broker.is_ready()
