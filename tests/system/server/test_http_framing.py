"""Issue 21, defect 1: one request with ``Content-Length: -1`` froze a server for good
(Sanic 21.12's body loop never counted down to zero). Each of the product's three
Sanic servers now refuses it, and other unclear framing, with a 400 before reading
any body, closes that connection, and goes on answering everyone else.

The outside sweep after it: a head or a body sent a byte every few seconds was
never timed out (each byte restarted Sanic's timeout), a client leaving in the
middle of a body was logged as the web app's error, and HEAD was a 405 where GET
answers. The servers here get deadlines of :data:`DEADLINE_SECONDS`.
"""

from __future__ import annotations

import re
import time

import pytest

from bot.http_framing.deadlines import BODY_SECONDS_SETTING, HEAD_SECONDS_SETTING
from tests.system.server.raw_http import (
    drip,
    exchange,
    exchange_in_pieces,
    exchange_until_closed,
    health_status,
    leave_mid_body,
    request_bytes,
    split_head,
)
from tests.system.server.sanic_servers import ACTION_TOKEN, Server, module_server

pytestmark = [pytest.mark.server]

# Short enough for a test, long enough for a head sent in a few pieces on a busy machine.
DEADLINE_SECONDS = 5
DEADLINES = {
    f"SANIC_{HEAD_SECONDS_SETTING}": str(DEADLINE_SECONDS),
    f"SANIC_{BODY_SECONDS_SETTING}": str(DEADLINE_SECONDS),
}
# How long a test waits for what must come well within a deadline (a hang fails it).
GUARD_SECONDS = 60.0
DRIP_INTERVAL_SECONDS = 0.25

rasa_server = module_server("rasa", **DEADLINES)
actions_server = module_server("actions", **DEADLINES)
web_server = module_server("web", **DEADLINES)

SERVERS = [
    pytest.param("rasa_server", marks=pytest.mark.model, id="rasa"),
    pytest.param("actions_server", id="actions"),
    pytest.param("web_server", id="web"),
]
# The outside tester's request, with a body: Sanic spun on its last byte.
NEGATIVE_LENGTH = (
    b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: -1\r\n\r\n{}"
)


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(request.param)


def test_a_negative_content_length_is_refused_and_the_server_answers_the_next(server):
    answer = exchange(server.port, NEGATIVE_LENGTH)

    assert answer.status == 400
    assert "Content-Length" in answer.json()["error"]["message"]
    assert answer.headers["connection"] == "close"
    assert answer.closed
    assert health_status(server.port, server.health_path) == 200


@pytest.mark.parametrize(
    "length",
    ["+2", "2_0", "\u00a02", "\x0b2", "\u0662", "2, 2", "0x2", "2e0", "", "1" * 19],
    ids=[
        "plus",
        "underscore",
        "no-break-space",
        "vertical-tab",
        "arabic-indic",
        "list",
        "hex",
        "exponent",
        "empty",
        "19-digits",
    ],
)
def test_a_content_length_not_plain_digits_is_refused(server, length):
    request = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}".encode()

    answer = exchange(server.port, request)

    assert answer.status == 400, answer
    assert answer.closed
    assert health_status(server.port, server.health_path) == 200


def test_a_smuggled_request_behind_two_framings_is_never_served(server):
    smuggled = f"GET {server.health_path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n" + smuggled
    )

    answer = exchange(server.port, request)

    assert answer.statuses == (400,)
    assert answer.closed


def test_refusals_leave_no_traceback_in_the_log(server):
    for request in (
        NEGATIVE_LENGTH,
        b"GET http://[::1 HTTP/1.1\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\n\r\n",
    ):
        assert exchange(server.port, request).status == 400

    assert server.tracebacks() == []


# A route of each server whose handler reads the body (Sanic reads it before the handler).
BODY_ROUTES = {
    "rasa": ("POST", "/webhooks/rest/webhook"),
    "actions": ("POST", "/webhook"),
    "web": ("PATCH", "/api/leads/1"),
}
# The action server answers any error of a caller without its token with a 401.
CALLER_HEADERS = {"actions": {"Authorization": f"Bearer {ACTION_TOKEN}"}}


