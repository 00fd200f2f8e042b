"""The socket.io channel's checks, in process: what reaches Rasa's handler and what the
client is told instead (tests/system/server/test_serve.py plays them over a real socket)."""

from __future__ import annotations

import pytest

from bot.rasa_plugins.channels.inbound import no_session
from bot.rasa_plugins.channels.socketio import CONNECTION_SENDER, GuardedSocketIOInput


async def nothing(message) -> None:
    return None


@pytest.fixture
def channel(monkeypatch: pytest.MonkeyPatch) -> GuardedSocketIOInput:
    monkeypatch.setenv("RATE_LIMIT_PER_SENDER", "5")
    monkeypatch.setenv("RATE_LIMIT_PER_IP", "0")
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "100")
    guarded = GuardedSocketIOInput(session_persistence=True)
    guarded.blueprint(nothing)
    return guarded


def test_a_message_reaches_rasa_cleaned_with_only_the_page_kept(channel):
    payload = {
        "session_id": "visitor-1",
        "message": " hello\u200b there ",
        "metadata": '{"page_url": "https://agency.example/hire", "cookie": "secret"}',
        "extra": "ignored",
    }
    assert channel._checked("sid-1", payload, joined="visitor-1") == {
        "message": "hello there",
        "metadata": {"page_url": "https://agency.example/hire"},
        "session_id": "visitor-1",
    }


@pytest.mark.parametrize(
    "payload",
    [
        "hello",
        None,
        ["hello"],
        {"session_id": "visitor-1", "message": "hi", "metadata": "[" * 100_000},
        {"message": "hi"},  # no session id, with session persistence on
        {"session_id": "../etc", "message": "hi"},
        {"session_id": "visitor-1", "message": 42},
        {"session_id": "visitor-1", "message": "hi", "metadata": "{"},
        {"session_id": "visitor-1", "message": "hi", "metadata": [1]},
    ],
)
def test_a_payload_that_is_not_a_chat_message_is_answered_not_run(channel, payload):
    assert (
        channel._checked("sid-1", payload, joined="visitor-1")
        == "Sorry, I couldn't read that message. Could you type it again?"
    )


def test_empty_and_overlong_messages_are_answered_politely(channel):
    empty, overlong = (
        {"session_id": "v", "message": "\t"},
        {"session_id": "v", "message": "x" * 101},
    )
    assert "didn't get any text" in channel._checked("s", empty, joined="v")
    assert "fewer than 100" in channel._checked("s", overlong, joined="v")


def test_a_conversation_over_its_rate_is_asked_to_slow_down(channel):
    hello = {"session_id": "v", "message": "hi"}
    answers = [channel._checked("s", hello, joined="v") for _ in range(7)]
    assert all(isinstance(answer, dict) for answer in answers[:5])
    assert all("faster than I can read" in answer for answer in answers[5:])
    other = {"session_id": "other", "message": "hi"}
    assert isinstance(channel._checked("s", other, joined="other"), dict)


@pytest.mark.parametrize("joined", [None, "visitor-2"])
def test_a_message_for_a_conversation_the_connection_did_not_join_is_refused(channel, joined):
    payload = {"session_id": "visitor-1", "message": "what is outstaffing?"}
    assert channel._checked("sid-1", payload, joined=joined) == no_session()


@pytest.mark.parametrize("joined", [None, "visitor-2"])
def test_the_connection_placeholder_names_no_conversation(channel, joined):
    payload = {"session_id": CONNECTION_SENDER, "message": "I'd like to hire developers"}
    assert channel._checked("sid-1", payload, joined=joined) == no_session()


@pytest.mark.parametrize("named", [CONNECTION_SENDER, "visitor-1", None])
def test_without_session_persistence_a_message_runs_in_the_connections_conversation(
    monkeypatch: pytest.MonkeyPatch, named
):
    monkeypatch.setenv("RATE_LIMIT_PER_IP", "0")
    channel = GuardedSocketIOInput(session_persistence=False)
    channel.blueprint(nothing)
    payload = {"session_id": named, "message": "hello"}

    assert channel._checked("sid-1", payload, joined=None) == {"message": "hello", "metadata": {}}
    assert channel._conversation("sid-1", CONNECTION_SENDER, joined="visitor-1") == "sid-1"


def test_a_session_request_with_its_token_keeps_its_session(channel):
    session = channel.signer.new_session()
    asked = {"session_id": session.sender, "token": session.token}
    assert channel._requested_session(asked) == session


@pytest.mark.parametrize(
    "request_payload",
    [
        None,
        "visitor-1",
        {"session_id": "visitor-1"},
        {"session_id": "visitor-1", "token": "forged"},
        {"session_id": "visitor-1", "token": None},
        {"session_id": ["visitor-1"], "token": "x"},
        {"token": "x"},
    ],
)
def test_any_other_session_request_gets_a_new_session(channel, request_payload):
    session = channel._requested_session(request_payload)
    assert session.sender != "visitor-1"
    assert channel.signer.verifies(session.sender, session.token)
