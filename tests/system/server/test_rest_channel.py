"""The chat channel of a real Rasa server (bot.rasa_plugins.channels.rest) under bad input and
a failure inside: a clear 4xx or a polite reply, never a crash or silence.

The servers run as ``bot run`` starts them. The failures are real: the lock
store's Redis is unreachable (a relay to the machine's Redis that is not open
yet), the action server is down, then it accepts calls and never answers.
Every visitor gets a session first and sends its token (tests.system.server.rest_visitor);
a conversation answers no one else.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port
from tests.relay import in_thread, silent_listener, tcp_relay_in_thread
from tests.services import require_service
from tests.system.server.rasa_process import start_actions, start_rasa, stop
from tests.system.server.rest_visitor import SESSION_PATH, RestVisitor

pytestmark = [pytest.mark.server, pytest.mark.model]

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
JSON = {"Content-Type": "application/json"}


# Starts the lead form, whose slots a custom action validates (validate_lead_form).
LEAD_REQUEST = "we need 3 senior python developers for 6 months"


@pytest.fixture(scope="module")
def rasa_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The logs and stores of the module's Rasa server."""
    return tmp_path_factory.mktemp("rest-channel")


@pytest.fixture(scope="module")
def rasa_port(rasa_folder: Path) -> Iterator[int]:
    folder = rasa_folder
    port = free_port()
    environment = {
        **os.environ,
        "RASA_PORT": str(port),
        "ACTIONS_PORT": str(free_port()),
        "LOG_DIR": str(folder),
        "TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{folder / 'leads.db'}",
        "RATE_LIMIT_PER_IP": "0",  # all these tests come from one address, quickly
    }
    actions = start_actions(environment, folder / "actions.log")
    rasa = start_rasa(environment, folder / "rasa.log")
    yield port
    stop(rasa)
    stop(actions)


def base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def webhook(port: int) -> str:
    return f"{base_url(port)}/webhooks/rest/webhook"


def visitor_of(port: int) -> RestVisitor:
    """A new visitor of the server on ``port``, with a session of its own."""
    return RestVisitor.start(base_url(port))


def texts(replies: list[dict]) -> str:
    return "\n".join(str(reply.get("text", "")) for reply in replies)


@pytest.mark.parametrize(
    "message",
    [
        "what\u200b is out\x07staffing?",
        "\U0001f44b שלום, what is outstaffing? مرحبا",
        "<script>alert('hi')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE events; -- what is offshoring?",
        "\U0001f600" * 300,
    ],
    ids=["control-and-zero-width", "emoji-and-right-to-left", "html", "sql", "only-emoji"],
)
def test_an_odd_message_gets_an_answer(rasa_port: int, message: str):
    visitor = visitor_of(rasa_port)
    answer = texts(visitor.say(message))
    assert answer.strip()
    assert "went wrong on our side" not in answer
    assert visitor.say("hello")


@pytest.mark.parametrize(
    ("message", "expected"),
    [("", "didn't get any text"), (" \u200b\t ", "didn't get any text"), ("x" * 20_000, "20,000")],
    ids=["empty", "invisible", "20000-characters"],
)
def test_an_empty_or_overlong_message_gets_a_polite_reply(
    rasa_port: int, message: str, expected: str
):
    visitor = visitor_of(rasa_port)
    replies = visitor.say(message)
    assert expected in texts(replies)
    assert [reply["recipient_id"] for reply in replies] == [visitor.sender]
    assert visitor.say("hello")


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b'{"sender": "s-1", "message": "\xff\xfe"}', JSON, 400),
        (b'{"sender": "s-1", "message": ', JSON, 400),
        (b"hello there", JSON, 400),
        (b"[1, 2, 3]", JSON, 400),
        (b'{"sender": "s-1", "message": "hello"}', {"Content-Type": "text/plain"}, 415),
        (b'{"sender": "s-1", "message": "hello"}', {}, 415),
        (b'{"message": "hello"}', JSON, 400),
        (b'{"sender": "../../etc/passwd", "message": "hello"}', JSON, 400),
        (b'{"sender": "s-1", "message": {"text": "hello"}}', JSON, 400),
        (b'{"sender": "' + b"x" * 5_000_000 + b'", "message": "hi"}', JSON, 413),
    ],
    ids=[
        "invalid-utf8",
        "malformed-json",
        "not-json",
        "json-array",
        "text-plain",
        "no-content-type",
        "no-sender",
        "forged-sender",
        "message-not-a-string",
        "5-MB-body",
    ],
)
def test_a_request_that_is_not_a_chat_message_gets_a_clear_4xx(
    rasa_port: int, body: bytes, headers: dict[str, str], status: int
):
    answer = requests.post(webhook(rasa_port), data=body, headers=headers, timeout=30)
    assert answer.status_code == status
    assert "Traceback" not in answer.text
    if status != 413:  # Sanic's own answer; the channel's name what is wrong
        assert answer.json()["error"]
    assert visitor_of(rasa_port).say("hello")


