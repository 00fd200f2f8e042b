"""The lead store: leads and their delivery outbox in SQLite or PostgreSQL.

Build an engine with :func:`create_engine_for`, migrate it with
:func:`upgrade_database`, then use a :class:`LeadRepository` (the bot and the
sales app) and an :class:`Outbox` (the delivery worker). Every method is
synchronous; async code runs them with ``asyncio.to_thread``.
"""

from bot.leads.store.engine import create_engine_for
from bot.leads.store.errors import LeadNotFound, LeadStoreError
from bot.leads.store.migrate import upgrade_database
from bot.leads.store.outbox import Outbox
from bot.leads.store.records import Delivery, DeliveryAttempt, utc_now
from bot.leads.store.repository import LeadRepository

__all__ = [
    "Delivery",
    "DeliveryAttempt",
    "LeadNotFound",
    "LeadRepository",
    "LeadStoreError",
    "Outbox",
    "create_engine_for",
    "upgrade_database",
    "utc_now",
]
