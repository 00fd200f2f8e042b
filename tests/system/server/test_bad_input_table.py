"""Bad input, one row per class, against the real servers over raw sockets.

Each row sends one request on a new connection and checks the status, the
reason (in a JSON body, where the route speaks JSON) and that the server then
answers its health route on a fresh connection. Rows are grouped by the server
and the part of it they reach; to add a group, write its rows and add them to
``ROWS`` (the servers are :mod:`tests.system.server.sanic_servers`' kinds).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.rasa_plugins.channels.sessions import SessionSigner
from tests.system.server.rasa_process import session_secret
from tests.system.server.raw_http import exchange, health_status, request_bytes
from tests.system.server.sanic_servers import ACTION_TOKEN, SALES_TOKEN, Server, module_server
from tests.system.server.socket_visitor import PollingConnection, SocketVisitor

pytestmark = [pytest.mark.server]

rasa_server = module_server("rasa")
actions_server = module_server("actions")
web_server = module_server("web")


@dataclass(frozen=True)
class Case:
    """One class of bad input: what is sent to which server, and what must come back.

    Attributes:
        name: the class, as the test's id.
        server: ``rasa``, ``actions`` or ``web``.
        request: the bytes sent on a new connection.
        status: the status expected, or None for a close without an answer.
        reason: a piece of the JSON body's text; None when the answer is not JSON.
        finish: end the client's side right after sending (an incomplete request).
    """

    name: str
    server: str
    request: bytes
    status: int | None
    reason: str | None = None
    finish: bool = False


def get(path: str, **headers: str) -> bytes:
    return request_bytes("GET", path, headers)


def send(method: str, path: str, body: bytes = b"", **headers: str) -> bytes:
    return request_bytes(method, path, headers, body)


def head(*lines: str, body: bytes = b"") -> bytes:
    """A request written line by line (the head's end is added), for framing rows."""
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


SALES = {"Authorization": f"Bearer {SALES_TOKEN}"}
JSON = {"Content-Type": "application/json"}
ACTIONS = {"Authorization": f"Bearer {ACTION_TOKEN}", **JSON}
NESTED = b"[" * 100_000
NOT_UTF8 = "Bearer \udcff\udcfe"
TOO_DEEP = "nests too deeply"
POST = "POST / HTTP/1.1"
WEBHOOK = "POST /webhooks/rest/webhook HTTP/1.1"


def patch_lead(body: bytes, **headers: str) -> bytes:
    return send("PATCH", "/api/leads/1", body, **{**SALES, **headers})


def chunked_call(chunks: bytes) -> bytes:
    lines = ["POST /webhook HTTP/1.1", f"Authorization: Bearer {ACTION_TOKEN}"]
    return head(*lines, "Transfer-Encoding: chunked", body=chunks)


def chunked_message(chunks: bytes) -> bytes:
    return head(WEBHOOK, "Transfer-Encoding: chunked", "Accept: application/json", body=chunks)


def call(body: bytes, **headers: str) -> bytes:
    return send("POST", "/webhook", body, **{**ACTIONS, **headers})


WEB_SITE_ROWS = (
    Case("static name with NUL", "web", get("/site/%00"), 404, "no such file"),
    Case("static name with NUL inside", "web", get("/widget/agency-chat%00.js"), 404, "no such"),
    Case("inbox static name with NUL", "web", get("/sales/static/inbox%00.js"), 404, "no such"),
    Case("static name too long", "web", get("/widget/" + "a" * 4000 + ".js"), 404, "no such"),
    Case("static traversal, encoded", "web", get("/site/..%2f..%2fsettings.py"), 404, "no such"),
    Case("static name not UTF-8", "web", get("/site/%ff%fe.css"), 404, "no such"),
    Case("static name a folder", "web", get("/site/.."), 404, "no such"),
    Case("unknown page", "web", get("/nope"), 404, "not found"),
    Case("wrong method on a page", "web", send("POST", "/", b"x"), 405, "not allowed"),
    Case("wrong method on health", "web", send("DELETE", "/health"), 405, "not allowed"),
    Case("page with a query of junk", "web", get("/?%00=%ff&&=&a"), 200),
    Case("range past the end of a file", "web", get("/site/site.css", Range="bytes=999999-"), 200),
    Case(
        "If-Modified-Since of junk", "web", get("/site/site.css", **{"If-Modified-Since": "x"}), 200
    ),
    Case("Accept of junk", "web", get("/nope", Accept="*/*;q=x, ;;, text/"), 404, "not found"),
    Case("double slash", "web", get("//"), 200),
    Case("header block over the limit", "web", get("/", Cookie="a" * 20_000), 413, "exceeds"),
    Case("HEAD on a page", "web", send("HEAD", "/"), 200),
    Case("HEAD on health", "web", send("HEAD", "/health"), 200),
    Case("GET with a body", "web", send("GET", "/health", b"{}"), 200),
)

SALES_API_ROWS = (
    Case("no token", "web", get("/api/leads"), 401, "Bearer"),
    Case("HEAD without a token", "web", send("HEAD", "/api/leads"), 401),
    Case("HEAD on the leads", "web", send("HEAD", "/api/leads.csv", **SALES), 200),
    Case("not Bearer", "web", get("/api/leads", Authorization="Basic eDp5"), 401, "Bearer"),
    Case("wrong token", "web", get("/api/leads", Authorization="Bearer nope"), 401, "not valid"),
    Case("token not UTF-8", "web", get("/api/leads", Authorization=NOT_UTF8), 401, "not valid"),
    Case("limit not a number", "web", get("/api/leads?limit=abc", **SALES), 422, "limit"),
    Case("limit zero", "web", get("/api/leads?limit=0", **SALES), 422, "limit"),
    Case("offset negative", "web", get("/api/leads?offset=-1", **SALES), 422, "offset"),
    Case("limit twice", "web", get("/api/leads?limit=1&limit=2", **SALES), 422, "limit"),
    Case("unknown parameter", "web", get("/api/leads?sort=name", **SALES), 422, "sort"),
    Case("date of junk", "web", get("/api/leads?created_from=yesterday", **SALES), 422, "created"),
    Case("unknown status", "web", get("/api/leads.csv?status=won", **SALES), 422, "status"),
    Case("period of junk", "web", get("/api/stats?since=x", **SALES), 422, "since"),
    Case("lead id over 32 bits", "web", get("/api/leads/99999999999", **SALES), 404, "lead"),
    Case("lead id not a number", "web", get("/api/leads/abc", **SALES), 404, "not found"),
    Case("PATCH without a content type", "web", patch_lead(b'{"notes": "x"}'), 415, "json"),
    Case(
        "PATCH in Latin-1",
        "web",
        patch_lead(b"{}", **{"Content-Type": "application/json; charset=latin-1"}),
        415,
        "UTF-8",
    ),
    Case("PATCH of malformed JSON", "web", patch_lead(b"{", **JSON), 400, "not valid JSON"),
    Case("PATCH nested 100,000 deep", "web", patch_lead(NESTED, **JSON), 400, TOO_DEEP),
    Case("PATCH not UTF-8", "web", patch_lead(b'{"notes": "\xff"}', **JSON), 400, "not valid JSON"),
    Case(
        "PATCH with a key twice",
        "web",
        patch_lead(b'{"notes": "a", "notes": "b"}', **JSON),
        422,
        "twice",
    ),
    Case("PATCH of an unknown field", "web", patch_lead(b'{"email": "x"}', **JSON), 422, "email"),
    Case(
        "PATCH of notes too long",
        "web",
        patch_lead(json.dumps({"notes": "n" * 5001}).encode(), **JSON),
        422,
        "5000",
    ),
    Case(
        "PATCH over the body limit",
        "web",
        patch_lead(b"[" + b" " * 300_000 + b"]", **JSON),
        413,
        "exceeds",
    ),
    Case(
        "PUT on a lead",
        "web",
        send("PUT", "/api/leads/1", b"{}", **{**SALES, **JSON}),
        405,
        "not allowed",
    ),
)

ACTION_SERVER_ROWS = (
    Case("no token", "actions", send("POST", "/webhook", b"{}", **JSON), 401, "token"),
    Case("HEAD on health", "actions", send("HEAD", "/health"), 200),
    Case("GET with a body", "actions", send("GET", "/health", b"{}"), 200),
    Case("token not UTF-8", "actions", call(b"{}", Authorization=NOT_UTF8), 401, "token"),
    Case("Accept of junk", "actions", get("/nope", Accept="a/b;q=x"), 401, "token"),
    Case(
        "wrong token",
        "actions",
        send("POST", "/webhook", b"{}", Authorization="Bearer x"),
        401,
        "token",
    ),
    Case("malformed JSON", "actions", call(b"{"), 400, "json"),
    Case("JSON nested 100,000 deep", "actions", call(NESTED), 400, "json"),
    Case("empty body", "actions", call(b""), 400, "Invalid body"),
    Case("a list", "actions", call(b"[]"), 400, "JSON object"),
    Case("a string", "actions", call(b'"action_listen"'), 400, "JSON object"),
    Case("action name a list", "actions", call(b'{"next_action": []}'), 400, "next_action"),
    Case("no tracker", "actions", call(b'{"next_action": "action_submit_lead"}'), 400, "tracker"),
    Case("version a number", "actions", call(b'{"version": 3.6}'), 400, "version"),
    Case(
        "domain a list",
        "actions",
        call(b'{"next_action": "x", "tracker": {}, "domain": []}'),
        400,
        "domain",
    ),
    Case(
        "unknown action",
        "actions",
        call(b'{"next_action": "no_such_action", "tracker": {}}'),
        404,
        "no_such_action",
    ),
    Case(
        "compressed body",
        "actions",
        send("POST", "/webhook", b"x", **ACTIONS, **{"Content-Encoding": "deflate"}),
        415,
        "compressed",
    ),
    Case("GET on the webhook", "actions", get("/webhook", **ACTIONS), 405, "not allowed"),
    Case("unknown path", "actions", get("/nope", **ACTIONS), 404, "not found"),
    Case("chunked, well formed (control)", "actions", chunked_call(b"2\r\n{}\r\n0\r\n\r\n"), 200),
    Case("chunked, an extension", "actions", chunked_call(b"2;x=y\r\n{}\r\n0\r\n\r\n"), 200),
    Case(
        "body over the limit",
        "actions",
        head(
            "POST /webhook HTTP/1.1",
            f"Authorization: Bearer {ACTION_TOKEN}",
            "Content-Length: 17000000",
        ),
        413,
        "exceeds",
        finish=True,
    ),
    Case("wrong method on health", "actions", send("POST", "/health", b"{}"), 405, "not allowed"),
)

RASA_FRAMING_ROWS = (
    Case("length -1", "rasa", head(POST, "Content-Length: -1", body=b"{}"), 400, "Content-Length"),
    Case("HEAD on the root", "rasa", send("HEAD", "/"), 200),
    Case("HEAD on a POST route", "rasa", send("HEAD", "/webhooks/rest/webhook"), 405),
    Case("GET with a body", "rasa", send("GET", "/", b"{}"), 200),
    Case("GET with Content-Length 0", "rasa", send("GET", "/", **{"Content-Length": "0"}), 200),
    Case(
        "length with a plus",
        "rasa",
        head(POST, "Content-Length: +2", body=b"{}"),
        400,
        "Content-Length",
    ),
    Case(
        "length with an underscore",
        "rasa",
        head(POST, "Content-Length: 0_2", body=b"{}"),
        400,
        "Content-Length",
    ),
    Case(
        "length in Arabic-Indic digits",
        "rasa",
        head(POST, "Content-Length: \u0662", body=b"{}"),
        400,
        "Content-Length",
    ),
    Case(
        "length after a no-break space",
        "rasa",
        head(POST, "Content-Length: \u00a02", body=b"{}"),
        400,
        "Content-Length",
    ),
    Case(
        "length list", "rasa", head(POST, "Content-Length: 2, 2", body=b"{}"), 400, "Content-Length"
    ),
    Case(
        "length in hex",
        "rasa",
        head(POST, "Content-Length: 0x2", body=b"{}"),
        400,
        "Content-Length",
    ),
    Case(
        "length of 19 digits",
        "rasa",
        head(POST, "Content-Length: " + "1" * 19),
        400,
        "Content-Length",
    ),
    Case(
        "two equal lengths",
        "rasa",
        head(POST, "Content-Length: 2", "Content-Length: 2", body=b"{}"),
        400,
        "one Content-Length",
    ),
    Case(
        "two lengths",
        "rasa",
        head(POST, "Content-Length: 2", "Content-Length: 3", body=b"{}"),
        400,
        "one Content-Length",
    ),
    Case(
        "Chunked in capitals",
        "rasa",
        head(POST, "Transfer-Encoding: Chunked", body=b"0\r\n\r\n"),
        400,
        "chunked",
    ),
    Case(
        "gzip then chunked",
        "rasa",
        head(POST, "Transfer-Encoding: gzip, chunked", body=b"0\r\n\r\n"),
        400,
        "chunked",
    ),
    Case(
        "chunked twice",
        "rasa",
        head(POST, "Transfer-Encoding: chunked, chunked", body=b"0\r\n\r\n"),
        400,
        "chunked",
    ),
    Case(
        "two chunked headers",
        "rasa",
        head(POST, "Transfer-Encoding: chunked", "Transfer-Encoding: chunked", body=b"0\r\n\r\n"),
        400,
        "chunked",
    ),
    Case(
        "chunked and a length",
        "rasa",
        head(POST, "Content-Length: 5", "Transfer-Encoding: chunked", body=b"0\r\n\r\n"),
        400,
        "not both",
    ),
    Case(
        "chunked on HTTP/1.0",
        "rasa",
        head("POST / HTTP/1.0", "Transfer-Encoding: chunked", body=b"0\r\n\r\n"),
        400,
        "HTTP/1.0",
    ),
    Case("lines ended by LF", "rasa", b"GET / HTTP/1.1\nHost: x\n\n", 400, "CRLF"),
    Case("NUL in the target", "rasa", b"GET /\x00 HTTP/1.1\r\n\r\n", 400, "control character"),
    Case(
        "NUL in a header value",
        "rasa",
        head("GET / HTTP/1.1", "X-A: a\x00b"),
        400,
        "control character",
    ),
    Case(
        "space before the colon", "rasa", head(POST, "Content-Length : 2", body=b"{}"), 400, "token"
    ),
    Case("folded header line", "rasa", head("GET / HTTP/1.1", "X-A: a", " b"), 400, "token"),
    Case("URL httptools refuses", "rasa", b"GET http://[::1 HTTP/1.1\r\n\r\n", 400, "request line"),
    Case("no request line", "rasa", b"HELLO\r\n\r\n", 400, "request line"),
    Case("HTTP/2.0 version", "rasa", b"GET / HTTP/2.0\r\n\r\n", 400, "request line"),
    Case("head over the limit", "rasa", get("/", Cookie="a" * 20_000), 413, "exceeds"),
    Case("Accept of junk", "rasa", get("/nope", Accept="a/b;value=1"), 404, None),
    *(
        Case(f"chunk {name}", "rasa", chunked_message(chunks), 400, "chunked")
        for name, chunks in (
            ("size with a plus", b"+2\r\n{}\r\n0\r\n\r\n"),
            ("size in 0x notation", b"0x2\r\n{}\r\n0\r\n\r\n"),
            ("size with an underscore", b"0_2\r\n{}\r\n0\r\n\r\n"),
            ("size after a space", b" 2\r\n{}\r\n0\r\n\r\n"),
            ("size in Arabic-Indic digits", "\u0662\r\n{}\r\n0\r\n\r\n".encode()),
            ("data past its size", b"1\r\n{}\r\n0\r\n\r\n"),
            ("trailers after the last", b"2\r\n{}\r\n0\r\nX-A: b\r\n\r\n"),
        )
    ),
    Case(
        "chunk size of junk, body read",
        "rasa",
        head(WEBHOOK, "Transfer-Encoding: chunked", "Accept: application/json", body=b"zz\r\n\r\n"),
        400,
        "chunked",
    ),
    Case(
        "chunk size of junk, body read, no Accept",
        "rasa",
        head(WEBHOOK, "Transfer-Encoding: chunked", body=b"zz\r\n\r\n"),
        400,
        "chunked",
    ),
    Case("unknown route, no Accept", "rasa", get("/nope"), 404, "not found"),
    Case(
        "negative chunk size, body read",
        "rasa",
        head(WEBHOOK, "Transfer-Encoding: chunked", "Accept: application/json", body=b"-1\r\n\r\n"),
        400,
        "chunked",
    ),
    Case(
        "chunk size of junk, body unread",
        "rasa",
        head(POST, "Transfer-Encoding: chunked", "Accept: application/json", body=b"zz\r\n\r\n"),
        405,
        "not allowed",
    ),
    Case(
        "body cut short",
        "rasa",
        head(WEBHOOK, "Content-Length: 100", body=b"{}"),
        None,
        finish=True,
    ),
)

# The chat channels (bot.rasa_plugins.channels): a conversation of the table's Rasa server,
# with its token, and what a message of it may get wrong.
SIGNER = SessionSigner(session_secret(os.environ))
VISITOR = SIGNER.session_for("bad-input-visitor")
BEARER = {"Authorization": f"Bearer {VISITOR.token}"}
CHAT = "/webhooks/rest/webhook"
NOT_THIS_CONVERSATION = "not this conversation's"


def message(**fields: Any) -> bytes:
    """The visitor's message "hello" as JSON, ``fields`` changed."""
    return json.dumps({"sender": VISITOR.sender, "message": "hello", **fields}).encode()


def chat(body: bytes, **headers: str) -> bytes:
    return send("POST", CHAT, body, **{**JSON, **BEARER, **headers})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def socketio(query: str, **headers: str) -> bytes:
    return get(f"/socket.io/?{query}", **headers)


WEBSOCKET = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}
FOREIGN = "https://evil.example"

