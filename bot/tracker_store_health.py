"""The tracker store's failures, made visible.

Rasa 3.6 wraps every tracker store in a ``FailSafeTrackerStore``: when reading
a conversation fails (the database is down) it logs an error and returns
nothing, so the turn starts a new, empty conversation; when saving fails, the
conversation goes to an in-memory store that no other replica sees and the
next restart forgets. The visitor gets answers as if all were well, from a
bot that has forgotten them.

With :func:`fail_instead_of_falling_back` installed, such a failure fails the
turn instead (the chat channel answers with an apology), and
:func:`tracker_store_reachable` tells the chat channel's health route whether
the database answers.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)
PING_TIMEOUT_SECONDS = 3.0


class TrackerStoreError(RuntimeError):
    """The tracker store could not read or save a conversation."""


def fail_instead_of_falling_back() -> None:
    """Makes Rasa's ``FailSafeTrackerStore`` raise :class:`TrackerStoreError`
    where it would carry on with an empty or in-memory conversation."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    if getattr(FailSafeTrackerStore, "fails_loudly", False):
        return

    def fail(self: FailSafeTrackerStore, error: Exception) -> None:
        store = type(self._tracker_store).__name__
        logger.error("The tracker store %s failed: %s", store, error)
        raise TrackerStoreError(f"the tracker store {store} failed") from error

    FailSafeTrackerStore.on_tracker_store_error = fail
    FailSafeTrackerStore.on_tracker_store_retrieve_error = fail
    FailSafeTrackerStore.fails_loudly = True


def _ping(engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def tracker_store_reachable(tracker_store: Any) -> bool:
    """Whether the database of ``tracker_store`` (Rasa's, perhaps wrapped) answers
    ``SELECT 1`` within ``PING_TIMEOUT_SECONDS``; a store without one always does."""
    store = getattr(tracker_store, "_tracker_store", tracker_store)
    engine = getattr(store, "engine", None)
    if engine is None:
        return True
    try:
        await asyncio.wait_for(asyncio.to_thread(_ping, engine), PING_TIMEOUT_SECONDS)
    except Exception as error:  # any failure of the driver is the answer: unreachable
        logger.error("The tracker store's database does not answer: %s", error)
        return False
    return True
