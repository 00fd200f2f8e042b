"""The lead form's validation action: reads each visitor message, checks each field.

Extraction (:func:`bot.leads.extraction.extract`) finds every field a message
mentions; each ``validate_<field>`` method hands the candidate to its check in
:mod:`bot.leads.checks` and, when the check refuses it, says why with
``utter_<field>_invalid_<reason>`` and keeps the field's previous value. The
name and company questions also count unusable answers in a row, which
``action_ask_lead_form_<slot>`` (actions/lead_questions.py) follows up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.contact import wants_a_call_instead
from actions.lead_support import (
    acknowledge_changes,
    acknowledge_details_instead_of_name,
    follow_up_events,
    last_buttons,
    previous_message,
    runs_right_after_message,
    say_taken,
    settings,
    typed_button_value,
)
from bot.leads import candidates, checks
from bot.leads.extraction import Message, answers_the_form, extract
from bot.leads.fields import (
    ADVICE_GIVEN_SLOT,
    ASKED_FIELDS,
    FIELD_TO_CHANGE_SLOT,
    LEAD_KIND_SLOT,
    OPTIONAL_FIELDS,
    START_DATE_SLOT,
    UNUSABLE_ANSWERS_SLOT,
    WAITING_SLOT,
    asked_fields,
)
from bot.leads.follow_ups import explains_instead_of_reason, repeats
from bot.leads.model import LeadKind
from bot.leads.parsing.cues import is_skip
from bot.leads.parsing.result import Invalid

LEAD_FORM = "lead_form"


def previous_value(tracker: Tracker, slot: str) -> Any:
    """The slot's value before this turn's candidates (the trailing SlotSets)."""
    events = tracker.events
    index = len(events)
    while index and events[index - 1].get("event") == "slot":
        index -= 1
    for event in reversed(events[:index]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def latest_message(tracker: Tracker) -> Message:
    """The visitor's latest message as extraction reads it. In a candidate's
    profile, "I'm a Java developer looking for work" answers the form."""
    message = Message.from_parse_data(tracker.latest_message or {})
    return candidates.as_profile_answer(message) if is_candidate(tracker) else message


def is_candidate(tracker: Tracker) -> bool:
    """True while the form takes a developer's profile."""
    return bool(tracker.get_slot(LEAD_KIND_SLOT) == LeadKind.CANDIDATE)


