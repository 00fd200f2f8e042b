"""Whole lead forms through real servers logging at DEBUG: the visitor's name,
company, email and phone number appear in neither server's log, wherever the
visitor typed them."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from bot.ops import stack
from bot.settings import load_settings
from tests.system.server.rasa_process import (
    lead_form,
    local_environment,
    say,
    start_rasa,
    start_service,
    stop,
)

pytestmark = [pytest.mark.server, pytest.mark.model]

NAME, EMAIL, PHONE = "Jane Doe", "jane.doe@acme.example", "+44 20 7946 0958"
# The second visitor: their phone first, their name after a complaint, their name
# in the answer about the start, and a company of their own.
OTHER_NAME, OTHER_COMPANY = "Dana Kowalski", "Brightpixel Studio"
OTHER_EMAIL, OTHER_PHONE = "dana@brightpixel.example", "+49 30 901820"
PHONE_FIRST = [
    "Hi, Dana Kowalski here. We need 3 senior Python developers for 6 months",
    "when Dana Kowalski is back from leave, in March",
    '/inform{"engagement_model": "outstaffing"}',
    f"my phone is {OTHER_PHONE}",
    f"I just told you. {OTHER_NAME}",
    OTHER_COMPANY,
    OTHER_EMAIL,
    "yes",
    "/confirm_lead",
]

# A third visitor types their details as commands, which Rasa warns about, quoting them.
TYPED_AS_COMMANDS = [
    "/my name is Zelda Pwned, zelda@leak.example, +44 20 7946 0111",
    '/inform{"email": "zelda2@leak.example"}',
]


def test_lead_forms_leave_no_personal_data_in_debug_logs(tmp_path: Path):
    # two quick conversations from one address: no rate limits
    environment = local_environment(
        tmp_path, LOG_LEVEL="DEBUG", RATE_LIMIT_PER_IP="0", RATE_LIMIT_PER_SENDER="0"
    )
    actions_service = stack.action_server(load_settings(environment))
    debug_actions = dataclasses.replace(
        actions_service, command=[*actions_service.command, "--debug"]
    )
    actions = start_service(debug_actions, environment, tmp_path / "actions.log")
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    port = int(environment["RASA_PORT"])
    try:
        visitor, phone_first = str(uuid.uuid4()), str(uuid.uuid4())
        replies = [say(port, visitor, text) for text in lead_form(NAME, EMAIL, PHONE)]
        other_replies = [say(port, phone_first, text) for text in PHONE_FIRST]
        commander = str(uuid.uuid4())
        for text in TYPED_AS_COMMANDS:
            say(port, commander, text)
    finally:
        stop(rasa)
        stop(actions)
    answers = "\n".join(str(reply.get("text")) for turn in replies for reply in turn)
    assert "within one business day" in answers  # the lead was stored
    assert EMAIL in answers  # the visitor saw it in the summary
    other_answers = "\n".join(str(reply.get("text")) for turn in other_replies for reply in turn)
    assert "within one business day" in other_answers
    assert f"Thank you, {OTHER_NAME}!" in other_answers  # the name, not "I just told you"
    logs = {name: (tmp_path / name).read_text() for name in ("rasa.log", "actions.log")}
    assert "DEBUG" in logs["rasa.log"]
    assert "DEBUG" in logs["actions.log"]
    # phone numbers are looked for as runs of eight digits or more, with and
    # without their spaces: shorter runs turn up in timestamps and ids by chance
    personal_data = (NAME, "Jane", EMAIL, "7946 0958", "79460958", "Doe")
    other_personal_data = (OTHER_NAME, "Dana", "Kowalski", OTHER_COMPANY, "Brightpixel")
    for name, log in logs.items():
        typed_as_commands = ("Zelda", "Pwned", "leak.example", "7946 0111", "79460111")
        for personal in (
            *personal_data,
            *other_personal_data,
            OTHER_EMAIL,
            "30 901820",
            "30901820",
            *typed_as_commands,
        ):
            assert personal not in log, f"{personal!r} in {name}"
