"""Checks of one lead field's candidate value: the clean value, or why not.

A candidate is what extraction found: a value read from a message in passing
(``3``, ``["React"]``) or the raw text of an answer to the bot's question.
Each check accepts both, so checking a clean value again returns it unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.leads.parsing.contact import company_name, email_address, person_name, phone_number
from bot.leads.parsing.hedges import is_hedge
from bot.leads.parsing.result import Invalid
from bot.leads.parsing.team import answered_team_size, free_list, team_size_limits
from bot.leads.parsing.timing import MAX_TEXT_LENGTH, Start, answered_start
from bot.leads.vocabulary import (
    ENGAGEMENT_MODELS,
    MIXED_SENIORITY,
    SENIORITY_LEVELS,
    canonical_engagement_model,
)

# Every reason each field's check can give; each names the response
# utter_<field>_invalid_<reason> of domain.yml (a test keeps both in step).
REASONS: dict[str, tuple[str, ...]] = {
    "roles": ("empty", "too_many", "too_long", "unsure"),
    "team_size": ("too_small", "too_large", "not_whole", "vague", "not_a_number"),
    "seniority": ("unknown",),
    "tech_stack": ("empty", "too_many", "too_long", "unsure"),
    "engagement_model": ("unknown",),
    "start": ("empty", "too_long", "in_the_past"),
    "duration": ("empty", "too_long"),
    "budget": ("empty", "too_long"),
    "name": ("empty", "too_long", "not_a_name", "asked_why", "declined", "paused"),
    "company": ("empty", "too_long", "not_a_company", "asked_why", "declined", "paused"),
    "email": ("no_domain", "malformed", "missing"),
    "phone": ("needs_country_code", "invalid", "missing"),
}


def check_team_size(candidate: Any) -> int | Invalid:
    """A whole number of people from 1 to 200."""
    if isinstance(candidate, bool):
        return Invalid("not_a_number")
    if isinstance(candidate, int | float):
        return team_size_limits(candidate)
    return answered_team_size(str(candidate))


def check_list(candidate: Any) -> list[str] | Invalid:
    """Roles or technologies: a non-empty list of short items, not a hedge ("not sure")."""
    if isinstance(candidate, list | tuple):
        candidate = ", ".join(str(item) for item in candidate)
    if is_hedge(str(candidate)):
        return Invalid("unsure")
    items = free_list(str(candidate))
    return items if isinstance(items, Invalid) else list(items)


def check_seniority(candidate: Any) -> list[str] | Invalid:
    """Levels among junior, middle, senior and lead, or ``["mixed"]``."""
    values = candidate if isinstance(candidate, list | tuple) else [candidate]
    allowed = (*SENIORITY_LEVELS, MIXED_SENIORITY)
    levels = [str(value) for value in values if str(value) in allowed]
    if not levels or len(levels) != len(values):
        return Invalid("unknown")
    return [level for level in allowed if level in levels]


def check_engagement_model(candidate: Any) -> str | Invalid:
    """One of outstaffing, outsourcing, offshore_team or not_sure."""
    text = str(candidate)
    model = text if text in ENGAGEMENT_MODELS else canonical_engagement_model(text)
    return model if model is not None else Invalid("unknown")


def check_start(candidate: Any, today: date) -> Start | Invalid:
    """The visitor's words for the start, with a date when one can be read."""
    return answered_start(str(candidate), today)


def check_free_text(candidate: Any) -> str | Invalid:
    """Duration or budget in the visitor's words, up to 200 characters."""
    text = " ".join(str(candidate).split())
    if not text:
        return Invalid("empty")
    return Invalid("too_long") if len(text) > MAX_TEXT_LENGTH else text


def check_name(candidate: Any, *, insisted: bool = False) -> str | Invalid:
    """A person's name, verbatim without its lead-in ("my name is"), 1-100
    characters with at least one letter, and not a sentence about something else,
    a refusal ("declined"), a filler ("paused") or another answer ("next week").
    ``insisted``: given again right after it was refused, a few words that
    read as a refusal ("Skip") are the name all the same."""
    return person_name(str(candidate), insisted=insisted)


def check_company(candidate: Any, *, insisted: bool = False) -> str | Invalid:
    """A company name, verbatim without its lead-in, 1-150 characters with at least
    one letter, and not an aside ("I just told you"), a refusal or a filler
    (``insisted`` as for :func:`check_name`)."""
    return company_name(str(candidate), insisted=insisted)


def check_email(candidate: Any) -> str | Invalid:
    """A syntactically valid email address (no network look-up)."""
    found = email_address(str(candidate))
    return Invalid("missing") if found is None else found


def check_phone(candidate: Any, default_region: str | None = None) -> str | Invalid:
    """A valid phone number in international format."""
    found = phone_number(str(candidate), default_region)
    return Invalid("missing") if found is None else found
