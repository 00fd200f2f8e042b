"""The conversation behind a lead, read from Rasa's tracker events (as dicts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from bot.leads.model import TranscriptTurn

MAX_TURNS = 200
MAX_TURN_LENGTH = 4000
PAGE_URL_KEYS = ("page_url", "pageUrl")


def _when(event: Mapping[str, Any]) -> datetime:
    timestamp = event.get("timestamp")
    if isinstance(timestamp, int | float):
        return datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return datetime.now(tz=timezone.utc)


def transcript(events: Iterable[Mapping[str, Any]]) -> tuple[TranscriptTurn, ...]:
    """Visitor and bot messages in order; the newest 200, each cut at 4000 chars."""
    turns = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not isinstance(text, str) or not text.strip():
            continue
        turn_text, at = text[:MAX_TURN_LENGTH], _when(event)
        turns.append(
            TranscriptTurn("visitor", turn_text, at)
            if kind == "user"
            else TranscriptTurn("bot", turn_text, at)
        )
    return tuple(turns[-MAX_TURNS:])


def page_url(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The page the visitor was on, as the widget last reported it in metadata."""
    url = None
    for event in events:
        metadata = event.get("metadata") if event.get("event") == "user" else None
        if isinstance(metadata, Mapping):
            for key in PAGE_URL_KEYS:
                value = metadata.get(key)
                if isinstance(value, str) and value.strip():
                    url = value.strip()[:2000]
    return url