RASA_REST_CHANNEL_ROWS = (
    Case("no token", "rasa", send("POST", CHAT, message(), **JSON), 401, "Bearer"),
    Case("token not Bearer", "rasa", chat(message(), Authorization="Basic eDp5"), 401, "Bearer"),
    Case("forged token", "rasa", chat(message(), **bearer("forged")), 401, NOT_THIS_CONVERSATION),
    Case(
        "another conversation's token",
        "rasa",
        chat(message(), **bearer(SIGNER.token_for("someone-else"))),
        401,
        NOT_THIS_CONVERSATION,
    ),
    Case(
        "token of another secret",
        "rasa",
        chat(message(), **bearer(SessionSigner("another-secret-" + "x" * 32).token_for("v"))),
        401,
        NOT_THIS_CONVERSATION,
    ),
    Case("token not UTF-8", "rasa", chat(message(), Authorization=NOT_UTF8), 401, "conversation"),
    Case("token of 4,000 characters", "rasa", chat(message(), **bearer("A" * 4000)), 401, "token"),
    Case("no sender", "rasa", chat(b'{"message": "hello"}'), 400, "'sender'"),
    Case("sender a number", "rasa", chat(message(sender=42)), 400, "'sender'"),
    Case("sender a path", "rasa", chat(message(sender="../../etc/passwd")), 400, "'sender'"),
    Case("sender of 60,000 characters", "rasa", chat(message(sender="s" * 60_000)), 400, "sender"),
    Case("message a number", "rasa", chat(message(message=5)), 400, "'message'"),
    Case("message an object", "rasa", chat(message(message={"text": "hi"})), 400, "'message'"),
    Case("metadata a string", "rasa", chat(message(metadata="x")), 400, "'metadata'"),
    Case("a JSON list", "rasa", chat(b'["hello"]'), 400, "JSON object"),
    Case("malformed JSON", "rasa", chat(b'{"sender": '), 400, "not valid JSON"),
    Case("JSON not UTF-8", "rasa", chat(b'{"sender": "\xff"}'), 400, "not valid JSON"),
    Case("arrays nested 60,000 deep", "rasa", chat(b"[" * 60_000), 400, "nested too deeply"),
    Case("objects nested 12,000 deep", "rasa", chat(b'{"a":' * 12_000), 400, "nested too deeply"),
    Case("as text/plain", "rasa", chat(message(), **{"Content-Type": "text/plain"}), 415, "json"),
    Case("no content type", "rasa", send("POST", CHAT, message(), **BEARER), 415, "json"),
    Case(
        "body over the limit",
        "rasa",
        head(f"POST {CHAT} HTTP/1.1", "Content-Type: application/json", "Content-Length: 70000"),
        413,
        "exceeds",
        finish=True,
    ),
    Case("empty message", "rasa", chat(message(message=" \u200b ")), 200, "didn't get any text"),
    Case(
        "message of 20,000 characters", "rasa", chat(message(message="x" * 20_000)), 200, "20,000"
    ),
    Case("GET on the webhook", "rasa", get(CHAT, **BEARER), 405, "not allowed"),
    Case("GET for a session", "rasa", get("/webhooks/rest/session"), 405, "not allowed"),
    Case("session asked with junk", "rasa", send("POST", "/webhooks/rest/session", b"\xff["), 200),
)

