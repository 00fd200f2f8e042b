"""The delivery outbox: one row per lead event and channel, leased by delivery workers.

A repository transaction that stores a lead also enqueues its deliveries
(:func:`enqueue`), so a lead is never stored without them nor announced
without being stored. Workers lease due rows (:meth:`Outbox.claim_due`) and
record every attempt; rows are never deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from bot.leads.model import StoredLead
from bot.leads.serialize import lead_to_dict
from bot.leads.store.engine import for_writing
from bot.leads.store.errors import LeadStoreError, store_errors
from bot.leads.store.records import (
    Delivery,
    DeliveryAttempt,
    attempt_from_row,
    aware,
    delivery_from_row,
    storable,
    utc_now,
)
from bot.leads.store.tables import deliveries, delivery_attempts

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
_RELEASED: dict[str, Any] = {"lease_owner": None, "lease_until": None}


def idempotency_key(lead_id: int, version: int, channel: str) -> str:
    """The key receivers deduplicate one version of one lead on one channel by."""
    return f"lead-{lead_id}-v{version}-{channel}"


def enqueue(
    connection: Connection,
    lead: StoredLead,
    *,
    event: str,
    channels: Sequence[str],
    now: datetime,
) -> tuple[int, ...]:
    """Adds one pending delivery of ``lead`` per channel, due ``now``, in the caller's transaction.

    Returns:
        The ids of the new deliveries, in the order of ``channels``.
    """
    payload = lead_to_dict(lead)
    ids = []
    for channel in channels:
        result = connection.execute(
            insert(deliveries).values(
                lead_id=lead.id,
                channel=channel,
                event=event,
                idempotency_key=idempotency_key(lead.id, lead.version, channel),
                payload=payload,
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        ids.append(int(result.inserted_primary_key[0]))
    return tuple(ids)


def _due(now: datetime) -> ColumnElement:
    return and_(
        deliveries.c.status == PENDING,
        deliveries.c.next_attempt_at <= now,
        or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until <= now),
    )


class Outbox:
    """The deliveries waiting to be sent, as delivery workers see them (synchronous).

    Args:
        engine: the migrated lead store's engine.
        clock: the current time, timezone-aware UTC.
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._writer = for_writing(engine)
        self._clock = clock

    def _now(self) -> datetime:
        return aware(self._clock(), "the clock's time")

    def claim_due(
        self, *, worker_id: str, limit: int = 10, lease: timedelta = timedelta(minutes=1)
    ) -> list[Delivery]:
        """Leases up to ``limit`` due deliveries to ``worker_id`` until ``now + lease``.

        Due means pending, ``next_attempt_at`` reached, and no lease or an
        expired one. Each row is leased by a conditional update, so two workers
        never hold one delivery at once.

        Returns:
            The leased deliveries, the longest due first.

        Raises:
            LeadStoreError: the database failed.
        """
        now = self._now()
        with store_errors("claim due deliveries"), self._writer.begin() as connection:
            candidates = connection.execute(
                select(deliveries.c.id)
                .where(_due(now))
                .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
                .limit(limit)
            ).scalars()
            # ascending ids: concurrent claimers lock rows in one order (no deadlock)
            claimed = [
                delivery_id
                for delivery_id in sorted(candidates)
                if self._lease(connection, delivery_id, worker_id, now, now + lease)
            ]
            rows = connection.execute(
                select(deliveries)
                .where(deliveries.c.id.in_(claimed))
                .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            ).all()
        return [delivery_from_row(row) for row in rows]

    @staticmethod
    def _lease(
        connection: Connection, delivery_id: int, worker_id: str, now: datetime, until: datetime
    ) -> bool:
        result = connection.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id, _due(now))
            .values(lease_owner=worker_id, lease_until=until)
        )
        return bool(result.rowcount == 1)

    def record_success(self, delivery_id: int, *, detail: str) -> None:
        """Records a successful attempt: the delivery is delivered and its lease released.

        Raises:
            LeadStoreError: no such delivery, or the database failed.
        """
        self._record(delivery_id, ok=True, detail=detail, changes={"status": DELIVERED})

    def record_failure(self, delivery_id: int, *, detail: str, retry_at: datetime | None) -> None:
        """Records a failed attempt and releases the lease.

        Args:
            delivery_id: the delivery tried.
            detail: why it failed, kept as ``last_error``.
            retry_at: when to try again; None gives up (status ``failed``).

        Raises:
            LeadStoreError: no such delivery, or the database failed.
        """
        changes: dict[str, Any] = {"status": FAILED, "last_error": storable(detail)}
        if retry_at is not None:
            changes.update(status=PENDING, next_attempt_at=aware(retry_at, "retry_at"))
        self._record(delivery_id, ok=False, detail=detail, changes=changes)

    def _record(self, delivery_id: int, *, ok: bool, detail: str, changes: dict[str, Any]) -> None:
        now = self._now()
        if ok:
            changes = {**changes, "delivered_at": now}
        with store_errors("record a delivery attempt"), self._writer.begin() as connection:
            result = connection.execute(
                update(deliveries)
                .where(deliveries.c.id == delivery_id)
                .values(attempts=deliveries.c.attempts + 1, **_RELEASED, **changes)
            )
            if result.rowcount != 1:
                raise LeadStoreError(f"no delivery has id {delivery_id}")
            number = connection.execute(
                select(func.coalesce(func.max(delivery_attempts.c.number), 0) + 1).where(
                    delivery_attempts.c.delivery_id == delivery_id
                )
            ).scalar_one()
            connection.execute(
                insert(delivery_attempts).values(
                    delivery_id=delivery_id, number=number, at=now, ok=ok, detail=storable(detail)
                )
            )

    def attempts(self, delivery_id: int) -> list[DeliveryAttempt]:
        """Every attempt at one delivery, the first first (none for an unknown id)."""
        with store_errors("read delivery attempts"), self._engine.connect() as connection:
            rows = connection.execute(
                select(delivery_attempts)
                .where(delivery_attempts.c.delivery_id == delivery_id)
                .order_by(delivery_attempts.c.number)
            ).all()
        return [attempt_from_row(row) for row in rows]

    def pending_count(self) -> int:
        """How many deliveries are waiting to be sent, due or not."""
        return self._count(PENDING)

    def failed_count(self) -> int:
        """How many deliveries were given up on."""
        return self._count(FAILED)

    def _count(self, status: str) -> int:
        with store_errors("count deliveries"), self._engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(deliveries)
                    .where(deliveries.c.status == status)
                ).scalar_one()
            )

    def requeue_failed(self) -> int:
        """Queues every failed delivery again, due now, with a fresh count of attempts.

        The earlier attempts stay recorded (:meth:`attempts` numbers on from them).

        Returns:
            How many deliveries were queued again.
        """
        now = self._now()
        with store_errors("requeue failed deliveries"), self._writer.begin() as connection:
            result = connection.execute(
                update(deliveries)
                .where(deliveries.c.status == FAILED)
                .values(status=PENDING, next_attempt_at=now, attempts=0, **_RELEASED)
            )
            return int(result.rowcount)
