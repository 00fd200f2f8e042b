"""How the lead form reads a developer's messages when it takes their profile
(``lead_kind`` "candidate"): their work in their words, a name and an email.

"I'm a Java developer looking for work" answers the form rather than
leaving it; a message naming roles or technologies at the name question is
more of their profile, not their name; and only a profile's fields are
kept (no team size from "5 years", no company from "Selenium").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.leads.extraction import Message

JOB_SEEKER = "job_seeker"
# What a candidate's profile holds.
PROFILE_FIELDS = ("roles", "seniority", "tech_stack", "name", "email", "phone")
_PROFILE_ENTITIES = ("role", "tech_stack", "seniority")


def as_profile_answer(message: Message) -> Message:
    """The message with a job seeker's intent read as an answer."""
    return replace(message, intent="inform") if message.intent == JOB_SEEKER else message


def field_answered(message: Message, requested: str | None) -> str | None:
    """The field a candidate's message answers: none (their profile, read for
    every field) when it names roles, technologies or seniority."""
    if any(message.values(entity) for entity in _PROFILE_ENTITIES):
        return None
    return requested


def profile_only(found: dict[str, Any]) -> dict[str, Any]:
    """The candidates for a profile's fields, without the others."""
    return {slot: value for slot, value in found.items() if slot in PROFILE_FIELDS}
