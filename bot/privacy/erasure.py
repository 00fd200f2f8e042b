"""Retention and erasure across every place the product keeps personal data.

A person's data lives in three places: the lead store (leads, their request
keys, deliveries and delivery attempts, transcripts included), Rasa's
tracker store (the conversations, as events) and the action server's lead
spool (leads waiting for the database). Both operations first find
everything, then delete it store by store, each in one transaction; if one
fails, running the command again finishes the job. A dry run deletes inside
transactions that are rolled back, so its counts are exact.

Copies already delivered (the sales team's mailbox, the webhook's receiver)
and backups are outside the product: docs/deploy.md says what to do there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.conversations.erasure import (
    DeletedConversations,
    conversations_idle_since,
    conversations_mentioning,
    delete_conversations,
)
from bot.conversations.events import TrackerStoreError, tracker_store_engine
from bot.leads.spool import LeadSpool
from bot.leads.store import create_engine_for, upgrade_database
from bot.leads.store.erasure import (
    LeadReference,
    delete_leads,
    leads_of_email,
    leads_unchanged_since,
)
from bot.leads.store.records import email_key
from bot.settings import Settings


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure or a purge deleted (or, in a dry run, would delete)."""

    leads: int
    deliveries: int
    conversations: int
    events: int
    spooled_leads: int = 0
    dry_run: bool = False

    def describe(self) -> str:
        """One line for the command's output."""
        verb = "would delete" if self.dry_run else "deleted"
        return (
            f"{verb}: {self.leads} lead(s) with {self.deliveries} delivery(ies),"
            f" {self.conversations} conversation(s) with {self.events} event(s),"
            f" {self.spooled_leads} spooled lead(s)"
        )


@dataclass(frozen=True)
class _Stores:
    leads: Engine
    # None when the tracker store keeps nothing (memory) or has nothing yet.
    tracker: Engine | None


def forget_person(settings: Settings, email: str, *, dry_run: bool = False) -> ErasureReport:
    """Deletes everything about the person with ``email``: their leads, the
    conversations those leads came from or that mention the email anywhere,
    and their leads waiting in the spool.

    Raises:
        LeadStoreError, TrackerStoreError: a store failed (run it again).
    """
    spool = LeadSpool(settings.lead_spool_path)
    spooled = [lead for lead in spool.pending() if email_key(lead.email) == email_key(email)]
    if not dry_run:
        # First, so that the action server cannot hand one to the database meanwhile.
        spool.forget(email)
    with _opened_stores(settings) as stores:
        leads = leads_of_email(stores.leads, email)
        conversations = {lead.conversation_id for lead in leads}
        conversations |= {lead.conversation_id for lead in spooled}
        if stores.tracker is not None:
            conversations |= conversations_mentioning(stores.tracker, email)
        report = _delete(stores, leads, conversations, dry_run)
    return replace(report, spooled_leads=len(spooled))


def purge_expired(
    settings: Settings, now: datetime, *, days: int | None = None, dry_run: bool = False
) -> ErasureReport:
    """Deletes the leads unchanged and the conversations idle for ``days`` (the
    ``RETENTION_DAYS`` setting unless given) before ``now`` (timezone-aware).

    Raises:
        LeadStoreError, TrackerStoreError: a store failed (run it again).
    """
    cutoff = now - timedelta(days=settings.retention_days if days is None else days)
    with _opened_stores(settings) as stores:
        leads = leads_unchanged_since(stores.leads, cutoff)
        conversations: set[str] = set()
        if stores.tracker is not None:
            conversations = conversations_idle_since(stores.tracker, cutoff)
        return _delete(stores, leads, conversations, dry_run)


def _delete(
    stores: _Stores, leads: list[LeadReference], conversations: Collection[str], dry_run: bool
) -> ErasureReport:
    erased = DeletedConversations(0, 0)
    if stores.tracker is not None:
        erased = delete_conversations(stores.tracker, conversations, dry_run=dry_run)
    deleted = delete_leads(stores.leads, [lead.id for lead in leads], dry_run=dry_run)
    return ErasureReport(
        leads=deleted.leads,
        deliveries=deleted.deliveries,
        conversations=erased.conversations,
        events=erased.events,
        dry_run=dry_run,
    )


@contextmanager
def _opened_stores(settings: Settings) -> Iterator[_Stores]:
    leads = create_engine_for(settings.database_url)
    tracker = _tracker_store(settings.tracker_store_url)
    try:
        upgrade_database(leads)
        yield _Stores(leads, tracker)
    finally:
        leads.dispose()
        if tracker is not None:
            tracker.dispose()


def _tracker_store(url: str) -> Engine | None:
    try:
        engine = tracker_store_engine(url)
    except TrackerStoreError:  # memory, or a SQLite file not created yet: nothing kept
        return None
    try:
        if sa.inspect(engine).has_table("events"):
            return engine
    except sa.exc.SQLAlchemyError as error:
        engine.dispose()
        raise TrackerStoreError(f"cannot read the tracker store: {type(error).__name__}") from error
    engine.dispose()
    return None
