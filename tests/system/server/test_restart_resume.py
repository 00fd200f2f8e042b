"""A Rasa server killed mid-conversation (SIGKILL: no shutdown of any kind) loses
nothing: restarted, it resumes the visitor's lead form from the tracker store where
it stopped, and the lead is stored."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

import pytest

from bot.leads.store import LeadRepository, create_engine_for
from tests.system.server.rasa_process import (
    lead_form,
    local_environment,
    say,
    start_actions,
    start_rasa,
    stop,
)

pytestmark = [pytest.mark.server, pytest.mark.model]


def test_a_killed_server_resumes_the_lead_form_where_it_stopped(tmp_path: Path) -> None:
    environment = local_environment(tmp_path)
    port = int(environment["RASA_PORT"])
    email = "grace.hopper@acme.example"
    first, *rest = lead_form("Grace Hopper", email, "+44 20 7946 0958")
    visitor = str(uuid.uuid4())
    actions = start_actions(environment, tmp_path / "actions.log")
    rasa = start_rasa(environment, tmp_path / "rasa.log")
    try:
        asked = say(port, visitor, first)[-1]["text"]
        os.kill(rasa.pid, signal.SIGKILL)
        rasa.wait(timeout=30)
        rasa = start_rasa(environment, tmp_path / "rasa-restarted.log")
        replies = [say(port, visitor, text) for text in rest]
    finally:
        stop(rasa)
        stop(actions)
    # the team is there: the form's next question is the contact
    assert asked == "Who should our sales team reply to? Please send your name and your work email."
    assert "within one business day" in replies[-1][-1]["text"]
    engine = create_engine_for(environment["DATABASE_URL"])
    [lead] = LeadRepository(engine).list()
    engine.dispose()
    assert (lead.submission.email, lead.submission.team_size) == (email, 3)
    assert lead.submission.seniority == ("senior",)
