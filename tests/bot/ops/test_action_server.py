"""bot.ops.action_server: rasa-sdk's server, answering from the articles without TensorFlow."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
import requests

from bot.ops.action_server import action_call_problem
from tests.conftest import ACTION_SERVER_COMMAND, ROOT, free_port, load_yaml, wait_until_up

QUESTION = "what does Apple have to do with gardeners in Seattle?"


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    port = free_port()
    database = tmp_path_factory.mktemp("leads") / "leads.db"
    process = subprocess.Popen(
        [*ACTION_SERVER_COMMAND, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, timeout=60)
        yield f"http://127.0.0.1:{port}/webhook", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def knowledge_call(text: str) -> dict:
    """The webhook body Rasa sends to run action_answer_from_knowledge."""
    return {
        "next_action": "action_answer_from_knowledge",
        "sender_id": "visitor",
        "version": "3.6.21",
        "domain": load_yaml("domain.yml"),
        "tracker": {
            "sender_id": "visitor",
            "slots": {},
            "latest_message": {"text": text, "intent": {"name": "nlu_fallback"}, "entities": []},
            "latest_event_time": 0,
            "followup_action": None,
            "paused": False,
            "events": [],
            "latest_input_channel": "rest",
            "latest_action_name": "action_listen",
            "active_loop": {},
        },
    }


def test_a_knowledge_answer_comes_from_a_process_without_tensorflow(action_server):
    url, pid = action_server
    answer = requests.post(url, json=knowledge_call(QUESTION), timeout=30)
    assert answer.status_code == 200
    [response] = answer.json()["responses"]
    assert "Apple" in response["text"]
    with open(f"/proc/{pid}/maps", encoding="utf-8") as maps:  # the shared libraries it loaded
        assert "tensorflow" not in maps.read()


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        ([], "JSON object"),
        ("action_listen", "JSON object"),
        ({"version": 3.6}, "version"),
        ({"next_action": ["action_listen"]}, "next_action"),
        ({"next_action": "action_submit_lead"}, "tracker"),
        ({"next_action": "action_submit_lead", "tracker": []}, "tracker"),
        ({"next_action": "action_listen", "tracker": {}, "domain": "x"}, "domain"),
    ],
)
def test_a_body_that_is_no_action_call_is_named_for_what_is_wrong(call, problem):
    assert problem in (action_call_problem(call) or "")


@pytest.mark.parametrize(
    "call",
    [
        knowledge_call(QUESTION),
        {"next_action": None},
        {},
        {"next_action": "action_submit_lead", "tracker": {"events": 42}},
    ],
    ids=["Rasa's call", "no action", "empty", "a tracker the action will choke on"],
)
def test_an_action_call_envelope_is_let_through(call):
    assert action_call_problem(call) is None