RASA_SOCKETIO_HANDSHAKE_ROWS = (
    Case(
        "socket.io from a foreign origin",
        "rasa",
        socketio("EIO=4&transport=polling", Origin=FOREIGN),
        403,
        "origin",
    ),
    Case(
        "socket.io websocket from a foreign origin",
        "rasa",
        socketio("EIO=4&transport=websocket", Origin=FOREIGN, **WEBSOCKET),
        403,
        "origin",
    ),
    Case("socket.io from origin null", "rasa", socketio("EIO=4", Origin="null"), 403, "origin"),
    Case("socket.io of engine.io 3", "rasa", socketio("EIO=3&transport=polling"), 400),
    Case("socket.io over a transport of junk", "rasa", socketio("EIO=4&transport=x"), 400),
    Case("socket.io of an unknown session", "rasa", socketio("EIO=4&sid=nope"), 400),
)

ROWS = (
    *WEB_SITE_ROWS,
    *SALES_API_ROWS,
    *ACTION_SERVER_ROWS,
    *RASA_FRAMING_ROWS,
    *RASA_REST_CHANNEL_ROWS,
    *RASA_SOCKETIO_HANDSHAKE_ROWS,
)


def row(case: Case) -> Any:
    marks = [pytest.mark.model] if case.server == "rasa" else []
    return pytest.param(case, marks=marks, id=f"{case.server}: {case.name}")


