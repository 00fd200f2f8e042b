"""HTTP/1.1 over a raw socket: sends any bytes, and reads what a server answers, if anything.

No client library here: they refuse to send the malformed requests these tests
are about, or fix them on the way out.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
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

    def json(self) -> Any:
        """The first response's body as JSON."""
        return json.loads(self.body)


def split_response(data: bytes) -> tuple[int, dict[str, str], bytes, bytes] | None:
    """The first whole response in ``data`` (status, headers, body) and what follows,
    or None while it is incomplete."""
    end = data.find(b"\r\n\r\n")
    match = _STATUS_LINE.match(data)
    if end == -1 or match is None:
        return None
    lines = data[match.end() : end].decode("latin-1").split("\r\n")
    headers = {}
    for line in filter(None, lines):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    rest = data[end + 4 :]
    if headers.get("transfer-encoding") == "chunked":
        last = rest.find(b"0\r\n\r\n")
        if last == -1:
            return None
        return int(match.group(1)), headers, rest[:last], rest[last + 5 :]
    length = int(headers.get("content-length", "0"))
    if len(rest) < length:
        return None
    return int(match.group(1)), headers, rest[:length], rest[length:]


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
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        with contextlib.suppress(OSError):  # the server closed already (it may have answered)
            connection.sendall(data)
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
        return Answer(status=statuses[0] if statuses else None, statuses=statuses, closed=closed)
    status, headers, body, _ = first
    return Answer(status, headers, body, statuses, closed)


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
