"""The review file: what ``bot review`` writes and a maintainer edits.

Each group of near-duplicate messages carries the bot's suggested intent and
a ``decision``: ``pending`` until the maintainer sets ``accept`` (the text and
its variants become examples of ``intent``, which they may change) or
``drop``. ``bot review apply`` reads it back with :func:`parse_review`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from bot.training.review.grouping import Group

PENDING, ACCEPT, DROP = "pending", "accept", "drop"
DECISIONS = (PENDING, ACCEPT, DROP)
FORMAT_VERSION = 1
MAX_CONVERSATIONS = 5

HEADER = """\
# Visitor messages the bot was unsure of, grouped; written by `bot review`.
# For each group set `decision:` to
#   accept - add `text` and every line of `variants` as examples of `intent`
#            (change `intent` when the suggestion is wrong; delete variants
#            you do not want)
#   drop   - not worth training on
# then run `bot review apply <this file>`. Pending groups are left alone, and
# applying the same file twice adds nothing the second time.
# `conversations` lists where the messages come from: `bot review stories ID`
# turns a conversation into a test story.
"""


class ReviewFileError(ValueError):
    """The review file cannot be applied: its structure or a decision is wrong."""


@dataclass(frozen=True)
class Decision:
    """A maintainer's verdict on one group."""

    group: int
    decision: str
    intent: str | None
    examples: tuple[str, ...]


def render_review(groups: list[Group], since: date, until: date, threshold: float) -> str:
    """The review file for ``groups`` of messages sent from ``since`` up to ``until``."""
    entries = []
    for number, group in enumerate(groups, start=1):
        suggestion = group.suggestion()
        entries.append(
            {
                "group": number,
                "text": group.text,
                "variants": group.variants,
                "count": len(group.members),
                "reason": group.reason,
                "suggested_intent": suggestion.intent if suggestion else None,
                "confidence": suggestion.confidence if suggestion else None,
                "intent": suggestion.intent if suggestion else None,
                "decision": PENDING,
                "conversations": group.conversations[:MAX_CONVERSATIONS],
            }
        )
    document = {
        "version": FORMAT_VERSION,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "confidence_threshold": threshold,
        "groups": entries,
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def _decision(entry: Any) -> Decision:
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
        raise ReviewFileError(f"a group needs a text: {entry!r}")
    number = entry.get("group", "?")
    decision = entry.get("decision", PENDING)
    if decision not in DECISIONS:
        raise ReviewFileError(f"group {number}: decision must be one of {DECISIONS}")
    intent = entry.get("intent")
    if decision == ACCEPT and not (isinstance(intent, str) and intent.strip()):
        raise ReviewFileError(f"group {number}: accepted without an intent")
    variants = entry.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(text, str) for text in variants):
        raise ReviewFileError(f"group {number}: variants must be a list of texts")
    examples = tuple(" ".join(text.split()) for text in [entry["text"], *variants])
    return Decision(number, decision, intent.strip() if intent else None, examples)


def parse_review(content: str) -> list[Decision]:
    """The decisions of a review file.

    Raises:
        ReviewFileError: for a file that is not a review file or has a wrong entry.
    """
    try:
        document = yaml.safe_load(content)
    except yaml.YAMLError as error:
        raise ReviewFileError(f"not valid YAML: {error}") from error
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise ReviewFileError(f"not a review file (version {FORMAT_VERSION})")
    return [_decision(entry) for entry in document.get("groups") or []]
