"""The summary a visitor confirms before the lead goes to sales.

Values are the visitor's own words and are shown as text: every character
that the chat widget's markdown would act on is escaped, so a name like
``[click](javascript:...)`` or ``<b>`` shows as typed and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.leads.fields import FIELDS, START_DATE_SLOT
from bot.leads.vocabulary import ENGAGEMENT_MODELS

NOT_GIVEN = "not given"
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
    """One markdown line per field: ``- **Label:** value``."""
    lines = []
    for field in FIELDS:
        value = display_value(field.slot, slots.get(field.slot), slots)
        lines.append(f"- **{field.label}:** {escape_markdown(value)}")
    return "\n".join(lines)
