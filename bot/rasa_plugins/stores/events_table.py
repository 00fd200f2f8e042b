"""Rasa's ``events`` table, described once for everything that reads or writes it.

Rasa 3.6's ``SQLTrackerStore`` keeps one row per event: ``sender_id``,
``type_name``, ``timestamp``, ``intent_name``, ``action_name`` and the event as
JSON in ``data`` (``id`` orders them). The project's tracker store writes rows
(``bot.rasa_plugins.stores.sql_tracker_store``), ``bot stats`` and ``bot review``
read them and erasure deletes them (``bot.conversations``): all through this
description, which is Rasa's own table (``rasa.core.tracker_store``) and must
follow it on a Rasa upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("intent_name", sa.String),
    sa.column("action_name", sa.String),
    sa.column("data", sa.Text),
)
# The columns a stored event fills (``id`` is the database's).
WRITTEN_COLUMNS = tuple(column.name for column in EVENTS.columns if column.name != "id")


class TrackerStoreError(Exception):
    """The tracker store cannot be read (no SQL store, no database, no table)."""