def test_a_head_sent_a_byte_at_a_time_is_answered_408_and_closed(server):
    answer = drip(
        server.port,
        f"GET {server.health_path} HTTP/1.1\r\nHost: x\r\nX-Drip: ".encode(),
        interval=DRIP_INTERVAL_SECONDS,
        guard=GUARD_SECONDS,
    )

    assert answer.status == 408, answer
    assert "within" in answer.json()["error"]["message"]
    assert answer.headers["connection"] == "close"
    assert answer.closed
    assert health_status(server.port, server.health_path) == 200


def test_a_body_sent_a_byte_at_a_time_is_answered_408_and_closed(server):
    method, path = BODY_ROUTES[server.kind]
    head = request_bytes(
        method, path, {**CALLER_HEADERS.get(server.kind, {}), "Content-Length": "1000"}
    )

    answer = drip(server.port, head, interval=DRIP_INTERVAL_SECONDS, guard=GUARD_SECONDS)

    assert answer.status == 408, answer
    assert "within" in answer.body.decode()
    assert answer.headers["connection"] == "close"
    assert answer.closed
    assert health_status(server.port, server.health_path) == 200


def test_a_head_and_body_in_pieces_within_the_deadline_are_served(server):
    pieces = [
        f"GET {server.health_path} HTTP/1.1\r\nHo".encode(),
        b"st: x\r\nContent-Length: 4\r\nConnection: close",
        b"\r\n\r\n{}",
        b"{}",
    ]

    answer = exchange_in_pieces(server.port, pieces, pause=0.2)

    assert answer.status == 200, answer


def log_since(server: Server, start: int) -> str:
    return server.log.read_text(errors="replace")[start:]


def wait_for_log(server: Server, start: int, pattern: str) -> str:
    """The log written since ``start`` once it holds ``pattern``; fails after the guard."""
    give_up = time.monotonic() + GUARD_SECONDS
    while not re.search(pattern, log_since(server, start)):
        if time.monotonic() > give_up:
            pytest.fail(f"no {pattern!r} in the log; it got:\n{log_since(server, start)}")
        time.sleep(0.1)
    return log_since(server, start)


@pytest.mark.parametrize("kind", ["health", "body route"])
def test_a_client_leaving_mid_body_is_no_error_in_the_log(server, kind):
    method, path = ("GET", server.health_path) if kind == "health" else BODY_ROUTES[server.kind]
    headers = {"Content-Length": "100", "Expect": "100-continue"}
    start = len(server.log.read_text(errors="replace"))

    sent = leave_mid_body(server.port, request_bytes(method, path, headers), b"abc")

    assert sent.startswith(b"HTTP/1.1 100 Continue")
    written = wait_for_log(
        server, start, re.escape(f"client closed the connection mid-request ({method} {path})")
    )
    assert not re.search(r"\bERROR\b", written), written
    assert "Traceback" not in written
    assert health_status(server.port, server.health_path) == 200


@pytest.mark.parametrize("body", [b"{}", b""], ids=["a body", "Content-Length 0"])
def test_a_get_with_a_body_its_route_ignores_is_no_error_in_the_log(server, body):
    start = len(server.log.read_text(errors="replace"))
    with_body = request_bytes("GET", server.health_path, {"Content-Length": str(len(body))}, body)

    last = request_bytes("GET", server.health_path, {"Connection": "close"})

    # The second answer comes once the server is done with the first request.
    answer = exchange_until_closed(server.port, with_body + last)

    assert answer.statuses == (200, 200)
    written = log_since(server, start)
    assert "body not consumed" not in written  # Sanic's error line, without "ERROR" in it here
    assert not re.search(r"\bERROR\b", written), written


def test_head_is_answered_as_get_without_the_body(server):
    get = exchange(server.port, request_bytes("GET", server.health_path, {"Connection": "close"}))

    head = exchange(server.port, request_bytes("HEAD", server.health_path, {"Connection": "close"}))

    assert head.closed
    status, headers, after_head = split_head(head.received) or (None, {}, b"")
    assert get.status == status == 200
    assert headers == get.headers
    assert int(headers["content-length"]) == len(get.body) > 0
    assert after_head == b""
