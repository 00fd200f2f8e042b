"""Conversations exported as test stories carry no personal data."""

from __future__ import annotations

from bot.conversations.events import StoredEvent
from bot.training.review.stories import without_personal_data


def user(text: str) -> StoredEvent:
    data = {"event": "user", "text": text, "parse_data": {"text": text, "entities": [{"e": 1}]}}
    return StoredEvent("s", "user", 0.0, "inform", None, data)


def test_lead_slots_and_answers_inside_the_form_are_dropped_the_rest_kept():
    events = [
        user("what is outstaffing?"),
        StoredEvent("s", "active_loop", 0.0, None, None, {"event": "active_loop", "name": "x"}),
        user("Acme"),
        StoredEvent("s", "slot", 0.0, None, None, {"event": "slot", "name": "company"}),
        StoredEvent("s", "active_loop", 0.0, None, None, {"event": "active_loop", "name": None}),
        user("thanks"),
    ]

    cleaned = without_personal_data(events)

    texts = [event.get("text") for event in cleaned if event["event"] == "user"]
    assert texts == ["what is outstaffing?", None, "thanks"]
    assert not [event for event in cleaned if event.get("name") == "company"]
    assert cleaned[2]["parse_data"] == {"text": None, "entities": []}


def test_an_email_address_outside_the_form_is_dropped_too():
    [cleaned] = without_personal_data([user("write to olena@brightpixel.io")])

    assert cleaned["text"] is None
