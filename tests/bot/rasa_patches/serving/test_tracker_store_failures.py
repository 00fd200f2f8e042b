"""bot.rasa_patches.serving.tracker_store_failures: a failing tracker store fails the
turn instead of starting an empty conversation or keeping it in memory."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.serving.tracker_store_failures import TrackerStoreFailedError


class BrokenStore(InMemoryTrackerStore):
    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        raise ConnectionError("the database is down")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("the database is down")


def test_rasa_falls_back_silently_without_the_patch():
    store = FailSafeTrackerStore(BrokenStore(Domain.empty()))
    assert asyncio.run(store.retrieve("visitor")) is None


def test_reading_and_saving_fail_loudly(patches):
    patches("serving")
    store = FailSafeTrackerStore(BrokenStore(Domain.empty()))
    with pytest.raises(TrackerStoreFailedError, match="BrokenStore"):
        asyncio.run(store.retrieve("visitor"))
    with pytest.raises(TrackerStoreFailedError):
        asyncio.run(store.save(DialogueStateTracker("visitor", [])))
