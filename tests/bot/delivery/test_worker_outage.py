"""Many leads, a receiver outage and concurrent workers: nothing lost, nothing sent twice.

On each backend: SQLite, and PostgreSQL when its server runs (else skipped).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

from sqlalchemy.engine import Engine

from bot.delivery.webhook import WebhookChannel
from bot.delivery.worker import DeliveryWorker
from bot.leads.model import LeadSubmission
from bot.leads.store import LeadRepository, Outbox
from tests.bot.delivery.receiver import Receiver
from tests.bot.delivery.running import FAST, eventually, running

LEADS = 50


async def submit_leads(
    repository: LeadRepository, make_submission: Callable[..., LeadSubmission], count: int
) -> list[int]:
    """Submits ``count`` distinct leads (one per conversation)."""
    return await submit_leads_from(repository, make_submission, 0, count)


async def test_receiver_outage_loses_and_duplicates_nothing(
    engine: Engine,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(engine, channels=("webhook",))
    outbox = Outbox(engine)
    await receiver.stop()

    async with running(DeliveryWorker(outbox, {"webhook": webhook}, FAST)):
        lead_ids = await submit_leads(repository, make_submission, LEADS)
        await eventually(
            lambda: all(d.attempts >= 1 for i in lead_ids for d in repository.deliveries(i))
        )
        await receiver.start()
        await eventually(lambda: outbox.pending_count() == 0)

    deliveries = [delivery for i in lead_ids for delivery in repository.deliveries(i)]
    keys = {delivery.idempotency_key for delivery in deliveries}
    assert len(deliveries) == len(keys) == LEADS
    assert all(delivery.status == "delivered" for delivery in deliveries)
    assert all(not outbox.attempts(delivery.id)[0].ok for delivery in deliveries)
    assert receiver.successful_keys() == Counter(dict.fromkeys(keys, 1))
    assert outbox.failed_count() == 0


async def test_receiver_killed_in_the_middle_of_50_submissions_loses_and_duplicates_nothing(
    engine: Engine,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(engine, channels=("webhook",))
    outbox = Outbox(engine)

    async with running(DeliveryWorker(outbox, {"webhook": webhook}, FAST)):
        first = await submit_leads(repository, make_submission, 20)
        await eventually(lambda: outbox.pending_count() == 0)
        await receiver.stop()  # killed while visitors keep confirming
        rest = await submit_leads_from(repository, make_submission, 20, LEADS)
        await eventually(
            lambda: all(d.attempts >= 1 for i in rest for d in repository.deliveries(i))
        )
        await receiver.start()
        await eventually(lambda: outbox.pending_count() == 0)

    deliveries = [delivery for i in first + rest for delivery in repository.deliveries(i)]
    keys = {delivery.idempotency_key for delivery in deliveries}
    assert len(deliveries) == len(keys) == LEADS
    assert all(delivery.status == "delivered" for delivery in deliveries)
    assert receiver.successful_keys() == Counter(dict.fromkeys(keys, 1))
    assert outbox.failed_count() == 0


async def submit_leads_from(
    repository: LeadRepository,
    make_submission: Callable[..., LeadSubmission],
    start: int,
    stop: int,
) -> list[int]:
    """Submits leads ``start`` to ``stop - 1`` (distinct conversations and emails)."""
    outcomes = []
    for number in range(start, stop):
        submission = make_submission(
            conversation_id=f"conversation-{number}",
            request_key=f"request-{number}",
            email=f"visitor{number}@example.com",
        )
        outcomes.append(await asyncio.to_thread(repository.submit, submission))
    assert all(outcome.action == "created" for outcome in outcomes)
    return [outcome.lead_id for outcome in outcomes]


async def test_two_workers_never_send_one_delivery_twice(
    engine: Engine,
    receiver: Receiver,
    webhook: WebhookChannel,
    make_submission: Callable[..., LeadSubmission],
) -> None:
    repository = LeadRepository(engine, channels=("webhook",))
    lead_ids = await submit_leads(repository, make_submission, LEADS)
    receiver.delay = 0.01  # keep sends in flight while the other worker claims
    first, second = (
        DeliveryWorker(Outbox(engine), {"webhook": webhook}, FAST, worker_id=name, batch_size=3)
        for name in ("first", "second")
    )
    outbox = Outbox(engine)

    async with running(first, second):
        await eventually(lambda: outbox.pending_count() == 0)

    keys = {d.idempotency_key for i in lead_ids for d in repository.deliveries(i)}
    assert len(receiver.posts) == LEADS
    assert receiver.successful_keys() == Counter(dict.fromkeys(keys, 1))
    assert first.delivered + second.delivered == LEADS
    assert first.delivered > 0
    assert second.delivered > 0
