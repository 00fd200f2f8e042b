"""A TCP relay on localhost: a service that comes up (or goes away) when a test says so."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator

HOST = "127.0.0.1"


@contextlib.asynccontextmanager
async def tcp_relay(port: int, target_port: int) -> AsyncIterator[None]:
    """Forwards ``port`` to ``target_port`` on localhost: RabbitMQ coming up late.

    Leaving it closes the connections it relays, as a service going away would.
    """
    connections: set[asyncio.Task] = set()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        connections.add(task)
        target_reader, target_writer = await asyncio.open_connection(HOST, target_port)
        try:
            await asyncio.gather(pipe(reader, target_writer), pipe(target_reader, writer))
        finally:
            writer.close()
            target_writer.close()
            connections.discard(task)

    server = await asyncio.start_server(relay, HOST, port)
    async with server:
        try:
            yield
        finally:
            for task in list(connections):
                task.cancel()
            await asyncio.gather(*connections, return_exceptions=True)


@contextlib.asynccontextmanager
async def silent_listener(
    port: int, accepted: threading.Event | None = None
) -> AsyncIterator[None]:
    """Accepts connections on ``port`` and never answers: a server that hangs.
    ``accepted`` is set once a connection came."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        if accepted is not None:
            accepted.set()

    server = await asyncio.start_server(hold, HOST, port)
    async with server:
        try:
            yield
        finally:
            for writer in held:
                writer.close()


@contextlib.contextmanager
def in_thread(service: contextlib.AbstractAsyncContextManager[None]) -> Iterator[None]:
    """Runs an asynchronous ``service`` (a relay, a listener) for a synchronous test:
    its own event loop in a thread, for the ``with`` block."""
    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), asyncio.Event()

    async def serve() -> None:
        async with service:
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(timeout=10)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        loop.close()


def tcp_relay_in_thread(port: int, target_port: int) -> contextlib.AbstractContextManager[None]:
    """:func:`tcp_relay` for synchronous tests."""
    return in_thread(tcp_relay(port, target_port))
