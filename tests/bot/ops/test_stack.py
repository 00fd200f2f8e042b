"""What ``bot run`` gives its processes and shows: secrets made up for a run, and
never a secret that was configured."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.ops.stack import (
    action_server,
    endpoints_path,
    ports_taken,
    rasa_servers,
    ready_message,
    with_chat_session_secret,
    with_dev_token,
    with_run_secrets,
)
from bot.settings import load_settings
from tests.conftest import free_port

TWO_WORKERS = {"RASA_WORKERS": "2", "LOCK_STORE_URL": "redis://127.0.0.1:6379/0"}


@pytest.fixture(autouse=True)
def _run_files_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # rasa_servers writes the endpoints file under build/run/


def test_a_configured_sales_token_is_never_printed():
    settings = with_dev_token(load_settings({"SALES_API_TOKEN": "configured-token-value"}))
    message = ready_message(settings, 3.0, token_made_up=False)
    assert "configured-token-value" not in message
    assert "SALES_API_TOKEN" in message


def test_a_token_made_up_for_a_dev_run_is_printed():
    settings = with_dev_token(load_settings({"SALES_DEV_MODE": "true"}))
    assert settings.sales_api_token
    assert settings.sales_api_token in ready_message(settings, 3.0, token_made_up=True)


def test_every_rasa_process_of_a_run_gets_the_same_chat_session_secret(tmp_path: Path):
    settings = with_chat_session_secret(load_settings(TWO_WORKERS))
    first, second = rasa_servers(settings, tmp_path / "model.tar.gz")
    secret = first.environment["CHAT_SESSION_SECRET"]
    assert len(secret) >= 32
    assert second.environment["CHAT_SESSION_SECRET"] == secret
    assert secret not in ready_message(settings, 3.0, token_made_up=True)
    another_run = with_chat_session_secret(load_settings(TWO_WORKERS))
    assert another_run.chat_session_secret != secret


def test_a_configured_chat_session_secret_is_the_one_given():
    configured = "a-configured-chat-session-secret-of-40-chars"
    settings = with_chat_session_secret(
        load_settings({**TWO_WORKERS, "CHAT_SESSION_SECRET": configured})
    )
    assert {
        service.environment["CHAT_SESSION_SECRET"]
        for service in rasa_servers(settings, Path("model.tar.gz"))
    } == {configured}


def test_a_run_makes_up_an_action_server_token_its_rasa_processes_send(tmp_path: Path):
    settings = with_run_secrets(load_settings(TWO_WORKERS))
    token = settings.action_server_token
    assert token
    assert len(token) >= 32
    services = [action_server(settings), *rasa_servers(settings, tmp_path / "model.tar.gz")]
    assert {service.environment["ACTION_SERVER_TOKEN"] for service in services} == {token}
    endpoints = endpoints_path(settings).read_text()
    assert "Bearer ${ACTION_SERVER_TOKEN}" in endpoints
    assert token not in endpoints
    assert token not in ready_message(settings, 3.0, token_made_up=True)


def test_a_configured_action_server_token_is_the_one_given():
    configured = "a-configured-action-server-token"
    settings = with_run_secrets(load_settings({"ACTION_SERVER_TOKEN": configured}))
    assert action_server(settings).environment == {"ACTION_SERVER_TOKEN": configured}


def test_a_port_taken_by_another_program_is_named_by_its_setting():
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    settings = load_settings({name: str(port) for name, port in ports.items()})
    assert ports_taken(settings) == []

    with socket.socket() as other:
        other.bind(("127.0.0.1", ports["ACTIONS_PORT"]))
        other.listen()

        assert ports_taken(settings) == [f"ACTIONS_PORT {ports['ACTIONS_PORT']}"]
