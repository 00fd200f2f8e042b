"""Lead intake: a confirmed lead reaches the store, or waits in the spool while the
database is away and reaches it, once and in order, when the database is back.

The database is the machine's real PostgreSQL (skipped when absent, failing
under CI=true), reached through a relay the test opens and closes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.leads.intake import LeadIntake
from bot.leads.spool import SpoolError
from bot.leads.store import LeadRepository, create_engine_for
from bot.settings import load_settings
from tests.bot.leads.conftest import default_submission, scratch_postgres_database
from tests.conftest import free_port
from tests.relay import silent_listener, tcp_relay

POSTGRES_PORT = 5432


@pytest.fixture
def database_url() -> Iterator[str]:
    with scratch_postgres_database() as url:
        yield url


def through(database_url: str, port: int) -> str:
    return make_url(database_url).set(port=port).render_as_string(False)


def intake(database_url: str, spool: Path, deadline: float = 2.0) -> LeadIntake:
    settings = load_settings({"DATABASE_URL": database_url, "LEAD_SPOOL_PATH": str(spool)})
    return LeadIntake(settings, store_deadline=deadline)


def stored_leads(database_url: str) -> list:
    engine = create_engine_for(database_url)
    try:
        return LeadRepository(engine).list()
    finally:
        engine.dispose()


async def test_a_lead_goes_straight_to_a_working_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    lead_intake = intake(url, tmp_path / "spool.jsonl")
    assert (await lead_intake.submit(default_submission())).action == "created"
    assert (await lead_intake.submit(default_submission())).action == "unchanged"
    assert lead_intake.spool.is_empty()
    assert len(stored_leads(url)) == 1


async def test_a_lead_confirmed_while_the_database_is_away_lands_once_when_it_returns(
    database_url: str, tmp_path: Path
) -> None:
    relay_port = free_port()
    lead_intake = intake(through(database_url, relay_port), tmp_path / "spool.jsonl")
    async with tcp_relay(relay_port, POSTGRES_PORT):
        assert (await lead_intake.submit(default_submission(request_key="first"))).action == (
            "created"
        )
    outcome = await lead_intake.submit(
        default_submission(
            request_key="second", email="grace@example.com", conversation_id="conversation-2"
        )
    )
    assert outcome.action == "kept"
    assert [lead.request_key for lead in lead_intake.spool.pending()] == ["second"]
    assert (await lead_intake.retry_kept()).still_kept == 1  # still away: kept
    async with tcp_relay(relay_port, POSTGRES_PORT):
        result = await lead_intake.retry_kept()
        assert (result.stored, result.still_kept) == (1, 0)
        assert (await lead_intake.retry_kept()).stored == 0
    assert sorted(lead.submission.request_key for lead in stored_leads(database_url)) == [
        "first",
        "second",
    ]


async def test_a_kept_lead_with_the_email_of_another_conversations_lead_is_linked_to_it(
    database_url: str, tmp_path: Path
) -> None:
    relay_port = free_port()
    lead_intake = intake(through(database_url, relay_port), tmp_path / "spool.jsonl")
    async with tcp_relay(relay_port, POSTGRES_PORT):
        assert (await lead_intake.submit(default_submission())).action == "created"
    someone_else = default_submission(
        conversation_id="conversation-2", request_key="request-2", name="Mallory"
    )
    assert (await lead_intake.submit(someone_else)).action == "kept"
    async with tcp_relay(relay_port, POSTGRES_PORT):
        assert (await lead_intake.retry_kept()).stored == 1

    second, first = stored_leads(database_url)  # newest first
    assert (first.submission, first.version) == (default_submission(), 1)
    assert second.submission == someone_else
    assert second.possible_duplicate_of == first.id


async def test_kept_leads_reach_the_store_before_a_newer_one(
    database_url: str, tmp_path: Path
) -> None:
    relay_port = free_port()
    lead_intake = intake(through(database_url, relay_port), tmp_path / "spool.jsonl")
    await lead_intake.submit(default_submission(company="Old name Ltd"))
    await lead_intake.submit(default_submission(company="New name Ltd"))  # the visitor's change
    async with tcp_relay(relay_port, POSTGRES_PORT):
        other = default_submission(
            request_key="other", email="other@example.com", conversation_id="conversation-2"
        )
        assert (await lead_intake.submit(other)).action == "created"
    assert lead_intake.spool.is_empty()
    companies = {
        lead.submission.email: lead.submission.company for lead in stored_leads(database_url)
    }
    assert companies == {
        "ada@example.com": "New name Ltd",
        "other@example.com": "Analytical Engines Ltd",
    }


async def test_a_database_that_hangs_costs_the_visitor_the_deadline_only(tmp_path: Path) -> None:
    port = free_port()
    url = f"postgresql://postgres@127.0.0.1:{port}/test"
    lead_intake = intake(url, tmp_path / "spool.jsonl", deadline=0.5)
    async with silent_listener(port):
        # The database never answers: without the deadline the submit would never return.
        outcome = await asyncio.wait_for(lead_intake.submit(default_submission()), timeout=60)
        assert outcome.action == "kept"
    assert lead_intake.spool.pending() == [default_submission()]


async def test_a_lead_neither_stored_nor_kept_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    lead_intake = intake("postgresql://postgres@127.0.0.1:9/test", blocker / "spool.jsonl")
    with pytest.raises(SpoolError):
        await lead_intake.submit(default_submission())
