"""Chat commands typed over the REST channel of a real Rasa server: each is answered
by the bot, none apologised for or counted as a failed turn."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests

from bot.rasa_plugins.channels.inbound import unknown_command
from tests.system.server.rasa_process import local_environment, say, start_actions, start_rasa, stop

pytestmark = [pytest.mark.server, pytest.mark.model]
UNKNOWN_COMMAND = unknown_command()

COMMANDS = [
    "/session_start",
    "/back",
    "we need 3 senior Python developers starting next month",
    "/back",
    "/xyz",
    "/session_start",  # in the lead form: Rasa starts a new session without a word
    "/faq",  # no topic: Rasa's response action says nothing
    "/faq/no_such_topic",
    "/restart",
]


def test_typed_commands_are_answered_without_a_failed_turn(tmp_path: Path):
    environment = local_environment(tmp_path, RATE_LIMIT_PER_SENDER="0", RATE_LIMIT_PER_IP="0")
    actions = start_actions(environment, tmp_path / "actions.log")
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    port = int(environment["RASA_PORT"])
    visitor = str(uuid.uuid4())
    try:
        turns = [say(port, visitor, command) for command in COMMANDS]
        health = requests.get(f"http://127.0.0.1:{port}/webhooks/rest/", timeout=5).json()
    finally:
        stop(rasa)
        stop(actions)
    texts = ["\n".join(str(reply.get("text")) for reply in turn) for turn in turns]
    assert all(texts), texts  # every command got an answer
    assert not any("something went wrong" in text for text in texts)
    assert health["failed_messages"] == 0
    assert texts[-4:-2] == [UNKNOWN_COMMAND] * 2  # /faq/no_such_topic is read as text
    assert texts[-1].startswith("Let's start over.")
