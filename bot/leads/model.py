"""The lead as the rest of the project sees it: plain, immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Literal


class LeadKind(str, Enum):
    """What the visitor asked for: a team (the lead form), a call back from
    sales, or, from a developer looking for work, a candidate profile (kept
    apart from the sales leads)."""

    TEAM = "team"
    CALLBACK = "callback"
    CANDIDATE = "candidate"


SALES_KINDS = (LeadKind.TEAM, LeadKind.CALLBACK)


class LeadStatus(str, Enum):
    """Where sales are with a lead."""

    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    CLOSED = "closed"


@dataclass(frozen=True)
class TranscriptTurn:
    """One message of the conversation that produced the lead."""

    speaker: Literal["visitor", "bot"]
    text: str
    at: datetime


@dataclass(frozen=True)
class LeadSubmission:
    """A validated lead as the visitor confirmed it: the team they need and
    how to reach them, plus whatever details they chose to add.

    A call back needs only a name and a phone number (its team details are
    whatever the visitor gave); a candidate gives what they do and their
    name and email. ``team_size`` and ``email`` are None when not given.

    ``request_key`` identifies one run of the lead form in one conversation:
    submitting the same key again never creates a second lead.
    """

    conversation_id: str
    request_key: str
    roles: tuple[str, ...]
    team_size: int | None
    name: str
    email: str | None
    consent_text: str
    consent_given_at: datetime
    # What the visitor chose to add beyond the team and the contact.
    seniority: tuple[str, ...] = ()
    tech_stack: tuple[str, ...] = ()
    engagement_model: str | None = None
    start_text: str | None = None
    company: str | None = None
    start_date: date | None = None
    duration: str | None = None
    budget: str | None = None
    phone: str | None = None
    page_url: str | None = None
    transcript: tuple[TranscriptTurn, ...] = ()
    kind: LeadKind = LeadKind.TEAM


@dataclass(frozen=True)
class StoredLead:
    """A lead as the store holds it: the submission plus the sales team's state.

    ``possible_duplicate_of`` is the id of an earlier lead with the same email
    from another conversation, stored shortly before this one: sales decide
    whether it is the same request.
    """

    id: int
    submission: LeadSubmission
    status: LeadStatus
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime
    possible_duplicate_of: int | None = None


@dataclass(frozen=True)
class SubmitOutcome:
    """What :meth:`LeadRepository.submit` did with a submission."""

    lead_id: int
    action: Literal["created", "updated", "unchanged"]
    version: int = 1
    delivery_ids: tuple[int, ...] = field(default=())
