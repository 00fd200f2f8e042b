"""Which visitor messages a maintainer should review, and why.

A message is picked when the bot was unsure of it: NLU or the dialogue policy
fell back (``fallback``), the knowledge search answered it because no intent
fitted (``knowledge``), or its intent's confidence was under a threshold
(``low_confidence``; for an FAQ, P(faq) x P(topic | faq), as both must be
right for the right answer). Messages typed while the lead form was open are answers
to its questions (names, emails, phone numbers): they are never picked, and
neither is any message that holds an email address or a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.conversations.events import StoredEvent
from bot.conversations.names import (
    DEFAULT_FALLBACK_ACTION,
    KNOWLEDGE_ACTION,
    KNOWLEDGE_QUESTION_SLOT,
    NLU_FALLBACK,
)

FALLBACK = "fallback"
KNOWLEDGE = "knowledge"
LOW_CONFIDENCE = "low_confidence"
REASONS = (FALLBACK, KNOWLEDGE, LOW_CONFIDENCE)

DEFAULT_CONFIDENCE_THRESHOLD = 0.6
_PERSONAL_DATA = re.compile(r"\S+@\S+\.\w+|(?:\d[\s().+-]*){7,}")


@dataclass(frozen=True)
class Suggestion:
    """The likeliest intent of a message (``faq/<topic>`` for FAQ) and its confidence."""

    intent: str
    confidence: float


@dataclass(frozen=True)
class Candidate:
    """One visitor message picked for review."""

    text: str
    sender_id: str
    timestamp: float
    reason: str
    suggestion: Suggestion | None


def _with_topic(parse_data: dict[str, Any], intent: str, confidence: float) -> Suggestion:
    """``faq`` becomes ``faq/<topic>``, with P(faq) x P(topic | faq) as its confidence."""
    topic = (parse_data.get("response_selector") or {}).get(intent, {}).get("response", {})
    if topic.get("intent_response_key"):
        topic_confidence = float(topic.get("confidence") or 0.0)
        return Suggestion(str(topic["intent_response_key"]), confidence * topic_confidence)
    return Suggestion(intent, confidence)


def understood_as(parse_data: dict[str, Any]) -> Suggestion | None:
    """The intent (``faq/<topic>`` for FAQ) NLU gave the message, and how sure it was."""
    intent = parse_data.get("intent") or {}
    if not intent.get("name"):
        return None
    return _with_topic(parse_data, str(intent["name"]), float(intent.get("confidence") or 0.0))


def suggest(parse_data: dict[str, Any]) -> Suggestion | None:
    """The likeliest real intent in Rasa's parse data, passing over ``nlu_fallback``.

    For the retrieval intent ``faq``, the topic comes from ``response_selector``.
    """
    ranking = [
        entry
        for entry in parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
        if entry.get("name") and entry["name"] != NLU_FALLBACK
    ]
    if not ranking:
        return None
    best = ranking[0]
    return _with_topic(parse_data, str(best["name"]), float(best.get("confidence") or 0.0))


def _outcome(user: StoredEvent, following: list[StoredEvent], threshold: float) -> str | None:
    """Why this message needs review, from what the bot did next; None when it does not."""
    actions = [event.action_name for event in following if event.type_name == "action"]
    if DEFAULT_FALLBACK_ACTION in actions:
        return FALLBACK
    if KNOWLEDGE_ACTION in actions:
        answered = any(
            event.type_name == "slot" and event.data.get("name") == KNOWLEDGE_QUESTION_SLOT
            and event.data.get("value")
            for event in following
        )  # fmt: skip
        return KNOWLEDGE if answered else FALLBACK
    if user.intent_name == NLU_FALLBACK:
        return FALLBACK
    understood = understood_as(user.data.get("parse_data") or {})
    if understood is None or understood.confidence < threshold:
        return LOW_CONFIDENCE
    return None


def _turns(events: list[StoredEvent]) -> Iterator[tuple[StoredEvent, list[StoredEvent], bool]]:
    """Each user message with the events up to the next one, and whether a form was open."""
    form_open = False
    current: StoredEvent | None = None
    current_in_form = False
    following: list[StoredEvent] = []
    for event in events:
        if event.type_name == "user":
            if current is not None:
                yield current, following, current_in_form
            current, current_in_form, following = event, form_open, []
        elif current is not None:
            following.append(event)
        if event.type_name == "active_loop":
            form_open = bool(event.data.get("name"))
    if current is not None:
        yield current, following, current_in_form


def holds_personal_data(text: str) -> bool:
    """True when the text holds something like an email address or a phone number."""
    return bool(_PERSONAL_DATA.search(text))


def is_reviewable_text(text: str) -> bool:
    """A typed message with no personal data (buttons send ``/intent`` payloads)."""
    return bool(text.strip()) and not text.startswith("/") and not holds_personal_data(text)


def select_candidates(
    conversations: dict[str, list[StoredEvent]],
    threshold: float = DEFAULT_CONFIDENCE_THRESHOLD,
    reasons: Iterable[str] = REASONS,
) -> list[Candidate]:
    """The messages of ``conversations`` to review, in conversation and time order."""
    wanted = set(reasons)
    candidates = []
    for sender_id, events in conversations.items():
        for user, following, in_form in _turns(events):
            text = " ".join(str(user.data.get("text") or "").split())
            if in_form or not is_reviewable_text(text):
                continue
            reason = _outcome(user, following, threshold)
            if reason in wanted:
                suggestion = suggest(user.data.get("parse_data") or {})
                candidates.append(Candidate(text, sender_id, user.timestamp, reason, suggestion))
    return candidates
