"""Typed chat commands the visitor may send: ``/back`` (``/restart`` is Rasa's own,
with ``utter_restart``; ``/session_start`` a rule in data/rules.yml).

Rasa's own ``action_back`` takes back the visitor's last message and everything
it set, without a word: in the lead form, the answer before it. This one takes
nothing back and says so; in the form, the form asks its question again.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

LEAD_FORM = "lead_form"


class ActionBack(Action):
    """Answers ``/back``: nothing to go back to, or how to change an answer of the form."""

    def name(self) -> str:
        """Rasa's default action for ``/back``, which this one replaces."""
        return "action_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the line for where the visitor is; changes nothing."""
        in_form = tracker.active_loop.get("name") == LEAD_FORM and tracker.get_slot(REQUESTED_SLOT)
        dispatcher.utter_message(response="utter_back_in_form" if in_form else "utter_back_nothing")
        return []