def text_of(document: Any) -> str:
    """Every string in a JSON document, joined: where a reason may be."""
    if isinstance(document, dict):
        return " ".join(text_of(value) for value in document.values())
    if isinstance(document, list):
        return " ".join(text_of(value) for value in document)
    return str(document)


@pytest.mark.parametrize("case", [row(case) for case in ROWS])
def test_bad_input_is_answered_and_the_server_goes_on(case: Case, request: pytest.FixtureRequest):
    server: Server = request.getfixturevalue(f"{case.server}_server")

    answer = exchange(server.port, case.request, finish=case.finish)

    assert answer.status == case.status, answer
    assert all(status < 500 for status in answer.statuses), answer
    if case.reason is not None:
        assert answer.headers["content-type"].startswith("application/json"), answer
        assert case.reason.lower() in text_of(answer.json()).lower(), answer
    assert health_status(server.port, server.health_path) == 200


@dataclass(frozen=True)
class SocketCase:
    """One class of bad socket.io event, emitted by a client that has a session.

    Attributes:
        name: the class, as the test's id.
        event: ``user_uttered`` or ``session_request``.
        payload: what is emitted, from the client's session (python-socketio's
            way: None sends no argument, a tuple several).
        answer: a piece of the bot's message (``user_uttered``); for
            ``session_request``, None: a new session is expected.
    """

    name: str
    event: str
    payload: Callable[[dict[str, str]], Any]
    answer: str | None = None


