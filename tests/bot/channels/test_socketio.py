"""The socket.io channel's checks, in process: what reaches Rasa's handler and what the
client is told instead (tests/server/test_serve.py plays them over a real socket)."""

from __future__ import annotations

import pytest

from bot.channels.socketio import GuardedSocketIOInput


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
    assert channel._checked("sid-1", payload) == {
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
        {"message": "hi"},  # no session id, with session persistence on
        {"session_id": "../etc", "message": "hi"},
        {"session_id": "visitor-1", "message": 42},
        {"session_id": "visitor-1", "message": "hi", "metadata": "{"},
        {"session_id": "visitor-1", "message": "hi", "metadata": [1]},
    ],
)
def test_a_payload_that_is_not_a_chat_message_is_answered_not_run(channel, payload):
    assert (
        channel._checked("sid-1", payload)
        == "Sorry, I couldn't read that message. Could you type it again?"
    )


def test_empty_and_overlong_messages_are_answered_politely(channel):
    assert "didn't get any text" in channel._checked("s", {"session_id": "v", "message": "\t"})
    assert "fewer than 100" in channel._checked("s", {"session_id": "v", "message": "x" * 101})


def test_a_conversation_over_its_rate_is_asked_to_slow_down(channel):
    answers = [channel._checked("s", {"session_id": "v", "message": "hi"}) for _ in range(7)]
    assert all(isinstance(answer, dict) for answer in answers[:5])
    assert all("faster than I can read" in answer for answer in answers[5:])
    assert isinstance(channel._checked("s", {"session_id": "other", "message": "hi"}), dict)
