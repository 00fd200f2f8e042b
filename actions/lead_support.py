"""What the lead actions share: settings and small utterances.

The settings are read on first use, once per action-server process, never at
import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from bot.leads.fields import ALL_LEAD_SLOTS, EDITABLE_FIELDS, FIELDS_BY_SLOT
from bot.leads.summary import display_value, escape_markdown
from bot.settings import Settings, load_settings


@cache
def settings() -> Settings:
    """The process's settings, read from the environment once."""
    return load_settings()


def slot_changes(before: Mapping[str, Any], events: list[EventType]) -> dict[str, Any]:
    """Editable fields that had a value and now hold a different one."""
    changed = {}
    for event in events:
        slot, value = event.get("name"), event.get("value")
        if event.get("event") != "slot" or slot not in EDITABLE_FIELDS:
            continue
        if before.get(slot) is not None and value is not None and value != before.get(slot):
            changed[str(slot)] = value
    return changed


def acknowledge_changes(
    before: Mapping[str, Any], events: list[EventType], dispatcher: CollectingDispatcher
) -> None:
    """Tells the visitor which of their earlier answers a message replaced."""
    for slot, value in slot_changes(before, events).items():
        dispatcher.utter_message(
            response="utter_lead_field_updated",
            field_label=FIELDS_BY_SLOT[slot].label.lower(),
            field_value=escape_markdown(display_value(slot, value, {})),
        )


def acknowledge_phone_instead_of_name(
    before: Mapping[str, Any], events: list[EventType], dispatcher: CollectingDispatcher
) -> None:
    """Says the phone number was noted when a message gave it, but no name, while
    the bot asked for the name (the question then asks for the rest)."""
    set_now = {
        event.get("name"): event.get("value") for event in events if event.get("event") == "slot"
    }
    if (
        before.get(REQUESTED_SLOT) == "name"
        and before.get("phone") is None
        and set_now.get("phone") is not None
        and set_now.get("name") is None
    ):
        dispatcher.utter_message(response="utter_lead_phone_noted")


def cleared_lead_slots() -> list[dict[str, Any]]:
    """SlotSet events that forget every field of the lead in progress."""
    return [SlotSet(slot, None) for slot in ALL_LEAD_SLOTS]
