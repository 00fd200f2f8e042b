"""A tiny HTTP/1.1 server standing in for a service in the supervisor's tests.

It answers every request with ``200 ok``, keeps each connection open for the
next request (as Sanic does) and listens with ``SO_REUSEPORT``, so several of
them can share one port as several Rasa servers do.

    python -m tests.bot.http_stand_in PORT
"""

from __future__ import annotations

import asyncio
import sys


async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def serve(port: int) -> None:
    server = await asyncio.start_server(answer, "127.0.0.1", port, reuse_port=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