UNREADABLE = "couldn't read that message"
OTHER = SIGNER.session_for("someone-else")


def said(text: Any, **fields: Any) -> Callable[[dict[str, str]], dict[str, Any]]:
    """A ``user_uttered`` payload in the client's session."""
    return lambda session: {"session_id": session["session_id"], "message": text, **fields}


SOCKETIO_EVENT_ROWS = (
    SocketCase("no payload", "user_uttered", lambda _: None, UNREADABLE),
    SocketCase("a string", "user_uttered", lambda _: "hello", UNREADABLE),
    SocketCase("a list", "user_uttered", lambda _: ["hello"], UNREADABLE),
    SocketCase("a number", "user_uttered", lambda _: 5, UNREADABLE),
    SocketCase("two arguments", "user_uttered", lambda _: ("hello", "there"), UNREADABLE),
    SocketCase("no session id", "user_uttered", lambda _: {"message": "hello"}, UNREADABLE),
    SocketCase("message a number", "user_uttered", said(5), UNREADABLE),
    SocketCase("metadata not JSON", "user_uttered", said("hi", metadata="{"), UNREADABLE),
    SocketCase(
        "metadata nested 30,000 deep", "user_uttered", said("hi", metadata="[" * 30_000), UNREADABLE
    ),
    SocketCase(
        "another conversation's id",
        "user_uttered",
        lambda _: {"session_id": OTHER.sender, "message": "hello"},
        "no valid session",
    ),
    SocketCase("empty message", "user_uttered", said("\u200b"), "didn't get any text"),
    SocketCase("message of 20,000 characters", "user_uttered", said("x" * 20_000), "20,000"),
    SocketCase("no payload", "session_request", lambda _: None),
    SocketCase("a string", "session_request", lambda _: OTHER.sender),
    SocketCase(
        "an id without its token", "session_request", lambda _: {"session_id": OTHER.sender}
    ),
    SocketCase(
        "a forged token",
        "session_request",
        lambda _: {"session_id": OTHER.sender, "token": "forged"},
    ),
    SocketCase(
        "another conversation's token",
        "session_request",
        lambda session: {"session_id": OTHER.sender, "token": session["token"]},
    ),
    SocketCase(
        "a token of another secret",
        "session_request",
        lambda _: {
            "session_id": OTHER.sender,
            "token": SessionSigner("another-secret-" + "x" * 32).token_for(OTHER.sender),
        },
    ),
)


