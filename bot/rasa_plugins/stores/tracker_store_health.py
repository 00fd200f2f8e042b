"""Whether the tracker store's database answers, for the chat channel's health route.

(A failure in a turn fails the turn: ``bot.rasa_patches.serving.tracker_store_failures``.)
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)
PING_TIMEOUT_SECONDS = 3.0


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
