"""Lead intake: a confirmed lead goes to the lead store, or to the spool while it is away.

The action server owns one :class:`LeadIntake` per process
(:func:`intake_for`). ``submit`` gives the database a few seconds; when it
fails or is slow, the lead is kept in the spool (fsynced) and the visitor is
still told it was received. ``retry_kept`` hands the spool to the store, and
runs before every submission (so leads reach the store in the order they were
confirmed) and every ``LEAD_SPOOL_RETRY_SECONDS`` in the action server.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from bot.leads.spool import DrainResult, LeadSpool
from bot.leads.store.errors import LeadStoreError

if TYPE_CHECKING:
    from bot.leads.model import LeadSubmission, SubmitOutcome
    from bot.leads.store import LeadRepository
    from bot.settings import Settings

logger = logging.getLogger(__name__)
# How long a submission waits for the database before the lead is spooled:
# well inside the time Rasa waits for the action (ACTION_TIMEOUT_SECONDS).
STORE_DEADLINE_SECONDS = 2.0


@dataclass(frozen=True)
class IntakeOutcome:
    """What became of a confirmed lead: stored (as new, revised or unchanged) or kept."""

    action: Literal["created", "updated", "unchanged", "kept"]


class LeadIntake:
    """Takes confirmed leads into the store, or into the spool when the store fails.

    Args:
        settings: where the lead store and the spool are, and the delivery channels.
        store_deadline: seconds a submission waits for the database.
    """

    def __init__(self, settings: Settings, store_deadline: float = STORE_DEADLINE_SECONDS) -> None:
        self._settings = settings
        self._store_deadline = store_deadline
        self.spool = LeadSpool(settings.lead_spool_path)
        self._repository: LeadRepository | None = None
        self._opening = threading.Lock()

    async def submit(self, submission: LeadSubmission) -> IntakeOutcome:
        """Stores the lead, or keeps it in the spool.

        Raises:
            SpoolError: the database failed and the spool could not be written
                either: the lead is not kept.
        """
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(self._store_in_order, submission), self._store_deadline
            )
        except (LeadStoreError, asyncio.TimeoutError) as error:
            logger.warning("The lead store failed (%s): the lead is kept in the spool", error)
        # A store that was only slow may still commit: storing is idempotent by
        # the lead's request key, so the spooled copy changes nothing later.
        await asyncio.to_thread(self.spool.keep, submission)
        return IntakeOutcome("kept")

    async def retry_kept(self) -> DrainResult:
        """Hands the spooled leads to the store; the ones it cannot take stay."""
        if self.spool.is_empty():
            return DrainResult(stored=0, still_kept=0)
        return await asyncio.to_thread(self.spool.drain, self._store)

    def _store_in_order(self, submission: LeadSubmission) -> IntakeOutcome:
        if not self.spool.is_empty() and self.spool.drain(self._store).still_kept:
            raise LeadStoreError("earlier leads are still waiting for the lead store")
        outcome = self._store(submission)
        return IntakeOutcome(outcome.action)

    def _store(self, submission: LeadSubmission) -> SubmitOutcome:
        return self._opened_repository().submit(submission)

    def _opened_repository(self) -> LeadRepository:
        from bot.leads.store import LeadRepository, create_engine_for, upgrade_database

        with self._opening:
            if self._repository is None:
                engine = create_engine_for(self._settings.database_url)
                upgrade_database(engine)
                self._repository = LeadRepository(engine, channels=self._settings.channel_names)
            return self._repository


@cache
def intake_for(settings: Settings) -> LeadIntake:
    """The process's lead intake for these settings, built on first use."""
    return LeadIntake(settings)
