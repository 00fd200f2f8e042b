"""The lead form's questions for the name, the company, the email and the phone
number (a call back's), which follow up
answers the form could not use (Rasa runs ``action_ask_<form>_<slot>`` in
place of ``utter_ask_<form>_<slot>`` when the domain lists it).

The first time, the question as written; after one unusable answer, a shorter
one; after two, an explanation with an example and other ways (writing to
the agency, or "cancel"); after three, an open invitation; after more, no
question but the agency's email and a person, in two wordings that take
turns. After a filler ("one sec"), nothing: the validation action said "Sure,
take your time." A request for a person there moves the question on a step.
(:mod:`bot.leads.follow_ups` decides which.)
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.lead_support import settings
from bot.leads.fields import (
    FIELD_TO_CHANGE_SLOT,
    LEAD_KIND_SLOT,
    UNUSABLE_ANSWERS_SLOT,
    WAITING_SLOT,
)
from bot.leads.follow_ups import Step, question_step, unusable_answers_now
from bot.leads.model import LeadKind

# The visitor asked for a person instead of answering (the "Talk to a person"
# button, or words): Rasa's rules answered, and the form asks again.
PERSON_REQUEST = "request_human"


class AskFollowedUpQuestion(Action, abc.ABC):
    """Asks for one field in the form that the visitor's earlier answers call for."""

    responses: ClassVar[Mapping[Step, str]]

    @abc.abstractmethod
    def name(self) -> str:
        """The ask action's name in domain.yml."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the question's step; a pause is asked nothing, once; a request
        for a person moves the question on a step, so that it says how else."""
        waiting = bool(tracker.get_slot(WAITING_SLOT))
        count = tracker.get_slot(UNUSABLE_ANSWERS_SLOT)
        events: list[EventType] = [SlotSet(WAITING_SLOT, None)] if waiting else []
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent == PERSON_REQUEST and not waiting:
            count = unusable_answers_now(count, question_changed=False, unusable=True)
            events.append(SlotSet(UNUSABLE_ANSWERS_SLOT, count))
        step = question_step(count, waiting)
        if step is not None:
            response = self.responses[step]
            if step == "first" and not tracker.get_slot(FIELD_TO_CHANGE_SLOT):
                # (a field the visitor chose to change is asked plainly)
                response = self.first_question(tracker) or response
            dispatcher.utter_message(
                response=response,
                agency_email=settings().agency_email,
                visitor_name=tracker.get_slot("name"),
            )
        return events

    def first_question(self, tracker: Tracker) -> str | None:
        """The first question when part of it is already answered: only the
        rest, with thanks; None for the question as written."""
        return None


class ActionAskLeadFormName(AskFollowedUpQuestion):
    """Asks who our sales team should contact."""

    responses: ClassVar[Mapping[Step, str]] = {
        "first": "utter_ask_lead_form_name",
        "again": "utter_ask_lead_form_name_again",
        "explained": "utter_ask_lead_form_name_explained",
        "open": "utter_ask_lead_form_name_open",
        "offer": "utter_ask_lead_form_name_offer",
        "offer_again": "utter_ask_lead_form_name_offer_again",
    }

    def name(self) -> str:
        """Rasa's name for the form's question about ``name``."""
        return "action_ask_lead_form_name"

    def first_question(self, tracker: Tracker) -> str | None:
        """ "Thanks, I've got your email. And your name?" """
        if tracker.get_slot(LEAD_KIND_SLOT) == LeadKind.CALLBACK and tracker.get_slot("phone"):
            return "utter_ask_lead_form_name_after_phone"
        if tracker.get_slot("email"):
            return "utter_ask_lead_form_name_after_email"
        if tracker.get_slot("company"):
            return "utter_ask_lead_form_name_only"
        return None


class ActionAskLeadFormCompany(AskFollowedUpQuestion):
    """Asks which company the visitor is with."""

    responses: ClassVar[Mapping[Step, str]] = {
        "first": "utter_ask_lead_form_company",
        "again": "utter_ask_lead_form_company_again",
        "explained": "utter_ask_lead_form_company_explained",
        "open": "utter_ask_lead_form_company_open",
        "offer": "utter_ask_lead_form_company_offer",
        "offer_again": "utter_ask_lead_form_company_offer_again",
    }

    def name(self) -> str:
        """Rasa's name for the form's question about ``company``."""
        return "action_ask_lead_form_company"

    def first_question(self, tracker: Tracker) -> str | None:
        """ "Thanks, Olena. Which company are you with?" once the name is given."""
        return "utter_ask_lead_form_company_after_name" if tracker.get_slot("name") else None


class ActionAskLeadFormEmail(AskFollowedUpQuestion):
    """Asks for the work email our sales team replies to."""

    responses: ClassVar[Mapping[Step, str]] = {
        "first": "utter_ask_lead_form_email",
        "again": "utter_ask_lead_form_email_again",
        "explained": "utter_ask_lead_form_email_explained",
        "open": "utter_ask_lead_form_email_open",
        "offer": "utter_ask_lead_form_email_offer",
        "offer_again": "utter_ask_lead_form_email_offer_again",
    }

    def name(self) -> str:
        """Rasa's name for the form's question about ``email``."""
        return "action_ask_lead_form_email"

    def first_question(self, tracker: Tracker) -> str | None:
        """ "Thanks, Olena. And your work email?" once the name is given."""
        return "utter_ask_lead_form_email_after_name" if tracker.get_slot("name") else None


class ActionAskLeadFormPhone(AskFollowedUpQuestion):
    """Asks for the number our sales team calls (a call-back request)."""

    responses: ClassVar[Mapping[Step, str]] = {
        "first": "utter_ask_lead_form_phone",
        "again": "utter_ask_lead_form_phone_again",
        "explained": "utter_ask_lead_form_phone_explained",
        "open": "utter_ask_lead_form_phone_open",
        "offer": "utter_ask_lead_form_phone_offer",
        "offer_again": "utter_ask_lead_form_phone_offer_again",
    }

    def name(self) -> str:
        """Rasa's name for the form's question about ``phone``."""
        return "action_ask_lead_form_phone"

    def first_question(self, tracker: Tracker) -> str | None:
        """ "Thanks, Tom. What number should our sales team call?" once the name is given."""
        return "utter_ask_lead_form_phone_after_name" if tracker.get_slot("name") else None
