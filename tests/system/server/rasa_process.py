"""A Rasa server (and action server) started as ``bot run`` starts them, and a visitor
talking to it over REST.

Each Rasa server started here signs chat sessions with ``TEST_SESSION_SECRET``
(unless its environment names another), so that :func:`say` can talk in a
conversation named by the test, as a trusted integration holding the secret can.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
import requests

from bot.ops import stack
from bot.ops.supervision import Service
from bot.settings import load_settings
from tests.conftest import ROOT, free_port, trained_model
from tests.system.server.rest_visitor import RestVisitor

TEST_SESSION_SECRET = "a-chat-session-secret-for-tests-only"
# The session secret of each Rasa server started here, by its port.
_session_secrets: dict[int, str] = {}


def local_environment(folder: Path, **overrides: str) -> dict[str, str]:
    """This process's environment for a Rasa server and an action server of a test's
    own: free ports, and logs, SQLite stores and the lead spool in ``folder``."""
    return {
        **os.environ,
        "RASA_PORT": str(free_port()),
        "ACTIONS_PORT": str(free_port()),
        "LOG_DIR": str(folder),
        "TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{folder / 'leads.db'}",
        "LEAD_SPOOL_PATH": str(folder / "spool" / "leads.jsonl"),
        **overrides,
    }


def start_service(service: Service, environment: dict[str, str], log: Path) -> subprocess.Popen:
    """Starts ``service`` and waits until its health URL answers."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            service.command,
            cwd=ROOT,
            env={**environment, **service.environment},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The {service.name} exited:\n{log.read_text()[-3000:]}")
        try:
            requests.get(service.health_url or "", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.3)
    pytest.fail(f"The {service.name} did not start")


def session_secret(environment: Mapping[str, str]) -> str:
    """The secret a Rasa server started here with ``environment`` signs sessions with."""
    return environment.get("CHAT_SESSION_SECRET") or TEST_SESSION_SECRET


def start_rasa(environment: dict[str, str], log: Path) -> subprocess.Popen:
    """The Rasa server on the trained model, its sessions signed with the
    environment's ``CHAT_SESSION_SECRET`` or ``TEST_SESSION_SECRET``."""
    secret = session_secret(environment)
    environment = {**environment, "CHAT_SESSION_SECRET": secret}
    settings = load_settings(environment)
    _session_secrets[settings.rasa_port] = secret
    return start_service(stack.rasa_server(settings, trained_model()), environment, log)


def start_actions(environment: dict[str, str], log: Path) -> subprocess.Popen:
    """The action server."""
    return start_service(stack.action_server(load_settings(environment)), environment, log)


def stop(process: subprocess.Popen) -> None:
    """Terminates ``process``, killing it if it does not end within 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def lead_form(name: str, email: str, phone: str) -> list[str]:
    """A visitor's messages through a whole lead form: the team, the contact
    (the summary follows), then "Yes, send it"."""
    return [
        "we need 3 senior Python developers for 6 months starting ASAP",
        f"{name}, Acme Ltd, {email}, {phone}",
        "/confirm_lead",
    ]


def say(port: int, sender: str, message: str) -> list[dict]:
    """Sends ``message`` in conversation ``sender`` to the Rasa server started on
    ``port``; the bot's replies."""
    secret = _session_secrets.get(port, TEST_SESSION_SECRET)
    return RestVisitor.named(f"http://127.0.0.1:{port}", sender, secret).say(message)
