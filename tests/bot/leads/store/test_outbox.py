"""The delivery outbox on SQLite and PostgreSQL: leases, outcomes, attempts, requeue."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.leads.model import LeadSubmission
from bot.leads.store import Delivery, DeliveryAttempt, LeadRepository, LeadStoreError, Outbox
from tests.bot.leads.conftest import START, Clock

MakeSubmission = Callable[..., LeadSubmission]


@pytest.fixture
def repository(engine: Engine, clock: Clock) -> LeadRepository:
    """A repository with the webhook channel and the test's clock."""
    return LeadRepository(engine, channels=("webhook",), clock=clock)


@pytest.fixture
def outbox(engine: Engine, clock: Clock) -> Outbox:
    """The outbox of the same store, on the same clock."""
    return Outbox(engine, clock=clock)


def enqueue_leads(
    repository: LeadRepository, make_submission: MakeSubmission, how_many: int
) -> list[int]:
    """Stores unrelated leads; returns the ids of their deliveries, in order."""
    ids: list[int] = []
    for number in range(how_many):
        submission = make_submission(
            conversation_id=f"conversation-{number}",
            request_key=f"request-{number}",
            email=f"visitor{number}@example.com",
        )
        ids.extend(repository.submit(submission).delivery_ids)
    return ids


def only(repository: LeadRepository, delivery_id: int) -> Delivery:
    """The delivery with that id, as the repository reads it now."""
    for lead in repository.list(limit=1000):
        for delivery in repository.deliveries(lead.id):
            if delivery.id == delivery_id:
                return delivery
    raise AssertionError(f"no delivery {delivery_id}")


def test_claim_due_leases_pending_deliveries_up_to_the_limit_in_order(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission
) -> None:
    ids = enqueue_leads(repository, make_submission, 3)

    first = outbox.claim_due(worker_id="worker-a", limit=2)
    second = outbox.claim_due(worker_id="worker-a", limit=2)

    assert [delivery.id for delivery in first] == ids[:2]
    assert [delivery.id for delivery in second] == ids[2:]
    assert outbox.claim_due(worker_id="worker-a") == []
    assert outbox.pending_count() == 3  # leased deliveries are still pending


