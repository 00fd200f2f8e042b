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
(:mod:`bot.http_framing.deadlines`) has passed, where each byte restarted Sanic's
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
undoes it; ``tests/system/server/test_http_framing.py`` is its test against each
server, ``tests/bot/http_framing/`` those of the pure checks and the installation.

The package: :mod:`~bot.http_framing.checks` (which heads and chunks are refused,
and the answer; pure), :mod:`~bot.http_framing.deadlines` (how long a head and a
body may take; pure) and :mod:`~bot.http_framing.protocol` (the ``Http``
subclass that applies them).
"""

from __future__ import annotations

import sanic
from sanic.http import Http
from sanic.server.protocols import http_protocol

from bot.http_framing.checks import (
    LINE_END_PROBLEM,
    UNPARSABLE_HEAD,
    FramingError,
    error_response_bytes,
    framing_problem,
    incomplete_head_problem,
    refusal,
)
from bot.http_framing.protocol import (
    FramingGuardedHttp,
    answer_head_as_get,
    ignore_unparsable_accept,
)

__all__ = [
    "CONTRACT",
    "LINE_END_PROBLEM",
    "TARGET",
    "UNPARSABLE_HEAD",
    "FramingError",
    "FramingGuardedHttp",
    "UnsupportedSanicError",
    "answer_head_as_get",
    "check_sanic_version",
    "error_response_bytes",
    "framing_problem",
    "ignore_unparsable_accept",
    "incomplete_head_problem",
    "install",
    "installed",
    "refusal",
    "uninstall",
]

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


class UnsupportedSanicError(RuntimeError):
    """The installed Sanic is not the one whose internals the guard relies on."""


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
