"""Rows of the lead store as the project's immutable data, and back."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.engine import Row

from bot.leads.model import LeadKind, LeadStatus, LeadSubmission, StoredLead, TranscriptTurn
from bot.leads.serialize import turn_from_dict, turn_to_dict

# Blanks the parts of a submission that change with every run of the form
# without changing the lead itself.
_NOT_CONTENT: dict[str, Any] = {
    "request_key": "",
    "transcript": (),
    "consent_given_at": datetime(1970, 1, 1, tzinfo=timezone.utc),
}


@dataclass(frozen=True)
class Delivery:
    """One lead event to send through one channel (a row of the outbox)."""

    id: int
    lead_id: int
    channel: str
    event: str
    idempotency_key: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None


@dataclass(frozen=True)
class DeliveryAttempt:
    """One try at sending a delivery, and what came of it."""

    delivery_id: int
    number: int
    at: datetime
    ok: bool
    detail: str


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def aware(value: datetime, name: str) -> datetime:
    """``value`` if it is timezone-aware.

    Raises:
        ValueError: ``value`` is naive, so its instant is unknown.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value


def storable(text: str) -> str:
    """``text`` without what no database can hold: NUL characters and lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _storable_value(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, tuple):
        return tuple(_storable_value(item) for item in value)
    if isinstance(value, TranscriptTurn):
        return replace(value, text=storable(value.text))
    return value


def storable_submission(submission: LeadSubmission) -> LeadSubmission:
    """The submission with every text made :func:`storable`; everything else as is."""
    changes = {
        field.name: _storable_value(getattr(submission, field.name)) for field in fields(submission)
    }
    return replace(submission, **changes)


def same_content(stored: LeadSubmission, submitted: LeadSubmission) -> bool:
    """Whether two submissions describe the same lead (transcript and times aside)."""
    return replace(stored, **_NOT_CONTENT) == replace(submitted, **_NOT_CONTENT)


# Details a visitor may leave out, in columns created NOT NULL before they
# were optional: "" (0 for the team size) there means not given (a column can
# only be relaxed on SQLite by copying its table, which would cascade to the
# deliveries).
NOT_NULL_OPTIONAL_TEXTS = ("engagement_model", "start_text", "company", "email")
NOT_GIVEN_TEAM_SIZE = 0


def submission_values(submission: LeadSubmission) -> dict[str, Any]:
    """The ``leads`` columns that hold ``submission``."""
    values = {
        field.name: getattr(submission, field.name)
        for field in fields(submission)
        if field.name != "transcript"
    }
    for name in ("roles", "seniority", "tech_stack"):
        values[name] = list(values[name])
    for name in NOT_NULL_OPTIONAL_TEXTS:
        values[name] = values[name] or ""
    if values["team_size"] is None:
        values["team_size"] = NOT_GIVEN_TEAM_SIZE
    values["kind"] = LeadKind(submission.kind).value
    values["email_key"] = email_key(submission.email)
    values["transcript"] = [turn_to_dict(turn) for turn in submission.transcript]
    return values


def email_key(email: str | None) -> str:
    """The email as the case-insensitive match of a resubmission compares it
    ("" for none: a call back may come with a phone number only)."""
    return (email or "").strip().lower()


def lead_from_row(row: Row) -> StoredLead:
    """The lead held by a ``leads`` row."""
    submission = LeadSubmission(
        conversation_id=row.conversation_id,
        request_key=row.request_key,
        roles=tuple(row.roles),
        team_size=row.team_size or None,
        seniority=tuple(row.seniority),
        tech_stack=tuple(row.tech_stack),
        engagement_model=row.engagement_model or None,
        start_text=row.start_text or None,
        name=row.name,
        email=row.email or None,
        company=row.company or None,
        consent_text=row.consent_text,
        consent_given_at=row.consent_given_at,
        start_date=row.start_date,
        duration=row.duration,
        budget=row.budget,
        phone=row.phone,
        page_url=row.page_url,
        transcript=tuple(turn_from_dict(turn) for turn in row.transcript),
        kind=LeadKind(row.kind),
    )
    return StoredLead(
        id=row.id,
        submission=submission,
        status=LeadStatus(row.status),
        notes=row.notes,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        possible_duplicate_of=row.possible_duplicate_of,
    )


def delivery_from_row(row: Row) -> Delivery:
    """The delivery held by a ``deliveries`` row."""
    return Delivery(
        id=row.id,
        lead_id=row.lead_id,
        channel=row.channel,
        event=row.event,
        idempotency_key=row.idempotency_key,
        payload=row.payload,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
    )


def attempt_from_row(row: Row) -> DeliveryAttempt:
    """The attempt held by a ``delivery_attempts`` row."""
    return DeliveryAttempt(
        delivery_id=row.delivery_id,
        number=row.number,
        at=row.at,
        ok=bool(row.ok),
        detail=row.detail,
    )
