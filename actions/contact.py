"""The ways to a person: the agency's email at once, and a call back from sales.

"How can I reach you" and "can I talk to a person" get the email and the
offer of a call; "call me" starts a call-back request, which the lead form
collects (a name and a phone number, ``lead_kind`` "callback") and stores as
a lead of its own kind. In the middle of a team request, "call me instead"
turns it into a call back and keeps what was given (actions/lead_form.py).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.lead_support import settings
from bot.leads.fields import LEAD_KIND_SLOT
from bot.leads.model import LeadKind

LEAD_FORM = "lead_form"


class ActionContactUs(Action):
    """Answers "how can I reach you" and "can I talk to a person": the agency's
    email, and a call back on offer."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_contact_us"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the email (AGENCY_EMAIL) with the next steps; in the lead form,
        the short form of it (the form asks its question again after it)."""
        in_form = tracker.active_loop.get("name") == LEAD_FORM
        dispatcher.utter_message(
            response="utter_contact_us_in_form" if in_form else "utter_contact_us",
            agency_email=settings().agency_email,
        )
        return []


class ActionRequestCallback(Action):
    """Starts a call-back request: the lead form then asks for a name and a number."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_request_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Says what the call needs, with the agency's email as the other way."""
        dispatcher.utter_message(
            response="utter_callback_intro", agency_email=settings().agency_email
        )
        return [SlotSet(LEAD_KIND_SLOT, LeadKind.CALLBACK.value), SlotSet(REQUESTED_SLOT, None)]


def wants_a_call_instead(tracker: Tracker) -> bool:
    """True when the visitor, in the middle of a team request, asks to be called."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return intent == "request_callback" and tracker.get_slot(LEAD_KIND_SLOT) is None
