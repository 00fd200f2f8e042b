"""Refuses HTTP/1.1 requests whose framing is unclear, before any body is read.

Sanic 21.12.2 (Rasa 3.6's pin) takes a request's body length with
``int(headers["content-length"])`` in ``Http.http1_request_header``. So
``Content-Length: -1`` is a length that ``Http.read`` never counts down to zero:
the server spins at 100 % CPU and answers no one again, from one request of
70 bytes. ``int`` also reads ``6_4``, ``+64``, `` 64`` and Arabic-Indic digits
as 64 (where a proxy in front may read another length: request smuggling), and
fails with a 500 and a logged traceback on ``64, 64`` or ``0x40``. A
Transfer-Encoding other than ``chunked`` (``Chunked``, ``gzip, chunked``) is
read as if absent, and with no Content-Length that is a ``KeyError``: 500.
A request line Sanic cannot parse into a URL fails twice (Sanic makes up a
request with the same URL to answer it), and the connection closes unanswered
with two tracebacks in the log.

The guard, in every Sanic server of the product (the Rasa server, the action
server and the web app, each its own process), answers 400 with a JSON reason
and closes the connection (its framing is unknown) when a request head has

- a line not ended by CRLF, or a control character (NUL included);
- a header name that is not an RFC 9110 token, or a header line with no colon;
- a Content-Length that is not 1 to :data:`MAX_LENGTH_DIGITS` ASCII digits,
  or more than one Content-Length header;
- a Transfer-Encoding other than exactly one ``chunked``, one on an HTTP/1.0
  request, or one together with a Content-Length.

In a chunked body, a chunk size Sanic's ``int(size, 16)`` reads leniently
(``+2``, ``0x2``, ``0_2``), a chunk running past its size, or trailers are
refused the way Sanic refuses a size it cannot read (400, connection closed).

A request whose head Sanic itself refuses (an unparsable request line, a head
over the size limit, a URL it cannot parse) is answered the same way, instead
of running the app's middleware and error handler on a made-up request.

More failures of this layer are mended here. A bad chunk in a body the app
never read (its answer, a 404 or 405, sent before) escaped Sanic's draining of
that body with a traceback: the connection is closed instead. An ``Accept``
header Sanic cannot parse (``a/b;q=x``) made the rendering of any error fail,
answering "500 An error occurred while handling an error": it is read as if
absent. A head or body sent a byte at a time is answered 408 once its deadline
(:mod:`bot.http_deadlines`) has passed, where each byte restarted Sanic's
timeout. A client that leaves mid-request is noted at INFO; Sanic ran the app's
error handler on it ("ServiceUnavailable: Cancelled"), which the web app logs as
an unexpected error with its traceback. A body the route ignores (a GET's, even
``Content-Length: 0``) is read once a 2xx answer is sent, where Sanic first
logged "body not consumed" as an error. And a HEAD request on a path
the app routes for GET but not for HEAD (Rasa's ``/``, the action server's
``/health``) is answered as the GET would be, without the body (RFC 9110
9.3.2), where Sanic 21.12 answered 405.

The replacement, as data for the package of run-time patches: :data:`TARGET`
is replaced by a subclass of Sanic's ``Http`` relying on :data:`CONTRACT`;
:func:`install` checks the installed Sanic is 21.12 first, :func:`uninstall`
undoes it; ``tests/server/test_http_framing.py`` is its test against each
server, ``tests/bot/test_http_framing.py`` that of the pure check below.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from http import HTTPStatus
from time import monotonic
from typing import Any

import sanic
from sanic.exceptions import (
    InvalidUsage,
    PayloadTooLarge,
    RequestTimeout,
    SanicException,
    ServiceUnavailable,
)
from sanic.headers import AcceptContainer
from sanic.http import HTTP_CONTINUE, Http, Stage
from sanic.request import Request
from sanic.server.protocols import http_protocol

from bot.http_deadlines import ReceiveDeadline, body_deadline, head_deadline

logger = logging.getLogger(__name__)

SUPPORTED_SANIC = "21.12."
TARGET = "sanic.server.protocols.http_protocol.Http"
CONTRACT = (
    "HttpProtocol._setup_connection makes each connection's Http(protocol) by the module "
    "name Http; Http.http1_request_header waits for the head in protocol.recv_buffer up to "
    "its CRLFCRLF (at most Http.HEADER_MAX_SIZE bytes), takes the body's framing from "
    "Content-Length and Transfer-Encoding as parsed there and sets self.request last; an "
    "exception it raises reaches Http.error_response with self.request still None. "
    "Http.read finds each chunk's size line in recv_buffer after a CRLF once "
    "request_bytes_left is 0, raises InvalidUsage for a bad one, and Http.http1 drains an "
    "unread body with it after the answer (stage no longer HANDLER). Every wait for bytes "
    "goes through Http._receive_more, which is HttpProtocol.receive_more: it resumes reading, "
    "clears protocol._data_received and waits for it, which data_received sets once it has "
    "added bytes to recv_buffer. Http.http1 turns a cancelled connection task into "
    "Http.error_response(ServiceUnavailable) and answers with the app's error handler once "
    "self.request is set; after the handler it logs 'body not consumed' as an error for a 2xx "
    "answer while request_body is set, then drains it. Http.http1_response_header sends the "
    "answer's head (and a whole body with end_stream), then sets stage IDLE. Http.head_only, "
    "set from the request line's method, drops the body of the answer and keeps its length; "
    "app.handle_request routes by request.method. "
    "Request.accept parses the Accept header once into Request.parsed_accept."
)
# Up to 10**18 - 1 bytes: int() stays cheap and the app's REQUEST_MAX_SIZE answers 413.
MAX_LENGTH_DIGITS = 18
LINE_END_PROBLEM = "every line of the request head must end with CRLF"
UNPARSABLE_HEAD = "the request line could not be parsed: send METHOD /path HTTP/1.1"

_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_CONTROL_OR_TAB = re.compile(rb"[\x00-\x1f\x7f]")
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIGITS = re.compile(rb"[0-9]{1,%d}" % MAX_LENGTH_DIGITS)
# A LF without its CR, or a CR followed by anything but LF.
_BARE_LINE_END = re.compile(rb"(?<!\r)\n|\r(?=[^\n])")
_OPTIONAL_WHITESPACE = b" \t"
# A chunk's size in hex, then perhaps extensions (RFC 9112 7.1.1).
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})(?:[ \t]*;[^\r\n]*)?")
# What Sanic waits for before it refuses a chunk's size line.
MAX_CHUNK_HEAD_BYTES = 64


class FramingError(ValueError):
    """A request head whose framing the guard refuses; the message says why."""


class UnsupportedSanicError(RuntimeError):
    """The installed Sanic is not the one whose internals the guard relies on."""


def framing_problem(head: bytes) -> str | None:
    """Why a request head must be refused, or None if it may be served.

    Args:
        head: the request line and the header lines, joined by CRLF, without the
            CRLFCRLF that ends the head.

    Returns:
        A short reason for the client, or None.
    """
    if _BARE_LINE_END.search(head) or head.endswith(b"\r"):
        return LINE_END_PROBLEM
    request_line, *header_lines = head.split(b"\r\n")
    if _CONTROL_OR_TAB.search(request_line):
        return "the request line holds a control character"
    fields: dict[bytes, list[bytes]] = {}
    for line in header_lines:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            return "each header line must be a name (a token), a colon and a value"
        if _CONTROL.search(value):
            return "a header value holds a control character"
        fields.setdefault(name.lower(), []).append(value)
    return _length_problem(request_line, fields)


def _length_problem(request_line: bytes, fields: dict[bytes, list[bytes]]) -> str | None:
    lengths = fields.get(b"content-length", [])
    encodings = fields.get(b"transfer-encoding", [])
    if len(lengths) > 1:
        return "send one Content-Length header"
    if lengths and not _DIGITS.fullmatch(lengths[0].strip(_OPTIONAL_WHITESPACE)):
        return f"Content-Length must be 1 to {MAX_LENGTH_DIGITS} ASCII digits"
    if not encodings:
        return None
    if lengths:
        return "send Content-Length or Transfer-Encoding, not both"
    # Sanic compares the value, stripped on the left only, with "chunked".
    if len(encodings) > 1 or encodings[0].lstrip(_OPTIONAL_WHITESPACE) != b"chunked":
        return "the only Transfer-Encoding accepted is one 'chunked'"
    if request_line.endswith(b" HTTP/1.0"):
        return "HTTP/1.0 has no Transfer-Encoding"
    return None


def incomplete_head_problem(received: bytes | bytearray, start: int = 0) -> str | None:
    """Why the start of a head, still without its CRLFCRLF, must be refused already.

    A client ending lines with LF alone would otherwise wait for a CRLFCRLF
    that never comes.

    Args:
        received: the bytes of the head received so far.
        start: where to look from (what comes before was checked already).

    Returns:
        A short reason for the client, or None.
    """
    if _BARE_LINE_END.search(received, start):
        return LINE_END_PROBLEM
    return None


def error_response_bytes(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 response: ``status``, ``{"error": {"code", "message"}}``, close."""
    phrase = HTTPStatus(status).phrase
    code = phrase.lower().replace(" ", "_").replace("-", "_").replace("'", "")
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (
        f"HTTP/1.1 {status} {phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "cache-control: no-store\r\n"
        "x-content-type-options: nosniff\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def refusal(exception: Exception) -> tuple[int, str]:
    """The status and reason answering ``exception``, raised before a request was parsed.

    Sanic's own 400 says only "Bad Request"; an exception not Sanic's is a URL
    that ``httptools`` could not parse, which Sanic would answer with a 500.
    """
    if isinstance(exception, FramingError):
        return 400, str(exception)
    status = exception.status_code if isinstance(exception, SanicException) else None
    if not status or status == 400:
        return 400, UNPARSABLE_HEAD
    return int(status), str(exception) or HTTPStatus(status).phrase


def ignore_unparsable_accept(request: Request) -> None:
    """Reads an ``Accept`` header Sanic cannot parse as if there were none.

    Sanic parses it only when rendering an error; one it cannot parse
    (``Accept: a;q=x``) turned every 404 or 405 into "500 An error occurred while
    handling an error".
    """
    if "accept" not in request.headers:
        return
    try:
        request.accept  # noqa: B018  # parsed once, kept in parsed_accept
    except (SanicException, ValueError, TypeError):
        request.parsed_accept = AcceptContainer()


def answer_head_as_get(request: Request) -> None:
    """Routes a HEAD request to the GET route of its path if the app has no HEAD route
    there; the answer then has the GET's headers, and Sanic drops its body.
    """
    if request.method != "HEAD":
        return
    if not _routed(request, "HEAD") and _routed(request, "GET"):
        request.method = "GET"


def _routed(request: Request, method: str) -> bool:
    try:
        request.app.router.get(request.path, method, request.headers.getone("host", None))
    except SanicException:  # NotFound, MethodNotSupported: the app answers them itself
        return False
    return True


class FramingGuardedHttp(Http):
    """Sanic's ``Http``, checking each request head before Sanic parses it, and
    receiving the head and the body within their deadlines."""

    __slots__ = ("_deadline", "_receive_from_client")

    def __init__(self, protocol: Any) -> None:
        super().__init__(protocol)
        self._deadline: ReceiveDeadline | None = None
        self._receive_from_client = self._receive_more
        self._receive_more = self._receive_in_time

    async def http1_request_header(self) -> None:
        """Sanic's, once the head is received and its framing is clear.

        Raises:
            FramingError: the head's framing is refused (see the module).
            RequestTimeout: the head was not whole by its deadline.
        """
        config = self.protocol.app.config
        self._deadline = head_deadline(config, monotonic())
        problem = await self._receive_head()
        if problem is not None:
            raise FramingError(problem)
        await super().http1_request_header()
        self._deadline = body_deadline(config, monotonic())
        ignore_unparsable_accept(self.request)
        answer_head_as_get(self.request)

    async def _receive_in_time(self) -> None:
        """Waits for more bytes, until the deadline of the head or the body on its way.

        Raises:
            RequestTimeout: the deadline passed first; nothing more is read from
                this connection.
        """
        deadline = self._deadline
        if deadline is None or not (self.stage is Stage.REQUEST or self.request_body):
            await self._receive_from_client()  # between requests: Sanic's keep-alive timeout
            return
        received = await self._receive_within(deadline.remaining(monotonic()))
        if not received:
            self.keep_alive = False
            self.request_body = None
            raise RequestTimeout(deadline.reason)
        deadline.note_received(received)

    async def _receive_within(self, seconds: float) -> int:
        """``protocol.receive_more``, but for at most ``seconds``: how many bytes came.

        Not ``asyncio.wait_for``: on Python 3.10 it swallows the task's
        cancellation (its client leaving) when bytes came at the same moment,
        and its task would clear the event only once started, missing bytes
        that came in between.
        """
        protocol = self.protocol
        event: asyncio.Event = protocol._data_received
        before = len(self.recv_buffer)
        timer = protocol.loop.call_later(max(0.0, seconds), event.set)
        protocol.transport.resume_reading()
        event.clear()
        try:
            await event.wait()
        finally:
            timer.cancel()
        return len(self.recv_buffer) - before

    async def _receive_head(self) -> str | None:
        """Waits for the head's CRLFCRLF as Sanic does; says why it is refused, if it is.

        Returns early with nothing when the head outgrows ``HEADER_MAX_SIZE``:
        Sanic answers that (413).
        """
        buffer = self.recv_buffer
        checked = 0
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end != -1:
                return framing_problem(bytes(buffer[:end]))
            if len(buffer) - 3 >= self.HEADER_MAX_SIZE:
                return None
            problem = incomplete_head_problem(buffer, checked)
            if problem is not None:
                return problem
            checked = max(0, len(buffer) - 1)
            await self._receive_more()

    async def read(self) -> bytes | None:
        """Sanic's; but a bad chunk or a missed deadline met while Sanic drains a body
        the app did not read (its answer sent) closes the connection instead of
        escaping with a traceback.

        Raises:
            InvalidUsage: bad chunked encoding while the app reads the body (400).
            RequestTimeout: the body was not whole by its deadline (408).
        """
        try:
            if self.request_body == "chunked" and self.request_bytes_left == 0:
                await self._check_chunk_head()
            return await super().read()
        except (InvalidUsage, RequestTimeout) as problem:
            if self.stage is Stage.HANDLER:
                raise
            logger.info(
                "Closed a connection after its answer: its unread body failed (%s)", problem
            )
            self.keep_alive = False
            self.request_body = None
            return None

    async def http1_response_header(self, data: bytes, end_stream: bool) -> None:
        """Sanic's; then, once a 2xx answer is sent whole, reads what is left of a body
        the route ignored (a GET's, or a ``Content-Length: 0``), which Sanic reads
        too but only after logging "body not consumed" as an error.
        """
        await super().http1_response_header(data, end_stream)
        if self.request_body and self.stage is Stage.IDLE and 200 <= self.response.status < 300:
            await self._discard_body()

    async def _discard_body(self) -> None:
        """Reads the rest of the request's body and drops it, as Sanic does after an answer."""
        self.request_max_size = min(self.request_max_size, self.protocol.request_max_size)
        try:
            async for _ in self:
                pass
        except PayloadTooLarge:
            self.keep_alive = False
            self.request_body = None

    async def _check_chunk_head(self) -> None:
        """Waits for the next chunk's size line as Sanic does, and refuses one Sanic's
        ``int(size, 16)`` would read leniently (``+5``, ``0x5``, ``5_0``, `` 5``), one
        whose previous chunk ran past its size, or a last chunk followed by trailers,
        which Sanic would read as the next request.

        Raises:
            InvalidUsage: the chunk's head is not ``<hex digits>[;extensions]``.
        """
        if self.expecting_continue:  # Sanic's own read sends it first: so do we
            self.expecting_continue = False
            await self._send(HTTP_CONTINUE)
        buffer = self.recv_buffer
        while (end := buffer.find(b"\r\n", 3)) == -1:
            if len(buffer) > MAX_CHUNK_HEAD_BYTES:
                return  # Sanic refuses it
            await self._receive_more()
        # The CRLF ending the previous chunk's data (or the head) comes first.
        size = _CHUNK_SIZE.fullmatch(buffer, 2, end) if buffer[:2] == b"\r\n" else None
        if size is not None and int(size.group(1), 16) == 0:
            while len(buffer) < end + 4:
                await self._receive_more()
            size = size if buffer[end + 2 : end + 4] == b"\r\n" else None
        if size is None:
            self.keep_alive = False
            raise InvalidUsage("Bad chunked encoding")

    async def error_response(self, exception: Exception) -> None:
        """Sanic's once a request was parsed; before that, the guard's own answer.

        A connection cancelled because its client left (``ServiceUnavailable``)
        is no error of the server's: nothing is answered, the app's error
        handler is not run, and the connection ends.
        """
        transport = self.protocol.transport
        client_left = transport is None or transport.is_closing()
        if self.request is not None:
            if client_left and isinstance(exception, ServiceUnavailable):
                self.keep_alive = False
                self.request_body = None  # nothing more comes: Sanic would wait for it
                method, path = self.request.method, self.request.path
                logger.info("A client closed the connection mid-request (%s %s)", method, path)
                return
            await super().error_response(exception)
            return
        self.keep_alive = False
        if client_left:  # no one to answer
            return
        status, message = refusal(exception)
        logger.info("Refused a request head (%s): %s", status, message)
        await self._send(error_response_bytes(status, message))


def check_sanic_version(version: str) -> None:
    """Accepts Sanic ``version`` if it is 21.12.x, whose internals :data:`CONTRACT` names.

    Raises:
        UnsupportedSanicError: any other version.
    """
    if not version.startswith(SUPPORTED_SANIC):
        raise UnsupportedSanicError(
            f"bot.http_framing replaces {TARGET} of Sanic {SUPPORTED_SANIC}x, but Sanic "
            f"{version} is installed: check its contract ({CONTRACT}) against that version "
            "and update the guard, or drop it if that Sanic checks framing itself"
        )


def install() -> None:
    """Makes every Sanic server of this process check request framing (idempotent).

    Raises:
        UnsupportedSanicError: the installed Sanic is not 21.12, or something else
            replaced its ``Http`` already.
    """
    if installed():
        return
    check_sanic_version(sanic.__version__)
    if http_protocol.Http is not Http:
        raise UnsupportedSanicError(f"{TARGET} was replaced already, by {http_protocol.Http!r}")
    http_protocol.Http = FramingGuardedHttp  # type: ignore[misc]


def uninstall() -> None:
    """Gives Sanic its own ``Http`` back (for tests); nothing when not installed."""
    if installed():
        http_protocol.Http = Http  # type: ignore[misc]


def installed() -> bool:
    """Whether this process's Sanic servers check request framing."""
    return http_protocol.Http is FramingGuardedHttp
