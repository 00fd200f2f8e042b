"""Which request heads and chunk-size lines are refused, and the answer sent
(:mod:`bot.http_framing`). Pure: bytes in, a reason out."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

from sanic.exceptions import SanicException

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
CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})(?:[ \t]*;[^\r\n]*)?")
# What Sanic waits for before it refuses a chunk's size line.
MAX_CHUNK_HEAD_BYTES = 64


class FramingError(ValueError):
    """A request head whose framing the guard refuses; the message says why."""


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
