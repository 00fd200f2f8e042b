"""HTTP/1.1 over a raw socket: sends any bytes, and reads what a server answers, if anything.

No client library here: they refuse to send the malformed requests these tests
are about, or fix them on the way out.
"""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

ANSWER_TIMEOUT_SECONDS = 10.0
_STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([0-9]{3})[^\r\n]*\r\n")


class HangError(AssertionError):
    """The server neither answered nor closed the connection in time: a hang."""


@dataclass(frozen=True)
class Answer:
    """What came back on one connection: the first response, if any, and the rest."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    # Every status seen on the connection, the first response's included.
    statuses: tuple[int, ...] = ()
    closed: bool = False
    # Every byte received, for what the fields above do not show (a HEAD's answer).
    received: bytes = b""

    def json(self) -> Any:
        """The first response's body as JSON."""
        return json.loads(self.body)


def split_head(data: bytes) -> tuple[int, dict[str, str], bytes] | None:
    """The status and headers of the first response in ``data``, and the bytes after its
    head (its body, if it has one), or None while its head is incomplete."""
    end = data.find(b"\r\n\r\n")
    match = _STATUS_LINE.match(data)
    if end == -1 or match is None:
        return None
    lines = data[match.end() : end].decode("latin-1").split("\r\n")
    headers = {}
    for line in filter(None, lines):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(match.group(1)), headers, data[end + 4 :]


def split_response(data: bytes) -> tuple[int, dict[str, str], bytes, bytes] | None:
    """The first whole response in ``data`` (status, headers, body) and what follows,
    or None while it is incomplete."""
    head = split_head(data)
    if head is None:
        return None
    status, headers, rest = head
    if headers.get("transfer-encoding") == "chunked":
        last = rest.find(b"0\r\n\r\n")
        if last == -1:
            return None
        return status, headers, rest[:last], rest[last + 5 :]
    length = int(headers.get("content-length", "0"))
    if len(rest) < length:
        return None
    return status, headers, rest[:length], rest[length:]


def statuses_in(data: bytes) -> tuple[int, ...]:
    """The status of every response that starts in ``data``."""
    return tuple(int(code) for code in re.findall(rb"HTTP/1\.[01] ([0-9]{3}) ", data))


def exchange(
    port: int,
    data: bytes,
    *,
    finish: bool = False,
    patience: float | None = None,
    timeout: float = ANSWER_TIMEOUT_SECONDS,
) -> Answer:
    """Sends ``data`` on a new connection to ``127.0.0.1:port`` and reads what comes back.

    Once the head of a response has come, or after ``patience`` seconds without
    one (``timeout`` unless given), it ends its side of the connection and reads
    the rest until the server closes: a server still waiting for bytes sees
    there are none. With ``finish``, it ends its side right after sending, for
    requests that are incomplete on purpose.

    Raises:
        HangError: neither an answer nor a close within ``timeout`` seconds once
            its side is ended.
    """
    return exchange_in_pieces(port, [data], finish=finish, patience=patience, timeout=timeout)


def exchange_until_closed(port: int, data: bytes) -> Answer:
    """Sends ``data`` on a new connection and reads until the server closes it, its own
    side left open (for pipelined requests, the last asking ``Connection: close``).

    Raises:
        HangError: no close within :data:`ANSWER_TIMEOUT_SECONDS`.
    """
    with _connect(port) as connection:
        connection.sendall(data)
        received, closed = _read_until(connection, lambda seen: False)
    return _answer(received, closed)