async def emit_and_go_on(port: int, case: SocketCase) -> dict[str, Any]:
    """Emits the case's event in a new session; what the client heard, and the
    answer to a message of the session it then has."""
    visitor = SocketVisitor()
    await visitor.connect(f"http://127.0.0.1:{port}")
    try:
        session = await visitor.new_session()
        heard: Any
        if case.event == "session_request":
            heard = session = await visitor.session(case.payload(session))
        else:
            heard = await visitor.send(case.payload(session))
        after = await visitor.send({"session_id": session["session_id"], "message": "hello"})
        return {"heard": heard, "after": after}
    finally:
        await visitor.close()


@pytest.mark.model
@pytest.mark.parametrize(
    "case", [pytest.param(case, id=f"{case.event}: {case.name}") for case in SOCKETIO_EVENT_ROWS]
)
def test_bad_socketio_events_are_answered_and_the_channel_goes_on(
    case: SocketCase, rasa_server: Server
):
    seen = asyncio.run(emit_and_go_on(rasa_server.port, case))

    if case.answer is not None:
        assert case.answer in seen["heard"]
    else:  # a new session, not the one asked for
        assert seen["heard"]["session_id"] != OTHER.sender
        assert SIGNER.verifies(seen["heard"]["session_id"], seen["heard"]["token"])
    assert UNREADABLE not in seen["after"]
    assert "no valid session" not in seen["after"]
    assert health_status(rasa_server.port, rasa_server.health_path) == 200


