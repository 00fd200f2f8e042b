"""The supervisor's health probes: does a service's process still answer?

A probe is one ``GET`` of the service's health URL (``http://`` on this
machine) on a connection of its own. Any HTTP answer within the timeout
counts, a 503 too: a service whose database is away still runs, and
restarting it would not bring the database back.

Processes sharing one port (several Rasa servers, ``SO_REUSEPORT``) share
their health URL too, and a probe reaches the process the kernel picks. The
verdict goes to that process (:mod:`bot.ops.supervision.socket_owners`): the one holding the
connection, or, for a connection nobody accepted, each one whose listening
socket keeps connections waiting (a process that stopped answering keeps
every connection the kernel gives it waiting). The server must keep the
connection open after answering (HTTP/1.1 keep-alive, as Sanic does) for its
answer to be credited to it. Where the kernel's tables cannot be read (not
Linux), a probe of a shared port gives no verdict.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from bot.ops.supervision.socket_owners import connection_owner, listeners


def _address(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"


async def _answered(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str, timeout: float
) -> bool:
    host, port, path = _address(url)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("ascii"))
    try:
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), max(timeout, 0.0))
    except (OSError, asyncio.TimeoutError):
        return False
    return status_line.startswith(b"HTTP/")


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


async def answers(url: str, timeout: float) -> bool:
    """Whether ``url`` gives an HTTP answer, any status, within ``timeout`` seconds."""
    host, port, _ = _address(url)
    deadline = asyncio.get_running_loop().time() + timeout
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, asyncio.TimeoutError):
        return False
    try:
        return await _answered(reader, writer, url, deadline - asyncio.get_running_loop().time())
    finally:
        await _close(writer)


async def probe_shared_port(url: str, pids: list[int], timeout: float) -> dict[int, bool]:
    """One probe of a health URL that the processes ``pids`` share (one port).

    Returns:
        Whether it answered, for the processes the probe's verdict concerns: the one
        that answered, or those that left it unanswered (none when no one can tell).
    """
    host, port, _ = _address(url)
    deadline = asyncio.get_running_loop().time() + timeout
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, asyncio.TimeoutError):
        return _verdicts(port, None, False, pids)
    try:
        client_port = int(writer.get_extra_info("sockname")[1])
        remaining = deadline - asyncio.get_running_loop().time()
        answered = await _answered(reader, writer, url, remaining)
        return _verdicts(port, client_port, answered, pids)  # before closing: still held
    finally:
        await _close(writer)


def _verdicts(
    port: int, client_port: int | None, answered: bool, pids: list[int]
) -> dict[int, bool]:
    owner = connection_owner(port, client_port, pids)
    if owner is None:
        return {}
    if owner.holder is not None:
        return {owner.holder: answered}
    if answered:
        return {}  # answered, then closed: by whom is not known any more
    return dict.fromkeys(owner.queueing or owner.not_listening, False)


def listens_on(pid: int, url: str) -> bool | None:
    """Whether process ``pid`` itself listens on the port of ``url``; None: cannot tell."""
    _, port, _ = _address(url)
    found = listeners(port, [pid])
    return None if found is None else pid in found
