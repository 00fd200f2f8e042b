"""What the trained model answers to a message, as one comparable label."""

from __future__ import annotations

from typing import Any

FALLBACK = "nlu_fallback"


def predicted_label(parse_data: dict[str, Any]) -> str:
    """The intent, or ``faq/<topic>`` for an FAQ (the topic whose answer is given)."""
    intent = parse_data["intent"]["name"]
    if intent != "faq":
        return str(intent)
    response = parse_data["response_selector"]["faq"]["response"]
    return str(response["intent_response_key"])
