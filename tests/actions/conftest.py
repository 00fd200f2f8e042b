"""A factory of real rasa-sdk trackers for the action tests."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker


def build_tracker(
    *,
    text: str = "",
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    sender_id: str = "visitor-1",
    events: list[dict[str, Any]] | None = None,
    latest_message: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text`` with the given NLU result."""
    message = latest_message or {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "entities": entities or [],
    }
    history = (
        events
        if events is not None
        else [{"event": "user", "text": text, "parse_data": message, "timestamp": 1_700_000_000.0}]
    )
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=message,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def make_tracker():
    """``make_tracker(text=..., intent=..., slots=...)`` builds a real Tracker."""
    return build_tracker
