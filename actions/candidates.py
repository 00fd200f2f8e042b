"""The candidate path: developers looking for work are answered as candidates,
with what the agency offers them and where to apply, never as client leads."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.lead_support import settings


class ActionJobSeeker(Action):
    """Answers a developer looking for work: what we offer, and where to apply."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_job_seeker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the candidate answer with the agency's email (AGENCY_EMAIL)."""
        dispatcher.utter_message(response="utter_job_seeker", agency_email=settings().agency_email)
        return []
