"""Rasa's RabbitMQ event broker, made optional for the conversation.

The agency's other systems may follow conversations through RabbitMQ
(``EVENT_BROKER_URL``); the bot must not depend on it. Rasa 3.6's
``PikaEventBroker`` does, in two ways:

- it connects while the model loads, retrying ``connection_attempts`` times
  ``retry_delay_in_seconds`` apart (100 s by default), and the Rasa server
  fails to start if RabbitMQ is still unreachable;
- until it is connected, an event to publish is dropped, not kept.

:class:`BufferingPikaEventBroker` connects in the background, retrying until
RabbitMQ answers, and keeps the events of that time in memory, up to
``max_buffered_events`` (the oldest go first, each counted and logged), to
publish them once connected. After its first connection aio-pika's robust
connection reconnects by itself and Rasa's broker keeps the events that fail
meanwhile, as before.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import rasa.shared.core.events  # noqa: F401  # PikaEventBroker._publish uses it, unimported
from rasa.core.brokers.pika import PikaEventBroker
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_MAX_BUFFERED_EVENTS = 10_000
# Seconds the broker may take to close when the server stops (RabbitMQ may be gone).
CLOSE_TIMEOUT_SECONDS = 5.0


class BufferingPikaEventBroker(PikaEventBroker):
    """A ``PikaEventBroker`` that starts without RabbitMQ and keeps events until it is up.

    endpoints.yml: ``event_broker: {type:
    bot.rasa_plugins.stores.event_broker.BufferingPikaEventBroker, url: host or
    amqp(s)://host/vhost, port, username, password, queues: [...],
    max_buffered_events: 10000}``.
    """

    def __init__(
        self, *args: Any, max_buffered_events: int = DEFAULT_MAX_BUFFERED_EVENTS, **kwargs: Any
    ) -> None:
        """As ``PikaEventBroker``, with a bound on the events kept while disconnected."""
        super().__init__(*args, **kwargs)
        self._unpublished_events: deque[dict[str, Any]] = deque(maxlen=max_buffered_events)
        self.dropped_events = 0
        self._connecting: asyncio.Task | None = None

    @classmethod
    async def from_endpoint_config(
        cls,
        broker_config: EndpointConfig | None,
        event_loop: asyncio.AbstractEventLoop | None = None,
    ) -> BufferingPikaEventBroker | None:
        """Creates the broker and starts connecting it, without waiting for RabbitMQ."""
        if broker_config is None:
            return None
        broker = cls(broker_config.url, **broker_config.kwargs, event_loop=event_loop)
        broker._connecting = broker._in_background(broker.connect_until_up())
        return broker

    async def connect_until_up(self) -> None:
        """Connects, one attempt every ``retry_delay_in_seconds``, then publishes what was kept."""
        while True:
            started = self._loop.time()
            try:
                await self.connect()
                break
            except Exception as error:  # whatever aio-pika raises while RabbitMQ is away
                logger.warning(
                    f"RabbitMQ at {self.host} is unreachable ({error}); keeping"
                    f" {len(self._unpublished_events)} event(s) and trying again."
                )
                # Rasa's own attempt may have slept already: wait out the rest only.
                elapsed = self._loop.time() - started
                await asyncio.sleep(max(0.0, self._retry_delay_in_seconds - elapsed))
        self._publish_unpublished_messages()

    def publish(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        """Publishes the event after any kept before it, or keeps it until connected."""
        if self._exchange is not None and not self._unpublished_events:
            super().publish(event, headers)
            return
        if len(self._unpublished_events) == self._unpublished_events.maxlen:
            self.dropped_events += 1
            logger.error(
                f"RabbitMQ event buffer full: dropped the oldest event"
                f" ({self.dropped_events} so far)."
            )
        self._unpublished_events.append(event)
        if self._exchange is not None:
            self._publish_unpublished_messages()

    def _publish_unpublished_messages(self, *_: Any, **__: Any) -> None:
        """Publishes the kept events, oldest first (also Rasa's callback on reconnection)."""
        while self._unpublished_events:
            super().publish(self._unpublished_events.popleft())

    async def close(self) -> None:
        """Stops connecting and closes the connection, within ``CLOSE_TIMEOUT_SECONDS``:
        a server stopping while RabbitMQ is unreachable must not hang on it."""
        if self._connecting is not None:
            self._connecting.cancel()  # events being published go on: only the connecting stops
        try:
            await asyncio.wait_for(super().close(), timeout=CLOSE_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            logger.warning(
                f"RabbitMQ at {self.host} did not close within {CLOSE_TIMEOUT_SECONDS} s;"
                f" {len(self._unpublished_events)} kept event(s) were not published."
            )

    def _configure_url(self) -> str | None:
        """The AMQP URL with the credentials quoted (Rasa inserts them as they are, so a
        password with ``@`` or ``/`` breaks it); ``host`` itself never holds them, as
        Rasa logs it."""
        parts = urlsplit(self.host)
        if not parts.scheme.startswith("amqp"):
            return None
        credentials = f"{quote(self.username, safe='')}:{quote(self.password, safe='')}"
        location = f"{credentials}@{parts.hostname}:{parts.port or self.port}"
        return urlunsplit((parts.scheme, location, parts.path, parts.query, ""))

    def _in_background(self, coroutine: Any) -> asyncio.Task:
        task = self._loop.create_task(coroutine)
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        return task
