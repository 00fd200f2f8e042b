"""Sanic's ``Http`` with the framing checks and deadlines of :mod:`bot.http_framing`
applied to every request of a connection."""

from __future__ import annotations

import asyncio
import logging
from time import monotonic
from typing import Any

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

from bot.http_framing.checks import (
    CHUNK_SIZE,
    MAX_CHUNK_HEAD_BYTES,
    FramingError,
    error_response_bytes,
    framing_problem,
    incomplete_head_problem,
    refusal,
)
from bot.http_framing.deadlines import ReceiveDeadline, body_deadline, head_deadline

logger = logging.getLogger(__name__)


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
        size = CHUNK_SIZE.fullmatch(buffer, 2, end) if buffer[:2] == b"\r\n" else None
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
