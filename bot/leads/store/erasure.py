"""Finding and deleting leads for data protection: by age (retention) and by person."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from bot.leads.store.engine import for_writing
from bot.leads.store.errors import store_errors
from bot.leads.store.records import aware, email_key
from bot.leads.store.tables import deliveries, leads


@dataclass(frozen=True)
class LeadReference:
    """A stored lead and the conversation it came from."""

    id: int
    conversation_id: str


@dataclass(frozen=True)
class DeletedLeads:
    """What :func:`delete_leads` removed: leads, and their deliveries with them."""

    leads: int
    deliveries: int


def leads_unchanged_since(engine: Engine, cutoff: datetime) -> list[LeadReference]:
    """The leads whose last change is before ``cutoff`` (timezone-aware).

    Raises:
        LeadStoreError: the database failed.
    """
    query = select(leads.c.id, leads.c.conversation_id).where(
        leads.c.updated_at < aware(cutoff, "the cutoff")
    )
    return _references(engine, query, "find expired leads")


def leads_of_email(engine: Engine, email: str) -> list[LeadReference]:
    """The leads left with ``email`` (compared as a resubmission compares it).

    Raises:
        LeadStoreError: the database failed.
    """
    query = select(leads.c.id, leads.c.conversation_id).where(leads.c.email_key == email_key(email))
    return _references(engine, query, "find the leads of an email")


def delete_leads(
    engine: Engine, lead_ids: Collection[int], *, dry_run: bool = False
) -> DeletedLeads:
    """Deletes these leads with their request keys, deliveries and delivery attempts,
    and empties the links of other leads to them.

    Args:
        engine: the lead store.
        lead_ids: the leads to delete.
        dry_run: roll the deletion back: count only.

    Raises:
        LeadStoreError: the database failed; nothing was deleted.
    """
    ids = sorted(lead_ids)
    if not ids:
        return DeletedLeads(0, 0)
    with store_errors("delete leads"), for_writing(engine).connect() as connection:
        transaction = connection.begin()
        delivery_count = connection.execute(
            select(func.count()).select_from(deliveries).where(deliveries.c.lead_id.in_(ids))
        ).scalar_one()
        # Request keys, deliveries and attempts go with their lead (ON DELETE CASCADE);
        # links to a deleted lead are emptied (possible_duplicate_of is no foreign key).
        connection.execute(
            update(leads)
            .where(leads.c.possible_duplicate_of.in_(ids))
            .values(possible_duplicate_of=None)
        )
        deleted = connection.execute(delete(leads).where(leads.c.id.in_(ids))).rowcount
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()
    return DeletedLeads(leads=deleted, deliveries=delivery_count)


def _references(engine: Engine, query: Select, action: str) -> list[LeadReference]:
    with store_errors(action), engine.connect() as connection:
        rows = connection.execute(query.order_by(leads.c.id))
        return [LeadReference(row.id, row.conversation_id) for row in rows]
