"""The chat channel of a real Rasa server (bot.channels.rest) under bad input and
a failure inside: a clear 4xx or a polite reply, never a crash or silence.

The servers run as ``bot run`` starts them. The failures are real: the lock
store's Redis is unreachable (a relay to the machine's Redis that is not open
yet), the action server is down, then it accepts calls and never answers.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port
from tests.relay import in_thread, silent_listener, tcp_relay_in_thread
from tests.server.rasa_process import say, start_actions, start_rasa, stop
from tests.services import require_service

pytestmark = [pytest.mark.server, pytest.mark.model]

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
JSON = {"Content-Type": "application/json"}


# Starts the lead form, whose slots a custom action validates (validate_lead_form).
LEAD_REQUEST = "we need 3 senior python developers for 6 months"


@pytest.fixture(scope="module")
def rasa_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("rest-channel")
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


def webhook(port: int) -> str:
    return f"http://127.0.0.1:{port}/webhooks/rest/webhook"


def sender() -> str:
    return str(uuid.uuid4())


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
    visitor = sender()
    answer = texts(say(rasa_port, visitor, message))
    assert answer.strip()
    assert "went wrong on our side" not in answer
    assert say(rasa_port, visitor, "hello")


@pytest.mark.parametrize(
    ("message", "expected"),
    [("", "didn't get any text"), (" \u200b\t ", "didn't get any text"), ("x" * 20_000, "20,000")],
    ids=["empty", "invisible", "20000-characters"],
)
def test_an_empty_or_overlong_message_gets_a_polite_reply(
    rasa_port: int, message: str, expected: str
):
    visitor = sender()
    replies = say(rasa_port, visitor, message)
    assert expected in texts(replies)
    assert [reply["recipient_id"] for reply in replies] == [visitor]
    assert say(rasa_port, visitor, "hello")


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
    assert say(rasa_port, sender(), "hello")


def test_unknown_fields_are_ignored(rasa_port: int):
    body = {"sender": sender(), "message": "hello", "admin": True, "metadata": {"x": 1}}
    answer = requests.post(webhook(rasa_port), json=body, timeout=30)
    assert answer.status_code == 200
    assert answer.json()


def apologised(port: int, visitor: str, message: str) -> bool:
    answer = requests.post(webhook(port), json={"sender": visitor, "message": message}, timeout=5)
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
    }
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    actions = None
    try:
        visitor = sender()
        assert apologised(port, visitor, "hello")  # Redis unreachable: no lock
        assert failures(port) == 1
        with tcp_relay_in_thread(relay_port, REDIS_PORT):
            assert not apologised(port, visitor, "what is outstaffing?")
            assert apologised(port, visitor, LEAD_REQUEST)  # no action server
            assert failures(port) == 2
            other = sender()
            with in_thread(silent_listener(int(environment["ACTIONS_PORT"]))):
                started = time.monotonic()
                assert apologised(port, other, LEAD_REQUEST)  # an action server that hangs
                assert time.monotonic() - started < 5
                assert failures(port) == 3
            actions = start_actions(environment, tmp_path / "actions.log")
            assert not apologised(port, visitor, LEAD_REQUEST)
            assert not apologised(port, other, LEAD_REQUEST)
    finally:
        stop(rasa)
        if actions is not None:
            stop(actions)
    failed = (tmp_path / "rasa.log").read_text().split("A message of conversation")[1:]
    assert len(failed) == 3
    assert not any("what is outstaffing" in entry[:3000] for entry in failed)


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


def post_from(port: int, address: str, visitor: str, message: str = "hello") -> requests.Response:
    return requests.post(
        webhook(port),
        json={"sender": visitor, "message": message},
        headers={"X-Forwarded-For": f"6.6.6.6, {address}"},  # the first is the client's claim
        timeout=30,
    )


def test_a_conversation_over_its_rate_gets_429_and_a_friendly_reply(limited_port: int):
    visitor = sender()
    addresses = [f"203.0.113.{number}" for number in range(1, 7)]  # no address limit here
    statuses = [post_from(limited_port, address, visitor).status_code for address in addresses]
    assert statuses == [200] * 5 + [429]
    slowed = post_from(limited_port, "203.0.113.7", visitor)
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["Retry-After"]) <= 10
    assert "faster than I can read" in texts(slowed.json())
    assert post_from(limited_port, "203.0.113.8", sender()).status_code == 200


def test_an_address_over_its_rate_gets_429_and_others_do_not(limited_port: int):
    statuses = [post_from(limited_port, "198.51.100.1", sender()).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert post_from(limited_port, "198.51.100.2", sender()).status_code == 200


def test_a_message_that_finds_no_free_turn_is_told_busy_at_once(limited_server: dict[str, int]):
    port = limited_server["rasa"]
    with in_thread(silent_listener(limited_server["actions"])), ThreadPoolExecutor(1) as pool:
        # Holds the one turn until its action call times out (4 s).
        hung = pool.submit(post_from, port, "192.0.2.1", sender(), LEAD_REQUEST)
        time.sleep(1)
        started = time.monotonic()
        refused = post_from(port, "192.0.2.2", sender())
        waited = time.monotonic() - started
        assert hung.result().status_code == 200
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert "answering a lot of visitors" in texts(refused.json())
    assert waited < 2
    assert post_from(port, "192.0.2.3", sender()).status_code == 200
