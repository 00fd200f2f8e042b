"""Turns the lead form's slots into the :class:`LeadSubmission` sales receive."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.leads.fields import (
    CONSENT_TEXT_SLOT,
    CONSENT_TIME_SLOT,
    LEAD_KIND_SLOT,
    REQUEST_ID_SLOT,
    START_DATE_SLOT,
    asked_fields,
)
from bot.leads.model import LeadKind, LeadSubmission, TranscriptTurn


class IncompleteLeadError(ValueError):
    """The slots lack a field the lead needs; ``missing`` names them."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__(f"the lead lacks: {', '.join(missing)}")
        self.missing = tuple(missing)


def request_key(conversation_id: str, request_id: str) -> str:
    """The idempotency key of one run of the lead form in one conversation."""
    digest = hashlib.sha256(f"{conversation_id}\n{request_id}".encode()).hexdigest()
    return f"lead-request-{digest[:32]}"


def missing_fields(slots: Mapping[str, Any]) -> list[str]:
    """The fields asked for this kind of request without a usable value
    (consent must be exactly True)."""
    asked = asked_fields(slots.get(LEAD_KIND_SLOT))
    missing = [slot for slot in asked if slots.get(slot) in (None, "", [])]
    consent_given = slots.get("consent") is True and bool(slots.get(CONSENT_TIME_SLOT))
    if not consent_given and "consent" not in missing:
        missing.append("consent")
    if not slots.get(REQUEST_ID_SLOT):
        missing.append(REQUEST_ID_SLOT)
    return missing


def _texts(value: Any) -> tuple[str, ...]:
    if value in (None, "", [], ()):
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return (str(value),)


def _optional(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def build_submission(
    slots: Mapping[str, Any],
    *,
    conversation_id: str,
    transcript: tuple[TranscriptTurn, ...] = (),
    page_url: str | None = None,
) -> LeadSubmission:
    """The confirmed lead from the slots.

    Raises:
        IncompleteLeadError: when a required field, the consent or the form run id
            is missing.
    """
    missing = missing_fields(slots)
    if missing:
        raise IncompleteLeadError(missing)
    start_date = slots.get(START_DATE_SLOT)
    return LeadSubmission(
        conversation_id=conversation_id,
        request_key=request_key(conversation_id, str(slots[REQUEST_ID_SLOT])),
        roles=_texts(slots.get("roles")),
        team_size=int(slots["team_size"]) if slots.get("team_size") is not None else None,
        seniority=_texts(slots.get("seniority")),
        tech_stack=_texts(slots.get("tech_stack")),
        engagement_model=_optional(slots.get("engagement_model")),
        start_text=_optional(slots.get("start")),
        start_date=date.fromisoformat(str(start_date)) if start_date else None,
        duration=_optional(slots.get("duration")),
        budget=_optional(slots.get("budget")),
        name=str(slots["name"]),
        email=_optional(slots.get("email")),
        company=_optional(slots.get("company")),
        phone=_optional(slots.get("phone")),
        consent_text=str(slots.get(CONSENT_TEXT_SLOT) or ""),
        consent_given_at=datetime.fromisoformat(str(slots[CONSENT_TIME_SLOT])),
        page_url=page_url,
        transcript=transcript,
        kind=LeadKind(slots.get(LEAD_KIND_SLOT) or LeadKind.TEAM),
    )
