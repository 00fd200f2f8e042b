"""Retention and erasure on the real stores: the lead store and Rasa's SQL tracker
store on SQLite and on the machine's PostgreSQL (skipped when absent, failing
under CI=true), and the lead spool. After an erasure no table and no file
holds the person's email or name; everyone else's data is untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.leads.spool import LeadSpool
from bot.leads.store import LeadRepository, create_engine_for, upgrade_database
from bot.privacy.erasure import ErasureReport, forget_person, purge_expired
from bot.settings import Settings, load_settings
from tests.bot.conversations.conftest import Script, save_conversations, slot
from tests.bot.leads.conftest import Clock, default_submission, scratch_postgres_database

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
LONG_AGO = NOW - timedelta(days=400)
ADA, GRACE = "ada@example.com", "grace@example.com"
TABLES = ("leads", "lead_request_keys", "deliveries", "delivery_attempts", "events")


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on empty stores of one backend; the spool is in ``tmp_path``."""
    spool = str(tmp_path / "spool.jsonl")
    if request.param == "sqlite":
        yield load_settings(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'leads.db'}",
                "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
                "LEAD_SPOOL_PATH": spool,
            }
        )
        return
    with scratch_postgres_database() as url:
        yield load_settings(
            {"DATABASE_URL": url, "TRACKER_STORE_URL": url, "LEAD_SPOOL_PATH": spool}
        )


def conversation(sender_id: str, text: str, start: datetime = NOW) -> Script:
    """Five events: the session's start (three), the message, and listening."""
    return Script(sender_id, start - timedelta(hours=1)).user(text, "inform").listen()


def store_lead(engine: sa.engine.Engine, conversation_id: str, email: str, name: str, at: datetime):
    repository = LeadRepository(engine, channels=("webhook", "email"), clock=Clock(at))
    submission = default_submission(
        conversation_id=conversation_id,
        request_key=f"key-{conversation_id}",
        email=email,
        name=name,
    )
    repository.submit(submission)


def fill(settings: Settings) -> None:
    """Ada: two leads, a cancelled form that typed her email, a spooled lead.
    Grace: a lead and a spooled lead. Someone: an FAQ question, long ago."""
    engine = create_engine_for(settings.database_url)
    upgrade_database(engine)
    store_lead(engine, "ada-2", ADA, "Ada Lovelace", LONG_AGO)
    store_lead(engine, "ada-1", ADA, "Ada Lovelace", NOW - timedelta(days=2))
    store_lead(engine, "grace-1", GRACE, "Grace Hopper", NOW - timedelta(days=1))
    engine.dispose()
    ada_slot = slot("email", ADA)
    save_conversations(
        settings.tracker_store_url,
        [
            conversation("ada-1", "Ada Lovelace, Acme, ada@example.com").add(ada_slot),
            conversation("ada-2", "Ada Lovelace, ADA@Example.com", LONG_AGO),
            conversation("ada-cancelled", "my email is Ada@example.com, no wait, cancel"),
            conversation("grace-1", "Grace Hopper, grace@example.com"),
            conversation("faq", "what is outstaffing?", LONG_AGO),
        ],
    )
    spool = LeadSpool(settings.lead_spool_path)
    spool.keep(
        default_submission(conversation_id="ada-3", email="ADA@example.com", name="Ada Lovelace")
    )
    spool.keep(default_submission(conversation_id="grace-2", email=GRACE, name="Grace Hopper"))


def everything_kept(settings: Settings) -> str:
    """Every row of every table of both stores, and the spool file, lower-cased."""
    dumps = []
    for url in {settings.database_url, settings.tracker_store_url}:
        engine = sa.create_engine(url, future=True)
        with engine.connect() as connection:
            for table in TABLES:
                if sa.inspect(connection).has_table(table):
                    rows = connection.execute(sa.text(f"SELECT * FROM {table}")).all()
                    dumps.append(json.dumps([list(row) for row in rows], default=str))
        engine.dispose()
    spool = settings.lead_spool_path
    dumps.append(spool.read_text() if spool.exists() else "")
    return "\n".join(dumps).lower()


