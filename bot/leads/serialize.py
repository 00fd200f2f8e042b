"""The lead as JSON-ready data: the webhook payload, the email body and the sales API."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timezone
from typing import Any

from bot.leads.model import LeadKind, LeadSubmission, StoredLead, TranscriptTurn

_LIST_FIELDS = ("roles", "seniority", "tech_stack")


def iso_time(value: datetime) -> str:
    """An ISO-8601 timestamp in UTC (``2024-05-02T10:00:00+00:00``); naive means UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def _iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def turn_to_dict(turn: TranscriptTurn) -> dict[str, str]:
    """One transcript message as ``{speaker, text, at}``."""
    return {"speaker": turn.speaker, "text": turn.text, "at": iso_time(turn.at)}


def turn_from_dict(data: dict[str, str]) -> TranscriptTurn:
    """The transcript message :func:`turn_to_dict` wrote (a naive time is UTC)."""
    when = datetime.fromisoformat(data["at"])
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return TranscriptTurn(
        speaker="bot" if data["speaker"] == "bot" else "visitor", text=data["text"], at=when
    )


def submission_to_dict(submission: LeadSubmission) -> dict[str, Any]:
    """Every field of the submission as JSON-ready data, read back by
    :func:`submission_from_dict`."""
    data = {field.name: getattr(submission, field.name) for field in fields(submission)}
    for name in _LIST_FIELDS:
        data[name] = list(data[name])
    data["start_date"] = _iso_date(submission.start_date)
    data["consent_given_at"] = iso_time(submission.consent_given_at)
    data["transcript"] = [turn_to_dict(turn) for turn in submission.transcript]
    data["kind"] = LeadKind(submission.kind).value
    return data


def submission_from_dict(data: dict[str, Any]) -> LeadSubmission:
    """The submission :func:`submission_to_dict` wrote.

    Raises:
        KeyError, TypeError, ValueError: ``data`` is not such a submission.
    """
    values = dict(data)
    for name in _LIST_FIELDS:
        values[name] = tuple(values[name])
    start_date = values.get("start_date")
    values["start_date"] = date.fromisoformat(start_date) if start_date else None
    values["consent_given_at"] = datetime.fromisoformat(values["consent_given_at"])
    values["transcript"] = tuple(turn_from_dict(turn) for turn in values.get("transcript", ()))
    values["kind"] = LeadKind(values.get("kind") or LeadKind.TEAM)  # kept before kinds existed
    return LeadSubmission(**values)


def lead_to_dict(lead: StoredLead, *, include_transcript: bool = True) -> dict[str, Any]:
    """The lead as JSON-ready data: ISO-8601 strings for times and dates, lists for tuples.

    Args:
        lead: the stored lead.
        include_transcript: add the conversation as ``transcript`` (a list of
            ``{speaker, text, at}``); without it the key is absent.
    """
    submission = lead.submission
    data: dict[str, Any] = {
        "id": lead.id,
        "status": lead.status.value,
        "notes": lead.notes,
        "version": lead.version,
        "created_at": iso_time(lead.created_at),
        "updated_at": iso_time(lead.updated_at),
        "conversation_id": submission.conversation_id,
        "kind": LeadKind(submission.kind).value,
        "roles": list(submission.roles),
        "team_size": submission.team_size,
        "seniority": list(submission.seniority),
        "tech_stack": list(submission.tech_stack),
        "engagement_model": submission.engagement_model,
        "start_text": submission.start_text,
        "start_date": _iso_date(submission.start_date),
        "duration": submission.duration,
        "budget": submission.budget,
        "name": submission.name,
        "email": submission.email,
        "company": submission.company,
        "phone": submission.phone,
        "consent": {
            "text": submission.consent_text,
            "given_at": iso_time(submission.consent_given_at),
        },
        "page_url": submission.page_url,
        "possible_duplicate_of": lead.possible_duplicate_of,
    }
    if include_transcript:
        data["transcript"] = [turn_to_dict(turn) for turn in submission.transcript]
    return data
