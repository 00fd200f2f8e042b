"""Cues in a message that tell an answer from a question or a correction."""

from __future__ import annotations

import re

_QUESTION_START = re.compile(
    r"^\s*(?:wait|sorry|hang on|hold on|but|and|btw|by the way|quick question|um+|uh+)?[,.!\s]*"
    r"(?:what|what's|whats|who|whom|whose|why|how|when|where|which|is|are|am|can|could|do|does"
    r"|did|should|would|will|explain|tell me|define)\b",
    re.IGNORECASE,
)

# Words that name a lead field, most specific first ("number of developers"
# is the team size, "phone number" the phone).
_FIELD_WORDS: tuple[tuple[str, str], ...] = (
    ("team_size", r"team size|number of (?:people|devs|developers|engineers)|how many|headcount"),
    ("phone", r"phone|mobile|cell|telephone|number"),
    ("email", r"e-?mail|mail address"),
    ("company", r"company|organi[sz]ation|employer|business name"),
    ("name", r"\bname\b"),
    ("roles", r"\broles?\b|positions?"),
    ("seniority", r"seniority|level|junior|middle|senior|lead"),
    ("tech_stack", r"stack|technolog|tech\b|languages?|frameworks?"),
    ("engagement_model", r"model|engagement|outstaff|outsourc|offshor"),
    ("start", r"start|date|when"),
    ("duration", r"duration|how long|length"),
    ("budget", r"budget|price|rate|cost"),
    ("consent", r"consent|permission"),
)


def looks_like_question(text: str) -> bool:
    """True when the message reads as a question rather than an answer."""
    return text.strip().endswith("?") or bool(_QUESTION_START.match(text))


def mentioned_field(text: str) -> str | None:
    """The lead field a correction names: "change my email" -> ``"email"``."""
    lowered = text.lower()
    for field, pattern in _FIELD_WORDS:
        if re.search(pattern, lowered):
            return field
    return None
