"""Issue 21, defect 1: one request with ``Content-Length: -1`` froze a server for good
(Sanic 21.12's body loop never counted down to zero). Each of the product's three
Sanic servers now refuses it, and other unclear framing, with a 400 before reading
any body, closes that connection, and goes on answering everyone else."""

from __future__ import annotations

import pytest

from tests.server.raw_http import exchange, health_status
from tests.server.sanic_servers import Server, module_server

pytestmark = [pytest.mark.server]

rasa_server = module_server("rasa")
actions_server = module_server("actions")
web_server = module_server("web")

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
