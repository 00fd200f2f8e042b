"""The visitor's language: a message clearly in another language gets, in that
language where the domain has the words, the line that the assistant answers
in English, with the agency's email (``utter_english_only``, whose variants
are chosen by the slot ``visitor_language``)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.lead_support import settings


class ActionAnswerInEnglish(Action):
    """Says, in the visitor's language, that the assistant answers in English."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_answer_in_english"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the line with the agency's email (AGENCY_EMAIL)."""
        dispatcher.utter_message(
            response="utter_english_only", agency_email=settings().agency_email
        )
        return []
