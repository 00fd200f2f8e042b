"""Finding and deleting conversations in Rasa's SQL tracker store for data protection.

A conversation is all rows of the ``events`` table with one ``sender_id``;
deleting them is what Rasa itself would need to forget it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.conversations.events import EVENTS, TrackerStoreError
from bot.leads.store.errors import describe

# Rows deleted per statement: the IN list stays well inside every driver's limits.
DELETE_BATCH = 500


def conversations_mentioning(engine: Engine, text: str) -> set[str]:
    """The conversations with an event holding ``text`` (case-insensitive): a
    message that typed it, a slot or a reply that repeats it.

    Raises:
        TrackerStoreError: the tracker store cannot be read.
    """
    pattern = "%" + _escape_like(text.strip().lower()) + "%"
    query = (
        sa.select(EVENTS.c.sender_id)
        .where(sa.func.lower(EVENTS.c.data).like(pattern, escape="\\"))
        .distinct()
    )
    return _sender_ids(engine, query)


def conversations_idle_since(engine: Engine, cutoff: datetime) -> set[str]:
    """The conversations whose last event is before ``cutoff``.

    Raises:
        TrackerStoreError: the tracker store cannot be read.
    """
    query = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff.timestamp())
    )
    return _sender_ids(engine, query)


@dataclass(frozen=True)
class DeletedConversations:
    """What :func:`delete_conversations` removed."""

    conversations: int
    events: int


def delete_conversations(
    engine: Engine, sender_ids: Collection[str], *, dry_run: bool = False
) -> DeletedConversations:
    """Deletes every event of these conversations, in one transaction.

    Args:
        engine: the tracker store.
        sender_ids: the conversations to delete.
        dry_run: roll the deletion back: count only.

    Raises:
        TrackerStoreError: the tracker store failed; nothing was deleted.
    """
    ids = sorted(sender_ids)
    conversations = events = 0
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            for start in range(0, len(ids), DELETE_BATCH):
                batch = EVENTS.c.sender_id.in_(ids[start : start + DELETE_BATCH])
                conversations += connection.execute(
                    sa.select(sa.func.count(sa.distinct(EVENTS.c.sender_id))).where(batch)
                ).scalar_one()
                events += connection.execute(sa.delete(EVENTS).where(batch)).rowcount
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    except sa.exc.SQLAlchemyError as error:
        raise TrackerStoreError(f"cannot delete conversations: {describe(error)}") from error
    return DeletedConversations(conversations, events)


def _sender_ids(engine: Engine, query: sa.sql.Select) -> set[str]:
    try:
        with engine.connect() as connection:
            return set(connection.execute(query).scalars())
    except sa.exc.SQLAlchemyError as error:
        raise TrackerStoreError(f"cannot read the tracker store: {describe(error)}") from error


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
