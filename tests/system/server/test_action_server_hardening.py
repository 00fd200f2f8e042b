"""The action server as ``bot run`` starts it, with ACTION_SERVER_TOKEN: closed to
callers without the token, silent about what it was sent when an action crashes,
on this machine's loopback only; and Rasa, given the same token, is let in."""

from __future__ import annotations

import os
import socket
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port
from tests.system.server.rasa_process import say, start_actions, start_rasa, stop

pytestmark = [pytest.mark.server]

TOKEN = "test-" + uuid.uuid4().hex
EMAIL = "jane.doe@acme.example"
# A call whose tracker is not one: the action crashes on it.
BROKEN_CALL = {
    "next_action": "action_submit_lead",
    "sender_id": "visitor",
    "tracker": {"sender_id": "visitor", "slots": {"email": EMAIL}, "events": 42},
    "domain": {},
    "version": "3.6.2",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:
    folder = tmp_path_factory.mktemp("action-server")
    environment = {
        **os.environ,
        "ACTIONS_PORT": str(free_port()),
        "RASA_PORT": str(free_port()),
        "ACTION_SERVER_TOKEN": TOKEN,
        "LOG_DIR": str(folder),
        "TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{folder / 'leads.db'}",
    }
    actions = start_actions(environment, folder / "actions.log")
    yield environment, folder
    stop(actions)


def url(environment: dict[str, str], path: str) -> str:
    return f"http://127.0.0.1:{environment['ACTIONS_PORT']}{path}"


def post(environment: dict[str, str], token: str | None, **kwargs) -> requests.Response:
    headers = {**kwargs.pop("headers", {})}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(url(environment, "/webhook"), headers=headers, timeout=30, **kwargs)


def test_health_is_open(served):
    environment, _ = served
    assert requests.get(url(environment, "/health"), timeout=5).json() == {"status": "ok"}


@pytest.mark.parametrize("token", [None, "wrong", TOKEN + "x"])
def test_a_call_without_the_token_is_refused(served, token):
    environment, _ = served
    answer = post(environment, token, json=BROKEN_CALL)
    assert answer.status_code == 401
    assert EMAIL not in answer.text


def test_a_crash_is_answered_without_the_request_it_was_sent(served):
    environment, folder = served
    answer = post(environment, TOKEN, json=BROKEN_CALL)
    assert answer.status_code == 500
    assert EMAIL not in answer.text
    assert "visitor" not in answer.text
    assert "An action call failed" in (folder / "actions.log").read_text()


def test_a_compressed_body_is_refused(served):
    environment, _ = served
    body = zlib.compress(b'{"next_action": "action_listen"}')
    answer = post(environment, TOKEN, data=body, headers={"Content-Encoding": "deflate"})
    assert answer.status_code == 415


def test_no_browser_origin_is_allowed(served):
    environment, _ = served
    answer = requests.options(
        url(environment, "/webhook"),
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=5,
    )
    assert "access-control-allow-origin" not in {name.lower() for name in answer.headers}


def other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_it_listens_on_loopback_only(served):
    environment, _ = served
    address = other_address()
    if address is None:
        pytest.skip("this machine has no address but loopback")
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection((address, int(environment["ACTIONS_PORT"])), timeout=2),
    ):
        pass


@pytest.mark.model
def test_rasa_with_the_token_gets_its_actions_run(served):
    environment, folder = served
    rasa = start_rasa(environment, folder / "rasa.log")
    try:
        # The lead form's first turn: validate_lead_form runs on the action server.
        replies = say(
            int(environment["RASA_PORT"]),
            str(uuid.uuid4()),
            "we need 3 senior Python developers for 6 months starting ASAP",
        )
    finally:
        stop(rasa)
    text = "\n".join(str(reply.get("text")) for reply in replies)
    assert text
    assert "went wrong on our side" not in text
    assert "Encountered an exception" not in (folder / "rasa.log").read_text()