@dataclass(frozen=True)
class PollingCase:
    """One class of bad engine.io payload, posted by hand on a long-polling
    connection to the socket.io channel.

    Attributes:
        name: the class, as the test's id.
        body: the POST's body.
        status: the POST's: 400 for a payload engine.io cannot read.
        answer: a piece of the bot message the next poll brings, or None when
            the connection is closed instead (the next poll is refused).
        joined: whether the connection joined the channel's namespace first.
    """

    name: str
    body: bytes
    status: int = 200
    answer: str | None = UNREADABLE
    joined: bool = True


def refused(name: str, body: bytes) -> PollingCase:
    """A payload engine.io cannot read: answered 400, the connection closed."""
    return PollingCase(name, body, status=400, answer=None)


def packets(*packets: bytes) -> bytes:
    """An engine.io payload: ``packets`` joined by its separator."""
    return b"\x1e".join(packets)


HELLO_PACKET = b'42["user_uttered",{"message":"hello","session_id":"x"}]'

ENGINEIO_PAYLOAD_ROWS = (
    refused("packet type 7", b"7junk"),
    refused("packet type 8", b"8"),
    refused("packet type 9", b"9x"),
    refused("raw bytes", b"\x00\x01\x02"),
    refused("not UTF-8", b"4\xff\xfe"),
    refused("50 packets", packets(*[HELLO_PACKET] * 50)),
    refused("an empty packet", packets(HELLO_PACKET, b"")),
    refused("base64 of junk", b"bA"),
    refused("JSON nested 30,000 deep", b"4" + b"[" * 30_000),
    refused("JSONP form without its field", b"d="),
    refused("an OPEN packet", b"0"),
    refused("a PING packet", b"2"),
    refused("a NOOP packet", b"6"),
    PollingCase("a binary message", b"bAAAA"),
    PollingCase("a JSON message", b"4{}"),
    PollingCase("a null message", b"4null"),
    PollingCase("socket.io packet type 9", b"49"),
    PollingCase("socket.io CONNECT_ERROR", b'44{"message":"x"}'),
    PollingCase("event named connect", b'42["connect"]'),
    PollingCase("event named disconnect", b'42["disconnect",1]'),
    PollingCase("event named connect_error", b'42["connect_error"]'),
    PollingCase("binary event", b'451-["user_uttered",{"_placeholder":true,"num":0}]'),
    PollingCase("CONNECT after CLOSE", packets(b"1", b"40"), answer=None),
    PollingCase("CONNECT with a string", b'40"x"', answer=None, joined=False),
    PollingCase("unreadable before CONNECT", b"42[", answer=None, joined=False),
)