def exchange_in_pieces(
    port: int,
    pieces: Sequence[bytes],
    *,
    pause: float = 0.0,
    finish: bool = False,
    patience: float | None = None,
    timeout: float = ANSWER_TIMEOUT_SECONDS,
) -> Answer:
    """:func:`exchange`, sending ``pieces`` one by one, ``pause`` seconds apart."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        with contextlib.suppress(OSError):  # the server closed already (it may have answered)
            for number, piece in enumerate(pieces):
                if number:
                    time.sleep(pause)
                connection.sendall(piece)
            if finish:
                connection.shutdown(socket.SHUT_WR)
        received, closed = b"", False
        if not finish:
            connection.settimeout(timeout if patience is None else patience)
            received, closed = _read_until(connection, _has_head, waited_out_ok=True)
            connection.settimeout(timeout)
        if not closed:
            _shut_writing(connection)
            more, closed = _read_until(connection, lambda seen: False)
            received += more
    return _answer(received, closed)


def drip(port: int, start: bytes, *, interval: float, guard: float) -> Answer:
    """Sends ``start`` on a new connection, then one more byte (``a``) every ``interval``
    seconds, never ending the request, until the server answers or closes.

    Once an answer starts, it reads until the server closes the connection, with
    its side left open: a server that answers but keeps the connection is a hang.

    Raises:
        HangError: neither an answer nor a close within ``guard`` seconds, or an
            answer but no close within :data:`ANSWER_TIMEOUT_SECONDS`.
    """
    give_up = time.monotonic() + guard
    with socket.create_connection(
        ("127.0.0.1", port), timeout=ANSWER_TIMEOUT_SECONDS
    ) as connection:
        connection.sendall(start)
        sent = len(start)
        while not select.select([connection], [], [], interval)[0]:
            if time.monotonic() > give_up:
                raise HangError(f"no answer and no close in {guard} s, {sent} bytes sent")
            try:
                connection.sendall(b"a")
            except OSError:  # closed by the server
                break
            sent += 1
        received, closed = _read_until(connection, lambda seen: False)
    return _answer(received, closed)


def leave_mid_body(port: int, request: bytes, body_start: bytes) -> bytes:
    """Sends ``request`` (a head asking for ``Expect: 100-continue``), waits for the
    server's ``100 Continue`` (it is reading the body), sends ``body_start`` and closes
    the connection. Returns what the server sent.

    Raises:
        HangError: no ``100 Continue`` within :data:`ANSWER_TIMEOUT_SECONDS`.
    """
    with socket.create_connection(
        ("127.0.0.1", port), timeout=ANSWER_TIMEOUT_SECONDS
    ) as connection:
        connection.sendall(request)
        received, _ = _read_until(connection, lambda seen: b"\r\n\r\n" in seen)
        connection.sendall(body_start)
    return received


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=ANSWER_TIMEOUT_SECONDS)


def _has_head(received: bytes) -> bool:
    return _STATUS_LINE.match(received) is not None and b"\r\n\r\n" in received


def _read_until(
    connection: socket.socket, enough: Any, *, waited_out_ok: bool = False
) -> tuple[bytes, bool]:
    """What comes until ``enough(received)``, and whether the server closed meanwhile."""
    received = b""
    while not enough(received):
        try:
            chunk = connection.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return received, True
        except TimeoutError:
            if waited_out_ok:
                return received, False
            raise HangError(f"no answer and no close; received {received[:200]!r}") from None
        if not chunk:
            return received, True
        received += chunk
    return received, False


def _shut_writing(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the server closed already
        connection.shutdown(socket.SHUT_WR)


def _answer(received: bytes, closed: bool) -> Answer:
    first = split_response(received)
    statuses = statuses_in(received)
    if first is None:
        status = statuses[0] if statuses else None
        return Answer(status, statuses=statuses, closed=closed, received=received)
    status, headers, body, _ = first
    return Answer(status, headers, body, statuses, closed, received)


def request_bytes(
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """A well-formed HTTP/1.1 request, with ``Content-Length`` when there is a body."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body and not any(name.lower() == "content-length" for name in headers or {}):
        lines.append(f"Content-Length: {len(body)}")
    # Lone surrogates (\udc80-\udcff) stand for bytes that are not UTF-8.
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def health_status(port: int, path: str) -> int | None:
    """The status of ``GET path`` on a new connection."""
    request = request_bytes("GET", path, {"Connection": "close"})
    return exchange(port, request).status
