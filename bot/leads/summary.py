"""The summary a visitor confirms before the lead goes to sales, and the
details it offers to add.

Values are the visitor's own words and are shown as text: every character
that the chat widget's markdown would act on is escaped, so a name like
``[click](javascript:...)`` or ``<b>`` shows as typed and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.leads.fields import CONSENT_FIELD, FIELDS, LEAD_KIND_SLOT, START_DATE_SLOT, asked_fields
from bot.leads.model import LeadKind
from bot.leads.vocabulary import ENGAGEMENT_MODELS

NOT_GIVEN = "not given"
# The details the summary offers to add, in the order they help sales most.
OFFERED_DETAILS = (
    ("seniority", "seniority"),
    ("tech_stack", "tech stack"),
    ("start", "start date"),
    ("company", "company"),
    ("budget", "budget"),
)
MOST_OFFERED = 4
# A developer's profile reads in their terms: what they do, their own email.
CANDIDATE_LABELS = {"roles": "Your work", "email": "Email"}
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    """``text`` on one line with the widget's markdown characters escaped."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def display_value(slot: str, value: Any, slots: Mapping[str, Any]) -> str:
    """How one field's value reads in the summary (not yet escaped)."""
    if value is None or value == [] or value == "":
        return NOT_GIVEN
    if slot == "engagement_model":
        return ENGAGEMENT_MODELS.get(str(value), str(value))
    if slot == "consent":
        return "yes" if value is True else "no"
    if slot == "start" and slots.get(START_DATE_SLOT):
        on = date.fromisoformat(str(slots[START_DATE_SLOT]))
        return f"{value} (from {on:%-d %b %Y})"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def render_summary(slots: Mapping[str, Any]) -> str:
    """One markdown line per field asked (for this kind of request) or given:
    ``- **Label:** value``."""
    asked = asked_fields(slots.get(LEAD_KIND_SLOT))
    labels = CANDIDATE_LABELS if slots.get(LEAD_KIND_SLOT) == LeadKind.CANDIDATE else {}
    lines = []
    for field in FIELDS:
        value = slots.get(field.slot)
        if field.slot == CONSENT_FIELD or (field.slot not in asked and value in (None, "", [])):
            continue
        shown = escape_markdown(display_value(field.slot, value, slots))
        label = labels.get(field.slot, field.label)
        lines.append(f"- **{label}:** {shown}")
    return "\n".join(lines)


def details_to_offer(slots: Mapping[str, Any], most: int = MOST_OFFERED) -> str | None:
    """The details the visitor has not given that most help sales prepare, in
    words ("seniority, tech stack or start date"); None when all are given."""
    missing = [words for slot, words in OFFERED_DETAILS if slots.get(slot) in (None, "", [])]
    if not missing:
        return None
    named = missing[:most]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
