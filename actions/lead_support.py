"""What the lead actions share: settings and small utterances.

The settings are read on first use, once per action-server process, never at
import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from bot.leads.extraction import CONTACT_FIELDS
from bot.leads.fields import (
    ALL_LEAD_SLOTS,
    EDITABLE_FIELDS,
    UNUSABLE_ANSWERS_SLOT,
    WAITING_SLOT,
)
from bot.leads.follow_ups import FOLLOWED_UP_FIELDS, unusable_answers_now
from bot.leads.parsing.choices import chosen_button, payload_value
from bot.leads.said_back import said_back
from bot.settings import Settings, load_settings


@cache
def settings() -> Settings:
    """The process's settings, read from the environment once."""
    return load_settings()


def slots_set(events: list[EventType]) -> dict[str, Any]:
    """The value each slot is set to by ``events`` (the last one wins)."""
    return {
        str(event.get("name")): event.get("value")
        for event in events
        if event.get("event") == "slot"
    }


def slot_changes(before: Mapping[str, Any], events: list[EventType]) -> dict[str, Any]:
    """Editable fields that had a value and now hold a different one; and any
    field of the other group than the one asked (the team while the bot asks
    for contact details, "next week" for the name; a name while it asks about
    the team, "Jo from Acme" for the roles): either is no answer to the
    question, so it is said."""
    asked = before.get(REQUESTED_SLOT)
    asking_contact = asked in CONTACT_FIELDS
    changed = {}
    for slot, value in slots_set(events).items():
        if slot not in EDITABLE_FIELDS or value is None or value == before.get(slot):
            continue
        other_group = (slot in CONTACT_FIELDS) != asking_contact and asked is not None
        if before.get(slot) is not None or other_group:
            changed[slot] = value
    return changed


def acknowledge_changes(
    before: Mapping[str, Any], events: list[EventType], dispatcher: CollectingDispatcher
) -> None:
    """Tells the visitor which of their earlier answers a message replaced, and
    which other field it filled while the bot asked for contact details."""
    for slot, value in slot_changes(before, events).items():
        say_taken(dispatcher, slot, value, replaced=before.get(slot) is not None)


def say_taken(
    dispatcher: CollectingDispatcher, slot: str, value: Any, *, replaced: bool = False
) -> None:
    """Says back a value the form took: "Got it: your company is Acme Ltd."."""
    dispatcher.utter_message(
        response="utter_lead_field_updated", field_change=said_back(slot, value, replaced=replaced)
    )


def acknowledge_details_instead_of_name(
    before: Mapping[str, Any], events: list[EventType], dispatcher: CollectingDispatcher
) -> None:
    """Says the phone number or the company was noted when a message gave it, but
    no name, while the bot asked for the name (the question then asks for the
    rest): "skip, Acme Ltd" hears "Got it: your company is Acme Ltd."."""
    set_now = slots_set(events)
    if before.get(REQUESTED_SLOT) != "name" or set_now.get("name") is not None:
        return
    if before.get("phone") is None and set_now.get("phone") is not None:
        dispatcher.utter_message(response="utter_lead_phone_noted")
    if before.get("company") is None and set_now.get("company") is not None:
        say_taken(dispatcher, "company", set_now["company"])


def previous_message(tracker: Tracker) -> str | None:
    """The visitor's message before the latest one, if any."""
    texts = [event.get("text") for event in tracker.events if event.get("event") == "user"]
    return str(texts[-2] or "") if len(texts) > 1 else None


def runs_right_after_message(tracker: Tracker, form: str) -> bool:
    """True when the form runs on the visitor's latest message, not again after
    another action answered it (an FAQ). Rasa adds the form's own execution
    before it calls the validation action, so that one does not count."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") != form:
            return False
    return False


def follow_up_events(
    before: Mapping[str, Any], events: list[EventType], *, answered: bool
) -> list[EventType]:
    """Counts the unusable answers to the name or company question.

    ``answered`` is True when the message was meant as an answer (no question,
    stop or correction). An answer that leaves the asked field empty is
    unusable when its candidate for the field was refused ("skip, Acme Ltd"
    for the name) or when it gives no other contact detail; a filler ("one
    sec") is not. The count returns to None when the form moves on. Only an
    answer adds an event: a question that fills nothing must leave the form's
    turn empty, so that Rasa hands the question to its rules.
    """
    asked = str(before.get(REQUESTED_SLOT))
    now = slots_set(events)
    question_changed = (
        str(now.get(REQUESTED_SLOT, asked)) != asked or asked not in FOLLOWED_UP_FIELDS
    )
    refused = asked in now or all(
        now.get(field) is None for field in CONTACT_FIELDS if field != "consent"
    )
    unusable = (
        answered
        and not question_changed
        and now.get(asked) is None
        and not now.get(WAITING_SLOT)
        and refused
    )
    count = before.get(UNUSABLE_ANSWERS_SLOT)
    new_count = unusable_answers_now(count, question_changed=question_changed, unusable=unusable)
    if new_count == count or not (answered or question_changed):
        return []
    return [SlotSet(UNUSABLE_ANSWERS_SLOT, new_count)]


def cleared_lead_slots() -> list[dict[str, Any]]:
    """SlotSet events that forget every field of the lead in progress."""
    return [SlotSet(slot, None) for slot in ALL_LEAD_SLOTS]


def last_buttons(tracker: Tracker) -> list[dict[str, Any]]:
    """The buttons of the bot's last message (the question being answered)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return list((event.get("data") or {}).get("buttons") or [])
    return []


def typed_button_value(text: str, buttons: list[dict[str, Any]], requested: Any) -> Any:
    """The value for ``requested`` of the button a typed answer picks, if any."""
    button = chosen_button(text, buttons) if requested else None
    value = payload_value(button, str(requested)) if button else None
    if value is None:
        return None
    return [value] if requested == "seniority" else value
