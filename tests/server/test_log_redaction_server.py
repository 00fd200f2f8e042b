"""A whole lead form through real servers logging at DEBUG: the visitor's name,
email and phone number appear in neither server's log."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from bot import stack
from bot.settings import load_settings
from tests.server.rasa_process import (
    lead_form,
    local_environment,
    say,
    start_rasa,
    start_service,
    stop,
)

pytestmark = [pytest.mark.server, pytest.mark.model]

NAME, EMAIL, PHONE = "Jane Doe", "jane.doe@acme.example", "+44 20 7946 0958"


def test_a_lead_form_leaves_no_personal_data_in_debug_logs(tmp_path: Path):
    environment = local_environment(tmp_path, LOG_LEVEL="DEBUG")
    actions_service = stack.action_server(load_settings(environment))
    debug_actions = dataclasses.replace(
        actions_service, command=[*actions_service.command, "--debug"]
    )
    actions = start_service(debug_actions, environment, tmp_path / "actions.log")
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    visitor = str(uuid.uuid4())
    try:
        replies = [
            say(int(environment["RASA_PORT"]), visitor, text)
            for text in lead_form(NAME, EMAIL, PHONE)
        ]
    finally:
        stop(rasa)
        stop(actions)
    answers = "\n".join(str(reply.get("text")) for turn in replies for reply in turn)
    assert "within one business day" in answers  # the lead was stored
    assert EMAIL in answers  # the visitor saw it in the summary
    logs = {name: (tmp_path / name).read_text() for name in ("rasa.log", "actions.log")}
    assert "DEBUG" in logs["rasa.log"]
    assert "DEBUG" in logs["actions.log"]
    for name, log in logs.items():
        for personal in (NAME, "Jane", EMAIL, "7946", "Doe"):
            assert personal not in log, f"{personal!r} in {name}"