def test_json_nested_too_deeply_gets_400_with_a_reason_and_no_traceback(
    rasa_port: int, rasa_folder: Path
):
    for nested in (b"[" * 60_000, b'{"a":' * 12_000):  # under MAX_REQUEST_BYTES
        answer = requests.post(webhook(rasa_port), data=nested, headers=JSON, timeout=30)
        assert answer.status_code == 400
        assert answer.json() == {"error": "the JSON is nested too deeply"}
    assert visitor_of(rasa_port).say("hello")
    assert "RecursionError" not in (rasa_folder / "rasa.log").read_text()


def test_unknown_fields_are_ignored(rasa_port: int):
    answer = visitor_of(rasa_port).post("hello", admin=True, metadata={"x": 1})
    assert answer.status_code == 200
    assert answer.json()


def test_a_session_is_a_new_conversation_id_and_its_token(rasa_port: int):
    first, second = visitor_of(rasa_port), visitor_of(rasa_port)
    assert first.sender != second.sender
    assert first.token != second.token
    assert first.say("hello")[0]["recipient_id"] == first.sender


def test_a_message_without_the_token_gets_401_and_touches_nothing(rasa_port: int):
    visitor = visitor_of(rasa_port)
    body = visitor.body("hello")
    refusals = [
        requests.post(webhook(rasa_port), json=body, timeout=30),
        requests.post(webhook(rasa_port), json=body, headers={"Authorization": ""}, timeout=30),
        requests.post(
            webhook(rasa_port), json=body, headers={"Authorization": visitor.token}, timeout=30
        ),
    ]
    for refused in refusals:
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in refused.json()["error"]
    assert [reply["recipient_id"] for reply in visitor.say("hello")] == [visitor.sender]


def test_someone_else_s_conversation_cannot_be_read_with_its_id(rasa_port: int):
    victim = visitor_of(rasa_port)
    victim.say("we need 3 senior Python developers for 6 months starting ASAP")
    summary = texts(victim.say("Vic Tim, Acme Ltd, vic.tim@acme.example, +44 20 7946 0958"))
    assert "vic.tim@acme.example" in summary  # what an eavesdropper is after
    attacker = visitor_of(rasa_port)
    tampered = victim.token[:-1] + ("B" if victim.token.endswith("A") else "A")
    forged = [
        RestVisitor(victim.base_url, victim.sender, attacker.token),  # the attacker's own token
        RestVisitor(victim.base_url, victim.sender, tampered),
        RestVisitor.named(victim.base_url, victim.sender, "another-secret-" + "x" * 32),
    ]
    for intruder in forged:
        answer = intruder.post("show me my summary")
        assert answer.status_code == 401
        assert "not this conversation's" in answer.json()["error"]
        assert "vic.tim" not in answer.text
    assert "within one business day" in texts(victim.say("/confirm_lead"))


def test_conversation_ids_stay_out_of_the_channel_s_log_lines(rasa_port: int, rasa_folder: Path):
    visitor = visitor_of(rasa_port)
    visitor.say("hello")
    requests.post(webhook(rasa_port), json=visitor.body("hello"), timeout=30)  # no token
    logged = (rasa_folder / "rasa.log").read_text()
    assert visitor.sender not in logged
    assert visitor.token not in logged


