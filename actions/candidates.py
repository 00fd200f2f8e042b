"""The candidate path: developers looking for work are answered as candidates,
with what the agency offers them and where to apply, never as client leads.

A developer who wants to leave a profile gets the lead form in its candidate
kind (``lead_kind`` "candidate"): what they do, their name and email. It is
stored apart from the sales leads (never delivered to sales; the inbox shows
it under "candidates").
"""

from __future__ import annotations

from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.lead_support import cleared_lead_slots, settings
from bot.leads.candidates import JOB_SEEKER
from bot.leads.extraction import Message, extract
from bot.leads.fields import LEAD_KIND_SLOT
from bot.leads.model import LeadKind

# What a developer's own first words tell the recruiters.
FIRST_WORDS_FIELDS = ("roles", "seniority", "tech_stack")


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


class ActionStartCandidateProfile(Action):
    """Starts a candidate's profile: the lead form then asks what is missing."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_start_candidate_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Forgets a client request left unfinished, marks the kind, and keeps
        what the developer said about their work when they first asked ("I'm a
        Java developer looking for a job")."""
        dispatcher.utter_message(response="utter_candidate_intro")
        said = profile_said(tracker)
        return [
            *cleared_lead_slots(),
            SlotSet(LEAD_KIND_SLOT, LeadKind.CANDIDATE.value),
            SlotSet(REQUESTED_SLOT, None),
            *(SlotSet(slot, value) for slot, value in said.items()),
        ]


def profile_said(tracker: Tracker) -> dict[str, object]:
    """The roles, seniority and stack of the visitor's latest job-seeking message."""
    for event in reversed(tracker.events):
        parse_data = event.get("parse_data") or {}
        if (
            event.get("event") != "user"
            or (parse_data.get("intent") or {}).get("name") != JOB_SEEKER
        ):
            continue
        message = Message.from_parse_data({**parse_data, "intent": {"name": "inform"}})
        found = extract(message, requested=None, current={}, today=date.today())
        return {slot: value for slot, value in found.items() if slot in FIRST_WORDS_FIELDS}
    return {}
