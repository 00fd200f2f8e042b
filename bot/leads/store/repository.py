"""The lead repository: stores submissions idempotently and serves the sales team's views."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from bot.leads.model import (
    SALES_KINDS,
    LeadKind,
    LeadStatus,
    LeadSubmission,
    StoredLead,
    SubmitOutcome,
)
from bot.leads.store.engine import for_writing
from bot.leads.store.errors import LeadNotFound, LeadStoreError, store_errors
from bot.leads.store.outbox import enqueue
from bot.leads.store.records import (
    Delivery,
    aware,
    delivery_from_row,
    email_key,
    lead_from_row,
    same_content,
    storable,
    storable_submission,
    submission_values,
    utc_now,
)
from bot.leads.store.tables import deliveries, lead_request_keys, leads

DEFAULT_UPDATE_WINDOW = timedelta(minutes=30)
# A submit that loses a race (another transaction stored the same request key
# or revised the same lead first) runs again and finds what the winner wrote.
SUBMIT_ATTEMPTS = 3


class _LostRaceError(LeadStoreError):
    """Another transaction revised the lead between reading and writing it."""


class LeadRepository:
    """The stored leads (synchronous: async callers run the methods in a thread).

    Args:
        engine: the migrated lead store's engine.
        channels: the delivery channels to sales; every stored change of a
            lead enqueues one delivery per channel (a candidate's profile is
            no sales lead: it waits in the inbox for the recruiters).
        update_window: how long after its last change a lead absorbs a new
            submission of the same conversation and kind instead of a new lead; a new
            lead with the email of a lead changed as recently is linked to it
            as a possible duplicate.
        clock: the current time, timezone-aware UTC.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        channels: Sequence[str] = (),
        update_window: timedelta = DEFAULT_UPDATE_WINDOW,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._engine = engine
        self._writer = for_writing(engine)
        self._channels = tuple(dict.fromkeys(channels))
        self._update_window = update_window
        self._clock = clock

    def _now(self) -> datetime:
        return aware(self._clock(), "the clock's time")

    def submit(self, submission: LeadSubmission) -> SubmitOutcome:
        """Stores a submission, and its deliveries, in one transaction.

        The lead already holding ``submission.request_key`` is revised (or left
        unchanged when its content is the same); else the lead of the same
        conversation changed within the update window is; else a new lead is
        created. Another conversation never changes a lead: a new lead with the
        email of a lead changed within the window is linked to it (or to the
        lead that one duplicates) as ``possible_duplicate_of``. Text is stored
        verbatim except NUL characters and lone surrogates, which no database
        holds.

        Raises:
            LeadStoreError: the database failed; nothing was stored.
        """
        submission = storable_submission(submission)
        with store_errors("store the lead"):
            for _ in range(SUBMIT_ATTEMPTS - 1):
                try:
                    return self._submit_once(submission)
                except (IntegrityError, _LostRaceError):
                    continue
            return self._submit_once(submission)

    def _submit_once(self, submission: LeadSubmission) -> SubmitOutcome:
        now = self._now()
        with self._writer.begin() as connection:
            lead = self._holding_key(connection, submission.request_key)
            if lead is not None:
                return self._revise(connection, lead, submission, now)
            lead = self._recent_lead_of_conversation(connection, submission, now)
            if lead is None:
                return self._create(connection, submission, now)
            self._add_request_key(connection, submission.request_key, lead.id, now)
            return self._revise(connection, lead, submission, now)

    @staticmethod
    def _holding_key(connection: Connection, request_key: str) -> StoredLead | None:
        row = connection.execute(
            select(leads)
            .join(lead_request_keys, lead_request_keys.c.lead_id == leads.c.id)
            .where(lead_request_keys.c.request_key == request_key)
        ).one_or_none()
        return lead_from_row(row) if row is not None else None

    def _recent_lead_of_conversation(
        self, connection: Connection, submission: LeadSubmission, now: datetime
    ) -> StoredLead | None:
        row = connection.execute(
            select(leads)
            .where(
                leads.c.conversation_id == submission.conversation_id,
                # a call back after a team request is a request of its own
                leads.c.kind == LeadKind(submission.kind).value,
                leads.c.updated_at >= now - self._update_window,
            )
            .order_by(leads.c.updated_at.desc(), leads.c.id.desc())
            .limit(1)
        ).one_or_none()
        return lead_from_row(row) if row is not None else None

    def _duplicated_lead(
        self, connection: Connection, submission: LeadSubmission, now: datetime
    ) -> int | None:
        """The lead a new one of another conversation may duplicate: the latest
        with its email changed within the window, or the lead that one duplicates.
        A request without an email (a call back) duplicates none."""
        if not email_key(submission.email):
            return None
        row = connection.execute(
            select(leads.c.id, leads.c.possible_duplicate_of)
            .where(
                leads.c.email_key == email_key(submission.email),
                leads.c.conversation_id != submission.conversation_id,
                leads.c.updated_at >= now - self._update_window,
            )
            .order_by(leads.c.updated_at.desc(), leads.c.id.desc())
            .limit(1)
        ).one_or_none()
        if row is None:
            return None
        return int(row.possible_duplicate_of or row.id)

    @staticmethod
    def _add_request_key(
        connection: Connection, request_key: str, lead_id: int, now: datetime
    ) -> None:
        connection.execute(
            insert(lead_request_keys).values(
                request_key=request_key, lead_id=lead_id, created_at=now
            )
        )

    def _create(
        self, connection: Connection, submission: LeadSubmission, now: datetime
    ) -> SubmitOutcome:
        duplicate_of = self._duplicated_lead(connection, submission, now)
        result = connection.execute(
            insert(leads).values(
                **submission_values(submission),
                status=LeadStatus.NEW.value,
                notes="",
                version=1,
                created_at=now,
                updated_at=now,
                possible_duplicate_of=duplicate_of,
            )
        )
        lead_id = int(result.inserted_primary_key[0])
        self._add_request_key(connection, submission.request_key, lead_id, now)
        lead = StoredLead(lead_id, submission, LeadStatus.NEW, "", 1, now, now, duplicate_of)
        delivery_ids = self._enqueue(connection, lead, "lead.created", now)
        return SubmitOutcome(lead_id, "created", 1, delivery_ids)

    def _revise(
        self, connection: Connection, lead: StoredLead, submission: LeadSubmission, now: datetime
    ) -> SubmitOutcome:
        if same_content(lead.submission, submission):
            return SubmitOutcome(lead.id, "unchanged", lead.version)
        version = lead.version + 1
        result = connection.execute(
            update(leads)
            .where(leads.c.id == lead.id, leads.c.version == lead.version)
            .values(**submission_values(submission), version=version, updated_at=now)
        )
        if result.rowcount != 1:
            raise _LostRaceError(f"lead {lead.id} changed while it was being revised")
        revised = replace(lead, submission=submission, version=version, updated_at=now)
        delivery_ids = self._enqueue(connection, revised, "lead.updated", now)
        return SubmitOutcome(lead.id, "updated", version, delivery_ids)

    def _enqueue(
        self, connection: Connection, lead: StoredLead, event: str, now: datetime
    ) -> tuple[int, ...]:
        if lead.submission.kind not in SALES_KINDS:
            return ()
        return enqueue(connection, lead, event=event, channels=self._channels, now=now)

    def get(self, lead_id: int) -> StoredLead:
        """The lead with id ``lead_id``.

        Raises:
            LeadNotFound: no lead has that id.
            LeadStoreError: the database failed.
        """
        with store_errors("read the lead"), self._engine.connect() as connection:
            row = connection.execute(select(leads).where(leads.c.id == lead_id)).one_or_none()
        if row is None:
            raise LeadNotFound(lead_id)
        return lead_from_row(row)

    def list(
        self,
        *,
        status: LeadStatus | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        kinds: Collection[LeadKind] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[StoredLead]:
        """Leads newest first, filtered by status, creation time and kind.

        Args:
            status: only leads with this status.
            created_from: only leads created at or after this time.
            created_to: only leads created before this time.
            kinds: only leads of these kinds (None: every kind).
            limit: at most this many leads.
            offset: skip this many of the matching leads first.

        Raises:
            ValueError: a negative limit or offset, or a naive datetime.
            LeadStoreError: the database failed.
        """
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must not be negative, got {limit} and {offset}")
        query = (
            select(leads)
            .where(*_filters(status, created_from, created_to, kinds))
            .order_by(leads.c.created_at.desc(), leads.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with store_errors("list leads"), self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [lead_from_row(row) for row in rows]

    def count(
        self,
        *,
        status: LeadStatus | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        kinds: Collection[LeadKind] | None = None,
    ) -> int:
        """How many leads :meth:`list` would return without a limit."""
        query: Select = (
            select(func.count())
            .select_from(leads)
            .where(*_filters(status, created_from, created_to, kinds))
        )
        with store_errors("count leads"), self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def creation_times(
        self, *, created_from: datetime | None = None, created_to: datetime | None = None
    ) -> builtins.list[datetime]:
        """When each lead created in the period was created, oldest first (for counts per day).

        Raises:
            ValueError: a naive datetime.
            LeadStoreError: the database failed.
        """
        query = (
            select(leads.c.created_at)
            .where(*_filters(None, created_from, created_to, None))
            .order_by(leads.c.created_at)
        )
        with store_errors("read when leads were created"), self._engine.connect() as connection:
            return builtins.list(connection.execute(query).scalars())

    def update(
        self, lead_id: int, *, status: LeadStatus | None = None, notes: str | None = None
    ) -> StoredLead:
        """Sets the sales team's status and notes of a lead (None keeps the value).

        Bumps ``updated_at``; the lead's version and deliveries stay as they are.

        Raises:
            LeadNotFound: no lead has that id.
            LeadStoreError: the database failed.
        """
        changes: dict[str, Any] = {"updated_at": self._now()}
        if status is not None:
            changes["status"] = LeadStatus(status).value
        if notes is not None:
            changes["notes"] = storable(notes)
        with store_errors("update the lead"), self._writer.begin() as connection:
            result = connection.execute(
                update(leads).where(leads.c.id == lead_id).values(**changes)
            )
            if result.rowcount != 1:
                raise LeadNotFound(lead_id)
            row = connection.execute(select(leads).where(leads.c.id == lead_id)).one()
        return lead_from_row(row)

    def deliveries(self, lead_id: int) -> builtins.list[Delivery]:
        """The deliveries of a lead, oldest first (none for an unknown id)."""
        with store_errors("read the deliveries"), self._engine.connect() as connection:
            rows = connection.execute(
                select(deliveries).where(deliveries.c.lead_id == lead_id).order_by(deliveries.c.id)
            ).all()
        return [delivery_from_row(row) for row in rows]


def _filters(
    status: LeadStatus | None,
    created_from: datetime | None,
    created_to: datetime | None,
    kinds: Collection[LeadKind] | None,
) -> builtins.list[ColumnElement]:
    conditions = []
    if kinds is not None:
        conditions.append(leads.c.kind.in_([LeadKind(kind).value for kind in kinds]))
    if status is not None:
        conditions.append(leads.c.status == LeadStatus(status).value)
    if created_from is not None:
        conditions.append(leads.c.created_at >= aware(created_from, "created_from"))
    if created_to is not None:
        conditions.append(leads.c.created_at < aware(created_to, "created_to"))
    return conditions
