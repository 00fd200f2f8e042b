"""The tracker store's failures fail the turn instead of being papered over.

Rasa 3.6 wraps every tracker store in a ``FailSafeTrackerStore``: when reading
a conversation fails (the database is down) it logs an error and returns
nothing, so the turn starts a new, empty conversation; when saving fails, the
conversation goes to an in-memory store that no other replica sees and the
next restart forgets. The visitor would get answers as if all were well, from
a bot that has forgotten them. With :func:`fail` in place of both fallbacks,
the turn fails instead (the chat channel answers with an apology).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


class TrackerStoreFailedError(RuntimeError):
    """The tracker store could not read or save a conversation."""


def fail(self: Any, error: Exception) -> None:
    """``FailSafeTrackerStore.on_tracker_store_error`` (and ``..._retrieve_error``)
    that raises :class:`TrackerStoreFailedError` instead of falling back.

    Raises:
        TrackerStoreFailedError: always, from ``error``.
    """
    store = type(self._tracker_store).__name__
    logger.error("The tracker store %s failed: %s", store, error)
    raise TrackerStoreFailedError(f"the tracker store {store} failed") from error
