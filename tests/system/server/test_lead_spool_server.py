"""A lead confirmed while the lead store's PostgreSQL is away: the visitor is told it
was received, and it lands in the database exactly once when the database is back,
even across a restart of the action server.

The servers run as ``bot run`` starts them; the lead store is a fresh database
on the machine's PostgreSQL (skipped when absent, failing under CI=true),
reached through a relay the test opens and closes.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.leads.spool import LeadSpool
from bot.leads.store import LeadRepository, create_engine_for, upgrade_database
from tests.bot.leads.conftest import scratch_postgres_database
from tests.conftest import free_port
from tests.relay import tcp_relay_in_thread
from tests.system.server.rasa_process import (
    lead_form,
    local_environment,
    say,
    start_actions,
    start_rasa,
    stop,
)

pytestmark = [pytest.mark.server, pytest.mark.model]

POSTGRES_PORT = 5432


def stored_emails(database_url: str) -> list[str]:
    engine = create_engine_for(database_url)
    try:
        return [lead.submission.email for lead in LeadRepository(engine).list()]
    finally:
        engine.dispose()


def first_stored_emails(database_url: str, timeout: float = 20) -> list[str]:
    """The stored leads' emails as soon as there is one (or none after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not (emails := stored_emails(database_url)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return emails


def test_a_lead_confirmed_while_the_database_is_away_lands_once(tmp_path: Path) -> None:
    relay_port = free_port()
    with scratch_postgres_database() as database_url:
        engine = create_engine_for(database_url)
        upgrade_database(engine)  # the store existed before it went away
        engine.dispose()
        environment = local_environment(
            tmp_path,
            DATABASE_URL=make_url(database_url).set(port=relay_port).render_as_string(False),
            LEAD_SPOOL_RETRY_SECONDS="0.5",
        )
        spool = Path(environment["LEAD_SPOOL_PATH"])
        actions = start_actions(environment, tmp_path / "actions.log")
        rasa = start_rasa(environment, tmp_path / "rasa.log")
        try:
            email = "jane.doe@acme.example"
            messages = lead_form("Jane Doe", email, "+44 20 7946 0958")
            visitor = str(uuid.uuid4())
            replies = [say(int(environment["RASA_PORT"]), visitor, text) for text in messages]
            assert "within one business day" in replies[-1][-1]["text"]
            assert [lead.email for lead in LeadSpool(spool).pending()] == [email]
            stop(actions)  # the lead must outlive the process that kept it
            actions = start_actions(environment, tmp_path / "actions.log")
            with tcp_relay_in_thread(relay_port, POSTGRES_PORT):
                assert first_stored_emails(database_url) == [email]
                time.sleep(1.5)  # three more retries: nothing is stored twice
                assert stored_emails(database_url) == [email]
            assert LeadSpool(spool).is_empty()
        finally:
            stop(rasa)
            stop(actions)