def post_and_go_on(port: int, case: PollingCase) -> dict[str, Any]:
    """Posts the case's payload on a new connection; the answer, the next poll's,
    and the confirmation of a session asked for afterwards (on the same
    connection when it is still open, else on a new one)."""
    url = f"http://127.0.0.1:{port}"
    connection = PollingConnection(url)
    if case.joined:
        connection.join()
    answer = connection.post(case.body)
    seen: dict[str, Any] = {"status": answer.status_code, "body": answer.text}
    seen["poll"] = connection.poll()
    if case.answer is None:
        connection.close()
        connection = PollingConnection(url)
        connection.join()
    seen["after"] = connection.new_session()
    connection.close()
    return seen


@pytest.mark.model
@pytest.mark.parametrize(
    "case", [pytest.param(case, id=f"engine.io: {case.name}") for case in ENGINEIO_PAYLOAD_ROWS]
)
def test_bad_engineio_payloads_are_answered_and_the_channel_goes_on(
    case: PollingCase, rasa_server: Server
):
    seen = post_and_go_on(rasa_server.port, case)

    assert seen["status"] == case.status, seen
    if case.status == 400:
        assert "engine.io" in json.loads(seen["body"])["error"]
    else:
        assert seen["body"] == "OK"
    if case.answer is None:  # the connection is closed: its poll is refused
        assert seen["poll"].status_code == 400, seen
    else:
        assert case.answer in seen["poll"].text
    assert '42["session_confirm"' in seen["after"]
    assert health_status(rasa_server.port, rasa_server.health_path) == 200


@pytest.mark.model
def test_no_row_left_a_traceback_in_a_log(request: pytest.FixtureRequest):
    for kind in ("web", "actions", "rasa"):
        server: Server = request.getfixturevalue(f"{kind}_server")
        assert server.tracebacks() == [], kind
