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
    ("name", r"name"),
    ("roles", r"roles?|positions?"),
    ("seniority", r"seniority|level|juniors?|middles?|seniors?|leads?"),
    ("tech_stack", r"stack|technolog\w*|tech|languages?|frameworks?"),
    ("engagement_model", r"model|engagement|outstaff\w*|outsourc\w*|offshor\w*"),
    ("start", r"start\w*|date|when"),
    ("duration", r"duration|how long|length"),
    ("budget", r"budget|price|rate|cost"),
    ("consent", r"consent|permission"),
)
_SKIP = re.compile(
    r"^\W*(?:skip|none|no|nope|n/?a|nothing|no thanks|leave it(?: out| empty)?|remove it"
    r"|not needed|rather not|prefer not to say|no (?:budget|phone|duration))\W*$",
    re.IGNORECASE,
)


# Words that ask to stop the form outright, whatever else the message says.
_STOP_REQUEST = re.compile(
    r"\b(?:stop|cancel|quit|abort|exit|never\s?mind|nvm|forget (?:it|about it|everything)"
    r"|changed my mind|not interested|(?:don'?t|do not) want to (?:continue|go on|proceed)"
    r"|let'?s not|drop it|scrap (?:it|that))\b",
    re.IGNORECASE,
)
_TYPED_COMMAND = re.compile(r"\s*/([A-Za-z_][\w-]*)\s*")


def typed_command(text: str) -> str | None:
    """The name of a bare chat command or button payload ("/restart" -> "restart");
    None for words, or a payload with values ('/inform{"team_size": 3}')."""
    match = _TYPED_COMMAND.fullmatch(text)
    return match.group(1) if match else None


def looks_like_question(text: str) -> bool:
    """True when the message reads as a question rather than an answer."""
    return text.strip().endswith("?") or bool(_QUESTION_START.match(text))


def mentioned_field(text: str) -> str | None:
    """The lead field a correction names: "change my email" -> ``"email"``."""
    lowered = text.lower()
    if lowered.startswith("/"):
        return None  # a button payload, not words
    for field, pattern in _FIELD_WORDS:
        if re.search(rf"\b(?:{pattern})\b", lowered):
            return field
    return None


def is_skip(text: str) -> bool:
    """True for "skip", "none", "leave it out": no value for an optional field."""
    return bool(_SKIP.match(text))


def asks_to_stop(text: str) -> bool:
    """True for words that stop the form outright: "cancel", "never mind",
    "forget it", "let's not" ("not now" or "later" alone do not)."""
    return bool(_STOP_REQUEST.search(text.replace("\u2019", "'")))