def _checked(
    slot: str, result: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    if isinstance(result, Invalid):
        dispatcher.utter_message(response=f"utter_{slot}_invalid_{result.code}")
        return {slot: previous_value(tracker, slot)}
    return {slot: result}


def _insists(slot: str, value: Any, tracker: Tracker) -> bool:
    """True when the visitor gives again, word for word, the answer to this
    question that was just refused: they mean it ("Skip" is their company)."""
    asked_now = tracker.get_slot(REQUESTED_SLOT) == slot
    message = str((tracker.latest_message or {}).get("text") or "")
    return (
        asked_now
        and not is_skip(str(value))  # "skip" twice is no name, however firmly said
        and bool(tracker.get_slot(UNUSABLE_ANSWERS_SLOT))
        and repeats(message, str(value))
        and repeats(previous_message(tracker), message)
    )


def _checked_name(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """Checks a name or company: a filler is answered and the question waits; a
    refusal hears why the field is needed and how else to reach the agency;
    from the second unusable answer on, the question itself explains. A
    refused answer given again right away is taken, and said back."""
    check = checks.check_name if slot == "name" else checks.check_company
    result = check(value)
    if not isinstance(result, Invalid):
        return {slot: result}
    if _insists(slot, value, tracker) and isinstance(taken := check(value, insisted=True), str):
        say_taken(dispatcher, slot, taken)
        return {slot: taken}
    kept = previous_value(tracker, slot)
    asked_now = tracker.get_slot(REQUESTED_SLOT) == slot
    if result.code == "paused":
        dispatcher.utter_message(response=f"utter_{slot}_invalid_paused")
        return {slot: kept, WAITING_SLOT: True} if asked_now else {slot: kept}
    if asked_now and explains_instead_of_reason(tracker.get_slot(UNUSABLE_ANSWERS_SLOT)):
        return {slot: kept}
    dispatcher.utter_message(
        response=f"utter_{slot}_invalid_{result.code}", agency_email=settings().agency_email
    )
    return {slot: kept}


def _optional(
    slot: str,
    value: Any,
    check: Callable[[Any], Any],
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
) -> dict[str, Any]:
    """Checks an optional field; "skip" leaves it empty and stops asking for it."""
    if isinstance(value, str) and is_skip(value):
        return {slot: None, FIELD_TO_CHANGE_SLOT: None}
    return _checked(slot, check(value), dispatcher, tracker)


class ValidateLeadForm(FormValidationAction):
    """Extracts and checks the lead's fields; asks for the next missing one."""

    def name(self) -> str:
        """The validation action of ``lead_form``."""
        return "validate_lead_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validates as rasa-sdk does, confirms fields the visitor changed, and
        counts unusable answers to the name or company. "Call me instead" turns
        a team request into a call back, keeping what was given."""
        before = dict(tracker.slots)
        message = latest_message(tracker)
        answered = runs_right_after_message(tracker, LEAD_FORM) and answers_the_form(
            message, before.get(REQUESTED_SLOT)
        )
        switched: list[EventType] = []
        if wants_a_call_instead(tracker):
            dispatcher.utter_message(response="utter_callback_instead")
            switched = [SlotSet(LEAD_KIND_SLOT, LeadKind.CALLBACK.value)]
            tracker.add_slots(switched)  # the next question is the call back's
        events = await super().run(dispatcher, tracker, domain)
        acknowledge_changes(before, events, dispatcher)
        acknowledge_details_instead_of_name(before, events, dispatcher)
        return switched + events + follow_up_events(before, events, answered=answered)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Every field, optional ones included, so that all are extracted and checked."""
        return [*ASKED_FIELDS, *OPTIONAL_FIELDS]

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """The first field asked for this kind of request still empty; None ends the form."""
        asked = asked_fields(tracker.slots.get(LEAD_KIND_SLOT))
        missing = next((slot for slot in asked if tracker.slots.get(slot) is None), None)
        changing = tracker.slots.get(FIELD_TO_CHANGE_SLOT)
        if missing is None and changing and tracker.slots.get(changing) is None:
            missing = changing  # an optional field the visitor chose to change
        return SlotSet(REQUESTED_SLOT, missing)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Every field the latest message mentions, as candidates to check; a
        button of the question picked by typing ("the first one") answers it."""
        message = latest_message(tracker)
        requested = tracker.get_slot(REQUESTED_SLOT)
        picked = typed_button_value(message.text, last_buttons(tracker), requested)
        if picked is not None:
            return [SlotSet(str(requested), picked)]
        candidate = is_candidate(tracker)
        found = extract(
            message,
            requested=candidates.field_answered(message, requested) if candidate else requested,
            current=tracker.slots,
            today=date.today(),
            default_phone_region=settings().default_phone_region,
        )
        found = candidates.profile_only(found) if candidate else found
        return [SlotSet(slot, value) for slot, value in found.items()]

    def validate_roles(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One or more roles."""
        return _checked("roles", checks.check_list(value), dispatcher, tracker)

    def validate_team_size(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A whole number of people from 1 to 200."""
        return _checked("team_size", checks.check_team_size(value), dispatcher, tracker)

    def validate_seniority(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Junior, middle, senior, lead, or a mix."""
        return _checked("seniority", checks.check_seniority(value), dispatcher, tracker)

    def validate_tech_stack(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One or more technologies."""
        return _checked("tech_stack", checks.check_list(value), dispatcher, tracker)

    def validate_engagement_model(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A model; "not sure" first gets the models explained and a second question."""
        model = checks.check_engagement_model(value)
        if model == "not_sure" and not tracker.get_slot(ADVICE_GIVEN_SLOT):
            dispatcher.utter_message(response="utter_engagement_models_explained")
            return {"engagement_model": None, ADVICE_GIVEN_SLOT: True}
        return _checked("engagement_model", model, dispatcher, tracker)

    def validate_start(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The visitor's words for the start, plus the date they name, if any."""
        start = checks.check_start(value, date.today())
        if isinstance(start, Invalid):
            return _checked("start", start, dispatcher, tracker)
        return {"start": start.text, START_DATE_SLOT: start.on.isoformat() if start.on else None}

    def validate_duration(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """How long the team is needed (optional)."""
        return _optional("duration", value, checks.check_free_text, dispatcher, tracker)

    def validate_budget(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The budget in the visitor's words, with its currency (optional)."""
        return _optional("budget", value, checks.check_free_text, dispatcher, tracker)

    def validate_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The visitor's name, verbatim."""
        return _checked_name("name", value, dispatcher, tracker)

    def validate_company(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The visitor's company, verbatim; optional, so "skip" or "I'd rather
        not say" leaves it out."""
        refused = checks.check_company(value)
        if isinstance(refused, Invalid) and (refused.code == "declined" or is_skip(str(value))):
            if tracker.get_slot(REQUESTED_SLOT) == "company":
                dispatcher.utter_message(response="utter_company_invalid_declined")
            return {"company": None, FIELD_TO_CHANGE_SLOT: None}
        return _checked_name("company", value, dispatcher, tracker)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid work email address."""
        return _checked("email", checks.check_email(value), dispatcher, tracker)

    def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid phone number (optional)."""
        region = settings().default_phone_region
        return _optional(
            "phone", value, lambda v: checks.check_phone(v, region), dispatcher, tracker
        )