def test_a_leased_delivery_is_not_claimed_by_another_worker(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    enqueue_leads(repository, make_submission, 1)
    outbox.claim_due(worker_id="worker-a", lease=timedelta(minutes=1))
    clock.advance(seconds=59)

    assert outbox.claim_due(worker_id="worker-b") == []


def test_an_expired_lease_can_be_claimed_again(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    [delivery_id] = enqueue_leads(repository, make_submission, 1)
    outbox.claim_due(worker_id="worker-a", lease=timedelta(minutes=1))
    clock.advance(minutes=1)

    reclaimed = outbox.claim_due(worker_id="worker-b")

    assert [delivery.id for delivery in reclaimed] == [delivery_id]


def test_concurrent_workers_never_claim_the_same_delivery(
    engine: Engine, repository: LeadRepository, make_submission: MakeSubmission
) -> None:
    ids = enqueue_leads(repository, make_submission, 24)
    workers = 4
    start = threading.Barrier(workers)
    claimed: list[int] = []
    errors: list[BaseException] = []

    def work(name: str) -> None:
        outbox = Outbox(engine)
        start.wait()
        try:
            while batch := outbox.claim_due(worker_id=name, limit=3, lease=timedelta(hours=1)):
                claimed.extend(delivery.id for delivery in batch)
        except LeadStoreError as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Counter(claimed) == Counter(ids)


def test_record_success_delivers_and_releases_the_lease(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    [delivery_id] = enqueue_leads(repository, make_submission, 1)
    outbox.claim_due(worker_id="worker-a")
    sent_at = clock.advance(seconds=2)

    outbox.record_success(delivery_id, detail="HTTP 200")

    delivery = only(repository, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.delivered_at) == ("delivered", 1, sent_at)
    assert outbox.attempts(delivery_id) == [
        DeliveryAttempt(delivery_id=delivery_id, number=1, at=sent_at, ok=True, detail="HTTP 200")
    ]
    clock.advance(hours=1)
    assert outbox.claim_due(worker_id="worker-b") == []
    assert (outbox.pending_count(), outbox.failed_count()) == (0, 0)


def test_record_failure_with_retry_at_schedules_the_next_attempt(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    [delivery_id] = enqueue_leads(repository, make_submission, 1)
    outbox.claim_due(worker_id="worker-a")
    retry_at = START + timedelta(seconds=30)

    outbox.record_failure(delivery_id, detail="HTTP 503 Service Unavailable", retry_at=retry_at)

    delivery = only(repository, delivery_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert (delivery.next_attempt_at, delivery.last_error) == (
        retry_at,
        "HTTP 503 Service Unavailable",
    )
    assert outbox.claim_due(worker_id="worker-a") == []  # released, but not due yet
    clock.advance(seconds=30)
    assert [d.id for d in outbox.claim_due(worker_id="worker-b")] == [delivery_id]


def test_record_failure_without_retry_at_gives_up(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    [delivery_id] = enqueue_leads(repository, make_submission, 1)
    outbox.claim_due(worker_id="worker-a")

    outbox.record_failure(delivery_id, detail="HTTP 400 Bad Request", retry_at=None)

    delivery = only(repository, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "failed",
        1,
        "HTTP 400 Bad Request",
    )
    clock.advance(days=1)
    assert outbox.claim_due(worker_id="worker-a") == []
    assert (outbox.pending_count(), outbox.failed_count()) == (0, 1)


def test_every_attempt_is_recorded_in_order(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    [delivery_id] = enqueue_leads(repository, make_submission, 1)
    for number in range(1, 4):
        outbox.claim_due(worker_id="worker-a")
        retry_at = clock.now + timedelta(seconds=1)
        outbox.record_failure(delivery_id, detail=f"timeout {number}", retry_at=retry_at)
        clock.advance(seconds=1)
    outbox.claim_due(worker_id="worker-a")
    outbox.record_success(delivery_id, detail="HTTP 202")

    attempts = outbox.attempts(delivery_id)

    assert [(a.number, a.ok, a.detail) for a in attempts] == [
        (1, False, "timeout 1"),
        (2, False, "timeout 2"),
        (3, False, "timeout 3"),
        (4, True, "HTTP 202"),
    ]
    assert [a.at for a in attempts] == [START + timedelta(seconds=n) for n in range(4)]
    assert only(repository, delivery_id).attempts == 4


def test_requeue_failed_makes_given_up_deliveries_due_now_with_fresh_attempts(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission, clock: Clock
) -> None:
    failed, delivered = enqueue_leads(repository, make_submission, 2)
    outbox.claim_due(worker_id="worker-a")
    outbox.record_failure(failed, detail="HTTP 410 Gone", retry_at=None)
    outbox.record_success(delivered, detail="HTTP 200")
    now = clock.advance(hours=2)

    requeued = outbox.requeue_failed()

    assert requeued == 1
    delivery = only(repository, failed)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("pending", 0, now)
    assert [d.id for d in outbox.claim_due(worker_id="worker-b")] == [failed]
    outbox.record_success(failed, detail="HTTP 200")
    assert [(a.number, a.ok) for a in outbox.attempts(failed)] == [(1, False), (2, True)]
    assert outbox.requeue_failed() == 0


def test_recording_an_unknown_delivery_raises_lead_store_error(outbox: Outbox) -> None:
    with pytest.raises(LeadStoreError, match="no delivery has id 404"):
        outbox.record_success(404, detail="HTTP 200")
    with pytest.raises(LeadStoreError, match="no delivery has id 404"):
        outbox.record_failure(404, detail="HTTP 500", retry_at=None)


def test_attempts_of_an_unknown_delivery_are_none(outbox: Outbox) -> None:
    assert outbox.attempts(404) == []


def test_a_naive_retry_time_is_rejected(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission
) -> None:
    [delivery_id] = enqueue_leads(repository, make_submission, 1)

    with pytest.raises(ValueError, match="timezone-aware"):
        outbox.record_failure(delivery_id, detail="x", retry_at=START.replace(tzinfo=None))


def test_pending_count_includes_deliveries_not_yet_due(
    repository: LeadRepository, outbox: Outbox, make_submission: MakeSubmission
) -> None:
    first, _ = enqueue_leads(repository, make_submission, 2)
    outbox.claim_due(worker_id="worker-a", limit=1)

    outbox.record_failure(first, detail="HTTP 503", retry_at=START + timedelta(days=1))

    assert (outbox.pending_count(), outbox.failed_count()) == (2, 0)