def test_forgetting_a_person_leaves_nothing_of_them_and_all_of_the_others(settings):
    fill(settings)
    report = forget_person(settings, "  Ada@Example.COM ")
    assert report == ErasureReport(
        leads=2, deliveries=4, conversations=3, events=16, spooled_leads=1
    )
    kept = everything_kept(settings)
    assert "ada@example.com" not in kept
    assert "lovelace" not in kept
    assert kept.count("grace@example.com") > 3  # her lead, deliveries, conversation, spool
    assert "what is outstaffing?" in kept
    assert forget_person(settings, ADA) == ErasureReport(0, 0, 0, 0, 0)


def test_a_dry_run_counts_exactly_and_deletes_nothing(settings):
    fill(settings)
    before = everything_kept(settings)
    report = forget_person(settings, ADA, dry_run=True)
    assert report == ErasureReport(2, 4, 3, 16, 1, dry_run=True)
    assert everything_kept(settings) == before
    assert purge_expired(settings, NOW, days=30, dry_run=True).dry_run
    assert everything_kept(settings) == before


def test_purge_deletes_leads_and_conversations_older_than_the_retention(settings):
    fill(settings)
    report = purge_expired(settings, NOW, days=30)
    assert (report.leads, report.deliveries, report.conversations) == (1, 2, 2)
    kept = everything_kept(settings)
    assert "key-ada-2" not in kept  # Ada's old lead
    assert "what is outstaffing?" not in kept  # the old FAQ conversation
    assert "key-ada-1" in kept
    assert "key-grace-1" in kept
    assert "my email is ada@example.com" in kept


def test_the_retention_setting_is_the_default_period(settings, tmp_path):
    fill(settings)
    assert purge_expired(settings, NOW).leads == 1  # 365 days: the 400-day-old lead
    assert purge_expired(settings, NOW + timedelta(days=370)).leads == 2


def test_a_memory_tracker_store_has_no_conversation_to_erase(tmp_path: Path):
    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'leads.db'}",
            "TRACKER_STORE_URL": "memory",
            "LEAD_SPOOL_PATH": str(tmp_path / "spool.jsonl"),
        }
    )
    engine = create_engine_for(settings.database_url)
    upgrade_database(engine)
    store_lead(engine, "ada-1", ADA, "Ada Lovelace", NOW)
    engine.dispose()
    assert forget_person(settings, ADA) == ErasureReport(1, 2, 0, 0, 0)


def test_purging_a_lead_empties_the_link_of_its_newer_possible_duplicate(settings):
    fill(settings)
    cutoff = NOW - timedelta(days=30)
    engine = create_engine_for(settings.database_url)
    lin = "lin@example.com"
    store_lead(engine, "lin-old-tab", lin, "Lin Wu", cutoff - timedelta(minutes=10))
    store_lead(engine, "lin-new-tab", lin, "Lin Wu", cutoff + timedelta(minutes=10))
    repository = LeadRepository(engine)
    [linked] = [lead for lead in repository.list() if lead.possible_duplicate_of is not None]
    assert linked.submission.conversation_id == "lin-new-tab"

    assert purge_expired(settings, NOW, days=30).leads == 2  # with fill's lead of long ago

    kept = repository.get(linked.id)
    assert kept.possible_duplicate_of is None
    engine.dispose()


def test_forgetting_a_person_deletes_the_possible_duplicates_of_their_lead(settings):
    fill(settings)
    engine = create_engine_for(settings.database_url)
    store_lead(engine, "someone-else", ADA, "Not Ada", NOW - timedelta(days=2, minutes=-5))
    engine.dispose()

    assert forget_person(settings, ADA).leads == 3
    kept = everything_kept(settings)
    assert "ada@example.com" not in kept
    assert "not ada" not in kept
