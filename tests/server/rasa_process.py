"""A Rasa server started as ``bot run`` starts it, and a visitor talking to it over REST."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import requests

from bot import stack
from bot.settings import load_settings
from tests.conftest import ROOT, trained_model


def start_rasa(environment: dict[str, str], log: Path) -> subprocess.Popen:
    settings = load_settings(environment)
    service = stack.rasa_server(settings, trained_model())
    with log.open("ab") as output:
        process = subprocess.Popen(
            service.command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Rasa exited:\n{log.read_text()[-3000:]}")
        try:
            requests.get(service.health_url or "", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.3)
    pytest.fail("Rasa did not start")


def say(port: int, sender: str, message: str) -> list[dict]:
    reply = requests.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=30,
    )
    return reply.json()
