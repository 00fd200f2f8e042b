"""The delivery worker on the real outbox (SQLite) with a real HTTP receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.delivery.channel import DeliveryError
from bot.delivery.webhook import WebhookChannel
from bot.delivery.worker import DeliveryWorker
from bot.leads.model import LeadSubmission
from bot.leads.store import Delivery, LeadRepository, Outbox
from tests.bot.delivery.receiver import Receiver
from tests.bot.delivery.running import FAST, eventually, running
from tests.bot.leads.conftest import Clock


def only_delivery(repository: LeadRepository, lead_id: int) -> Delivery:
    """The one delivery of a lead."""
    [delivery] = repository.deliveries(lead_id)
    return delivery


class RefusingChannel:
    """A channel whose every send fails for good."""

    name = "webhook"

    async def send(self, delivery: Delivery) -> str:
        raise DeliveryError("the payload cannot be sent", retryable=False)

    async def aclose(self) -> None:
        """Nothing to close."""


class CrashingChannel(RefusingChannel):
    """A channel with a bug: it raises something other than DeliveryError."""

    async def send(self, delivery: Delivery) -> str:
        raise RuntimeError("boom")


class HangingChannel(RefusingChannel):
    """A channel that never returns."""

    async def send(self, delivery: Delivery) -> str:
        await asyncio.Event().wait()
        return "unreachable"


async def test_worker_retries_until_the_receiver_accepts(
    sqlite_engine: Engine,
    outbox: Outbox,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook",))
    lead_id = repository.submit(make_submission()).lead_id
    receiver.fail_next = 3

    async with running(DeliveryWorker(outbox, {"webhook": webhook}, FAST)):
        await eventually(lambda: outbox.pending_count() == 0)

    delivery = only_delivery(repository, lead_id)
    assert delivery.status == "delivered"
    attempts = outbox.attempts(delivery.id)
    assert [(attempt.number, attempt.ok) for attempt in attempts] == [
        (1, False),
        (2, False),
        (3, False),
        (4, True),
    ]
    assert all("HTTP 503" in attempt.detail for attempt in attempts[:3])
    assert len(receiver.posts) == 4
    assert receiver.successful_keys() == {delivery.idempotency_key: 1}
    assert all(post.signature_valid for post in receiver.posts)


async def test_worker_waits_the_backoff_delay_between_attempts(
    sqlite_engine: Engine,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    clock = Clock()
    outbox = Outbox(sqlite_engine, clock=clock)
    repository = LeadRepository(sqlite_engine, channels=("webhook",), clock=clock)
    lead_id = repository.submit(make_submission()).lead_id
    settings = replace(FAST, backoff_base_seconds=2, backoff_max_seconds=3600)
    worker = DeliveryWorker(outbox, {"webhook": webhook}, settings, clock=clock, random=lambda: 0.5)
    receiver.fail_next = 10
    start = clock.now

    first = await worker.run_once()
    after_first = only_delivery(repository, lead_id).next_attempt_at
    not_yet = await worker.run_once()
    clock.now = after_first
    second = await worker.run_once()

    assert (first, not_yet, second) == (1, 0, 1)
    assert after_first == start + timedelta(seconds=2)
    assert only_delivery(repository, lead_id).next_attempt_at == after_first + timedelta(seconds=4)


async def test_worker_gives_up_after_max_attempts_and_requeue_delivers(
    sqlite_engine: Engine,
    outbox: Outbox,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook",))
    lead_id = repository.submit(make_submission()).lead_id
    worker = DeliveryWorker(outbox, {"webhook": webhook}, replace(FAST, max_attempts=3))
    receiver.fail_next = 1000

    async with running(worker):
        await eventually(lambda: outbox.failed_count() == 1)
        given_up = only_delivery(repository, lead_id)
        receiver.fail_next = 0
        requeued = await asyncio.to_thread(outbox.requeue_failed)
        await eventually(lambda: only_delivery(repository, lead_id).status == "delivered")

    assert (given_up.status, given_up.attempts) == ("failed", 3)
    assert given_up.last_error is not None
    assert "HTTP 503" in given_up.last_error
    assert requeued == 1
    assert [attempt.ok for attempt in outbox.attempts(given_up.id)] == [False] * 3 + [True]
    assert receiver.successful_keys() == {given_up.idempotency_key: 1}
    assert (outbox.pending_count(), outbox.failed_count()) == (0, 0)


async def test_worker_keeps_a_delivery_of_an_unconfigured_channel_pending(
    sqlite_engine: Engine,
    outbox: Outbox,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook", "email"))
    lead_id = repository.submit(make_submission()).lead_id

    attempted = await DeliveryWorker(outbox, {"webhook": webhook}, FAST).run_once()

    by_channel = {delivery.channel: delivery for delivery in repository.deliveries(lead_id)}
    assert attempted == 2
    assert by_channel["webhook"].status == "delivered"
    email = by_channel["email"]
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error is not None
    assert "channel 'email' is not configured" in email.last_error


async def test_worker_gives_up_at_once_when_retrying_cannot_help(
    sqlite_engine: Engine, outbox: Outbox, make_submission: Callable[..., LeadSubmission]
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook",))
    lead_id = repository.submit(make_submission()).lead_id

    await DeliveryWorker(outbox, {"webhook": RefusingChannel()}, FAST).run_once()

    delivery = only_delivery(repository, lead_id)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "the payload cannot be sent"


async def test_worker_records_a_crashing_channel_as_a_retryable_failure(
    sqlite_engine: Engine, outbox: Outbox, make_submission: Callable[..., LeadSubmission]
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook",))
    lead_id = repository.submit(make_submission()).lead_id

    await DeliveryWorker(outbox, {"webhook": CrashingChannel()}, FAST).run_once()

    delivery = only_delivery(repository, lead_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error == "unexpected RuntimeError: boom"


async def test_worker_abandons_a_send_that_outlives_its_deadline(
    sqlite_engine: Engine, outbox: Outbox, make_submission: Callable[..., LeadSubmission]
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook",))
    lead_id = repository.submit(make_submission()).lead_id
    settings = replace(FAST, timeout_seconds=0.05)

    await asyncio.wait_for(
        DeliveryWorker(outbox, {"webhook": HangingChannel()}, settings).run_once(), timeout=5
    )

    delivery = only_delivery(repository, lead_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error == "no outcome within 0.2s"


async def test_worker_sends_a_leads_update_after_its_creation(
    sqlite_engine: Engine,
    outbox: Outbox,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(sqlite_engine, channels=("webhook",))
    repository.submit(make_submission(request_key="form-1", team_size=3))
    updated = repository.submit(make_submission(request_key="form-1", team_size=5))

    await DeliveryWorker(outbox, {"webhook": webhook}, FAST).run_once()

    assert updated.action == "updated"
    sent = [(post.document["event"], post.document["lead"]["team_size"]) for post in receiver.posts]
    assert sent == [("lead.created", 3), ("lead.updated", 5)]
