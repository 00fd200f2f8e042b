"""The delivery worker: drains the outbox through the channels, retrying with backoff.

Every lead the store accepts has one outbox row per configured channel. The
worker leases due rows, sends them, and records each attempt; a failure is
retried after :func:`retry_delay` until ``max_attempts``, then left ``failed``
in the outbox (never deleted) for ``Outbox.requeue_failed``.

Delivery is at least once: receivers deduplicate on the idempotency key. Order
is kept within a batch (one lead's ``lead.created`` before its ``lead.updated``)
but not across retries, so receivers keep the highest ``lead.version``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from bot.delivery.backoff import retry_delay
from bot.delivery.channel import Channel, DeliveryError
from bot.delivery.email import EmailChannel
from bot.delivery.webhook import WebhookChannel
from bot.leads.store import Delivery, Outbox, create_engine_for, upgrade_database, utc_now
from bot.settings import DeliverySettings, Settings

logger = logging.getLogger(__name__)

BATCH_SIZE = 10
# Channel timeouts apply per phase (connect, write, read; each SMTP command), so
# one send may take a few of them; past this many the worker abandons it.
SEND_DEADLINE_TIMEOUTS = 4


def default_worker_id() -> str:
    """Host, process and a random suffix: unique among concurrent workers."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class DeliveryWorker:
    """Sends due deliveries from one outbox through the configured channels.

    Args:
        outbox: the store's outbox (sync; called in a thread).
        channels: the configured channels by name.
        settings: attempts, backoff, polling and timeouts.
        worker_id: names this worker's leases (unique by default).
        clock: the current time, timezone-aware UTC.
        batch_size: deliveries leased and sent together per round.
        random: the jitter source for the backoff.
    """

    def __init__(
        self,
        outbox: Outbox,
        channels: Mapping[str, Channel],
        settings: DeliverySettings,
        *,
        worker_id: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        batch_size: int = BATCH_SIZE,
        random: Callable[[], float] = random.random,
    ) -> None:
        self._outbox = outbox
        self._channels = dict(channels)
        self._settings = settings
        self.worker_id = worker_id or default_worker_id()
        self._clock = clock
        self._batch_size = batch_size
        self._random = random
        self._send_deadline = settings.timeout_seconds * SEND_DEADLINE_TIMEOUTS
        # The lease outlives the longest batch, so no other worker can claim a
        # delivery while this one may still be sending it.
        self._lease = timedelta(seconds=max(60.0, 2 * self._send_deadline + 30))
        self.delivered = 0
        self.failed = 0

    async def run_once(self) -> int:
        """Leases the due deliveries (one batch), sends them and records the outcomes.

        Returns:
            How many deliveries were attempted (0 when nothing was due).

        Raises:
            LeadStoreError: the outbox could not be read or written.
        """
        due = await asyncio.to_thread(
            self._outbox.claim_due,
            worker_id=self.worker_id,
            limit=self._batch_size,
            lease=self._lease,
        )
        # One lead's deliveries to one channel go in order (created before
        # updated); the rest concurrently. Every outcome is recorded before
        # any error is raised.
        in_order: dict[tuple[int, str], list[Delivery]] = {}
        for delivery in sorted(due, key=lambda delivery: delivery.id):
            in_order.setdefault((delivery.lead_id, delivery.channel), []).append(delivery)
        outcomes = await asyncio.gather(
            *map(self._deliver_each, in_order.values()), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return len(due)

    async def drain(self) -> int:
        """Runs batches until one comes back short: everything due now, once.

        Returns:
            How many deliveries were attempted.
        """
        total = 0
        while True:
            attempted = await self.run_once()
            total += attempted
            if attempted < self._batch_size:
                return total

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Polls the outbox until ``stop`` is set, surviving any error.

        A full batch is followed by the next one at once; otherwise the worker
        waits ``poll_interval_seconds`` or until ``stop``. A batch in flight is
        finished (it is bounded by the send deadline) so that its outcomes are
        recorded; cancel the task for a hard stop.
        """
        logger.info("delivery worker %s started (%s)", self.worker_id, ", ".join(self._channels))
        while not stop.is_set():
            try:
                attempted = await self.run_once()
            except Exception:  # the outermost edge: log, wait, try again
                logger.exception("delivery worker %s: round failed", self.worker_id)
                attempted = 0
            if attempted < self._batch_size:
                await _wait(stop, self._settings.poll_interval_seconds)
        logger.info("delivery worker %s stopped", self.worker_id)

    async def _deliver_each(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            await self._deliver(delivery)

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            detail = await self._send(delivery)
        except DeliveryError as error:
            await self._record_failure(delivery, error)
            return
        await asyncio.to_thread(self._outbox.record_success, delivery.id, detail=detail)
        self.delivered += 1
        logger.info("delivered %s via %s: %s", delivery.idempotency_key, delivery.channel, detail)

    async def _send(self, delivery: Delivery) -> str:
        channel = self._channels.get(delivery.channel)
        if channel is None:
            configured = ", ".join(self._channels) or "none"
            raise DeliveryError(
                f"channel {delivery.channel!r} is not configured (configured: {configured}); "
                "configure it again to deliver, or leave it to fail after max attempts"
            )
        try:
            return await asyncio.wait_for(channel.send(delivery), self._send_deadline)
        except asyncio.TimeoutError as error:
            raise DeliveryError(f"no outcome within {self._send_deadline:g}s") from error
        except DeliveryError:
            raise
        except Exception as error:  # the edge of one delivery: a channel bug must not
            # stall the outbox (an unrecorded delivery would be retried with no backoff)
            logger.exception("channel %s crashed on %s", delivery.channel, delivery.idempotency_key)
            raise DeliveryError(f"unexpected {type(error).__name__}: {error}") from error

    async def _record_failure(self, delivery: Delivery, error: DeliveryError) -> None:
        attempts = delivery.attempts + 1
        retry_at: datetime | None = None
        if error.retryable and attempts < self._settings.max_attempts:
            delay = retry_delay(
                attempts,
                base=self._settings.backoff_base_seconds,
                maximum=self._settings.backoff_max_seconds,
                random=self._random,
            )
            retry_at = self._clock() + timedelta(seconds=delay)
        await asyncio.to_thread(
            self._outbox.record_failure, delivery.id, detail=error.detail, retry_at=retry_at
        )
        self.failed += 1
        if retry_at is None:
            logger.error(
                "gave up on %s after %d attempt(s): %s (left failed in the outbox)",
                delivery.idempotency_key,
                attempts,
                error.detail,
            )
        else:
            logger.warning(
                "attempt %d of %s failed, retry at %s: %s",
                attempts,
                delivery.idempotency_key,
                retry_at.isoformat(timespec="seconds"),
                error.detail,
            )


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    """Sleeps ``seconds`` or until ``stop`` is set, whichever comes first."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def build_channels(settings: Settings) -> dict[str, Channel]:
    """The channels configured in ``settings``, by name (``Settings.channel_names``)."""
    timeout = settings.delivery.timeout_seconds
    channels: dict[str, Channel] = {}
    if settings.webhook is not None:
        channels["webhook"] = WebhookChannel(settings.webhook, timeout=timeout)
    if settings.smtp is not None:
        channels["email"] = EmailChannel(settings.smtp, timeout=timeout)
    return channels


async def deliver(settings: Settings, *, once: bool, stop: asyncio.Event | None = None) -> int:
    """Opens (and migrates) the database and runs a worker on its outbox.

    Args:
        settings: the database, the channels and the delivery settings.
        once: send what is due now and return, instead of polling.
        stop: ends the polling (only without ``once``); never set by default.

    Returns:
        How many deliveries this run delivered.

    Raises:
        LeadStoreError: the database could not be opened or migrated (or,
            with ``once``, read or written).
    """
    engine = create_engine_for(settings.database_url)
    channels: dict[str, Channel] = {}
    try:
        await asyncio.to_thread(upgrade_database, engine)
        channels = build_channels(settings)
        if not channels:
            logger.warning("no delivery channel configured: set SALES_WEBHOOK_URL or SMTP_HOST")
        worker = DeliveryWorker(Outbox(engine), channels, settings.delivery)
        if once:
            await worker.drain()
        else:
            await worker.run_forever(stop or asyncio.Event())
        return worker.delivered
    finally:
        await asyncio.gather(*(channel.aclose() for channel in channels.values()))
        engine.dispose()