def test_a_session_may_be_asked_for_from_a_site_origin_only(rasa_port: int):
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = requests.options(
        base_url(rasa_port) + SESSION_PATH,
        headers={"Origin": "http://localhost:8000", **preflight},
        timeout=10,
    )
    other = requests.options(
        base_url(rasa_port) + SESSION_PATH,
        headers={"Origin": "https://evil.example", **preflight},
        timeout=10,
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == "http://localhost:8000"
    assert "Access-Control-Allow-Origin" not in other.headers


def apologised(visitor: RestVisitor, message: str) -> bool:
    answer = requests.post(
        visitor.base_url + "/webhooks/rest/webhook",
        json=visitor.body(message),
        headers=visitor.headers,
        timeout=30,  # a guard against a hang: Rasa's own wait for an action is 5 minutes
    )
    assert answer.status_code == 200
    return "help@agency.example" in texts(answer.json())


def failures(port: int) -> int:
    health = requests.get(f"http://127.0.0.1:{port}/webhooks/rest/", timeout=5).json()
    assert health["status"] == "ok"
    return health["failed_messages"]


def test_failed_turns_get_an_apology_are_counted_and_the_next_works(tmp_path: Path):
    require_service("redis", REDIS_HOST, REDIS_PORT)
    relay_port, port = free_port(), free_port()
    environment = {
        **os.environ,
        "RASA_PORT": str(port),
        "ACTIONS_PORT": str(free_port()),  # nothing there until started below
        "LOG_DIR": str(tmp_path),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leads.db'}",
        "LOCK_STORE_URL": f"redis://{REDIS_HOST}:{relay_port}/12",
        "AGENCY_EMAIL": "help@agency.example",
        "ACTION_TIMEOUT_SECONDS": "1",
    }
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    actions = None
    try:
        visitor = visitor_of(port)
        assert apologised(visitor, "hello")  # Redis unreachable: no lock
        assert failures(port) == 1
        with tcp_relay_in_thread(relay_port, REDIS_PORT):
            assert not apologised(visitor, "are you a bot?")  # answered by Rasa alone
            assert apologised(visitor, LEAD_REQUEST)  # no action server
            assert failures(port) == 2
            other = visitor_of(port)
            with in_thread(silent_listener(int(environment["ACTIONS_PORT"]))):
                assert apologised(other, LEAD_REQUEST)  # an action server that hangs
                assert failures(port) == 3
            actions = start_actions(environment, tmp_path / "actions.log")
            assert not apologised(visitor, LEAD_REQUEST)
            assert not apologised(other, LEAD_REQUEST)
    finally:
        stop(rasa)
        if actions is not None:
            stop(actions)
    logged = (tmp_path / "rasa.log").read_text()
    failed = logged.split("A message of conversation")[1:]
    assert len(failed) == 3
    assert not any("what is outstaffing" in entry[:3000] for entry in failed)
    assert visitor.sender not in logged  # named by a fingerprint
    assert other.sender not in logged


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    """A Rasa server with low rate limits, behind one (pretended) proxy, running one
    turn at a time: its port, and its action server's (where nothing listens)."""
    folder = tmp_path_factory.mktemp("rest-channel-limits")
    ports = {"rasa": free_port(), "actions": free_port()}
    environment = {
        **os.environ,
        "RASA_PORT": str(ports["rasa"]),
        "ACTIONS_PORT": str(ports["actions"]),
        "LOG_DIR": str(folder),
        "TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "RATE_LIMIT_PER_SENDER": "6",  # bursts of 5, then one every 10 s
        "RATE_LIMIT_PER_IP": "12",  # bursts of 5, then one every 5 s
        "TRUSTED_PROXIES": "1",
        "MAX_CONCURRENT_TURNS": "1",
        "MAX_TURN_WAIT_SECONDS": "0.5",
    }
    process = start_rasa(environment, folder / "rasa.log")
    yield ports
    stop(process)


@pytest.fixture(scope="module")
def limited_port(limited_server: dict[str, int]) -> int:
    return limited_server["rasa"]


def post_from(address: str, visitor: RestVisitor, message: str = "hello") -> requests.Response:
    """``visitor``'s message as a proxy forwards it from a client at ``address``."""
    return requests.post(
        visitor.base_url + "/webhooks/rest/webhook",
        json=visitor.body(message),
        # the first address is the client's own claim, not believed
        headers={"X-Forwarded-For": f"6.6.6.6, {address}", **visitor.headers},
        timeout=30,
    )


def test_a_conversation_over_its_rate_gets_429_and_a_friendly_reply(limited_port: int):
    visitor = visitor_of(limited_port)
    addresses = [f"203.0.113.{number}" for number in range(1, 7)]  # no address limit here
    statuses = [post_from(address, visitor).status_code for address in addresses]
    assert statuses == [200] * 5 + [429]
    slowed = post_from("203.0.113.7", visitor)
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["Retry-After"]) <= 10
    assert "faster than I can read" in texts(slowed.json())
    assert post_from("203.0.113.8", visitor_of(limited_port)).status_code == 200


def test_an_address_over_its_rate_gets_429_and_others_do_not(limited_port: int):
    visitors = [visitor_of(limited_port) for _ in range(6)]
    statuses = [post_from("198.51.100.1", visitor).status_code for visitor in visitors]
    assert statuses == [200] * 5 + [429]
    assert post_from("198.51.100.2", visitor_of(limited_port)).status_code == 200


def test_a_forged_token_does_not_spend_the_conversation_s_rate(limited_port: int):
    visitor = visitor_of(limited_port)
    forged = RestVisitor(visitor.base_url, visitor.sender, visitor_of(limited_port).token)
    refused = [post_from(f"192.0.2.{number}", forged).status_code for number in range(10, 17)]
    assert refused == [401] * 7
    assert post_from("192.0.2.20", visitor).status_code == 200


def test_a_message_that_finds_no_free_turn_is_told_busy_at_once(limited_server: dict[str, int]):
    port = limited_server["rasa"]
    calling = threading.Event()
    listener = silent_listener(limited_server["actions"], accepted=calling)
    with in_thread(listener), ThreadPoolExecutor(1) as pool:
        # Holds the one turn until its action call times out (4 s).
        hung = pool.submit(post_from, "192.0.2.1", visitor_of(port), LEAD_REQUEST)
        assert calling.wait(60), "the first turn never called its action"
        refused = post_from("192.0.2.2", visitor_of(port))
        told_before_the_turn_was_free = not hung.done()
        assert hung.result().status_code == 200
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert "answering a lot of visitors" in texts(refused.json())
    assert told_before_the_turn_was_free
    assert post_from("192.0.2.3", visitor_of(port)).status_code == 200
