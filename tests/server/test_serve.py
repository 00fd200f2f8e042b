"""`make run`'s script brings up both real servers and stops them on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import MODEL_PATH, ROOT, free_port

pytestmark = [pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def served_bot(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen, int]]:
    if not MODEL_PATH.exists():
        pytest.fail(f"{MODEL_PATH} is missing: run `make train`")
    rasa_port, actions_port = free_port(), free_port()
    logs = tmp_path_factory.mktemp("logs")
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "LOG_DIR": str(logs),
    }
    process = subprocess.Popen(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for_line(process, "The bot is up", timeout=240)
        yield f"http://127.0.0.1:{rasa_port}", process, actions_port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def wait_for_line(process: subprocess.Popen, marker: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    seen = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            pytest.fail("serve.sh exited early:\n" + "".join(seen))
        seen.append(line)
        if marker in line:
            return
    pytest.fail(f"serve.sh did not print {marker!r} within {timeout}s:\n" + "".join(seen))


def test_rest_webhook_answers_a_question(served_bot):
    url, _, _ = served_bot
    reply = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={
            "sender": "rest-visitor",
            "message": "what is the difference between outsourcing and offshoring",
        },
        timeout=30,
    )
    assert reply.status_code == 200
    [message] = reply.json()
    assert message["recipient_id"] == "rest-visitor"
    assert "who" in message["text"].lower()
    assert message["buttons"]


def test_fallback_reaches_the_action_server_over_http(served_bot):
    url, _, _ = served_bot
    reply = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": "rest-visitor-2", "message": "qwzx plorp"},
        timeout=30,
    )
    [message] = reply.json()
    assert message["buttons"][-1]["title"] == "Discuss my team needs"


def test_socketio_channel_is_served(served_bot):
    url, _, _ = served_bot
    handshake = requests.get(f"{url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200
    assert '"sid"' in handshake.text


def test_ctrl_c_stops_both_servers(served_bot):
    url, process, actions_port = served_bot
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    assert process.wait(timeout=30) == 130
    for stopped in (url, f"http://127.0.0.1:{actions_port}/health"):
        with pytest.raises(requests.ConnectionError):
            requests.get(stopped, timeout=2)
