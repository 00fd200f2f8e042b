"""Actions around the lead form: summary, submission, cancelling and changes."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.lead_support import cleared_lead_slots, settings
from bot.leads import transcript
from bot.leads.extraction import Message, extract
from bot.leads.fields import (
    ALL_LEAD_SLOTS,
    CONSENT_TEXT_SLOT,
    CONSENT_TIME_SLOT,
    EDITABLE_FIELDS,
    FIELD_TO_CHANGE_SLOT,
    FIELDS_BY_SLOT,
    LEAD_KIND_SLOT,
    REQUEST_ID_SLOT,
    asked_fields,
)
from bot.leads.intake import intake_for
from bot.leads.model import LeadKind
from bot.leads.parsing.cues import mentioned_field
from bot.leads.submission import IncompleteLeadError, build_submission
from bot.leads.summary import details_to_offer, escape_markdown, render_summary

logger = logging.getLogger(__name__)
LEAD_FORM = "lead_form"
CONSENT_QUESTION = "utter_lead_consent"


class ActionShowLeadSummary(Action):
    """Shows the lead, offers the details that would help sales, and asks to
    send it: confirming is the visitor's consent to be contacted."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_show_lead_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utters the escaped summary, the offer and the consent question, and
        keeps the question's words for the consent the confirmation gives."""
        dispatcher.utter_message(
            response="utter_lead_summary", summary=render_summary(tracker.slots)
        )
        # (a call back or a candidate's profile needs no team details)
        team = tracker.get_slot(LEAD_KIND_SLOT) in (None, LeadKind.TEAM)
        details = details_to_offer(tracker.slots) if team else None
        if details:
            dispatcher.utter_message(response="utter_lead_details_offer", details=details)
        dispatcher.utter_message(response=CONSENT_QUESTION)
        return [
            SlotSet(FIELD_TO_CHANGE_SLOT, None),
            SlotSet(CONSENT_TEXT_SLOT, consent_text(domain, tracker.get_slot(LEAD_KIND_SLOT))),
            SlotSet(REQUEST_ID_SLOT, tracker.get_slot(REQUEST_ID_SLOT) or str(uuid.uuid4())),
        ]


def consent_text(domain: DomainDict, kind: str | None) -> str:
    """The words of the consent question the visitor saw, stored with the
    consent: the variant for their kind of request, else the plain one."""
    variants = (domain.get("responses") or {}).get(CONSENT_QUESTION) or [{}]
    for_kind = [variant for variant in variants if _is_for_kind(variant, kind)]
    plain = [variant for variant in variants if not variant.get("condition")]
    chosen = (for_kind or plain or variants)[0]
    return " ".join(str(chosen.get("text", "")).split())


def _is_for_kind(variant: dict[str, Any], kind: str | None) -> bool:
    """True when a response variant's condition is this kind of request."""
    return any(
        condition.get("name") == LEAD_KIND_SLOT and condition.get("value") == kind
        for condition in variant.get("condition") or []
    )


def consent_given(tracker: Tracker, now: datetime) -> dict[str, Any]:
    """The consent slots a confirmation of the summary sets; none when the
    visitor never saw the consent question (the summary shows it first), or
    when they already gave it (a second try of a lead that failed to send)."""
    already = tracker.get_slot("consent") is True and tracker.get_slot(CONSENT_TIME_SLOT)
    if already or not tracker.get_slot(CONSENT_TEXT_SLOT):
        return {}
    return {"consent": True, CONSENT_TIME_SLOT: now.isoformat()}


class ActionSubmitLead(Action):
    """Stores the confirmed lead, then tells the visitor it was received.

    The lead is committed to the store, or fsynced to the spool while the
    store is away, before the visitor hears anything. Only when both fail is
    the failure said honestly, keeping the answers so "Try again" can send them.
    """

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_submit_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Submits the lead (idempotently) and clears the form's slots on success."""
        from bot.leads.spool import SpoolError

        consent = consent_given(tracker, datetime.now(timezone.utc))
        try:
            submission = build_submission(
                {**tracker.slots, **consent},
                conversation_id=tracker.sender_id,
                transcript=transcript.transcript(tracker.events),
                page_url=transcript.page_url(tracker.events),
            )
        except IncompleteLeadError:
            if not any(tracker.get_slot(slot) is not None for slot in ALL_LEAD_SLOTS):
                # e.g. "Send it" pressed twice: the first press already sent it.
                dispatcher.utter_message(response="utter_nothing_to_send")
                return []
            dispatcher.utter_message(response="utter_lead_incomplete")
            return [FollowupAction(LEAD_FORM)]
        try:
            outcome = await intake_for(settings()).submit(submission)
        except SpoolError:
            logger.exception("could not store nor keep the lead of %s", tracker.sender_id)
            dispatcher.utter_message(
                response="utter_lead_store_failed", agency_email=settings().agency_email
            )
            return [SlotSet(slot, value) for slot, value in consent.items()]
        revised = outcome.action in ("updated", "unchanged")
        response = "utter_lead_resubmitted" if revised else "utter_lead_submitted"
        dispatcher.utter_message(
            response=response,
            visitor_name=escape_markdown(submission.name),
            visitor_email=escape_markdown(submission.email or ""),
            visitor_phone=escape_markdown(submission.phone or ""),
            agency_email=settings().agency_email,
        )
        return cleared_lead_slots()


class ActionCancelLead(Action):
    """Leaves the lead form and forgets its answers; nothing is stored."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_cancel_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Confirms that nothing was sent, or that nothing was in progress."""
        in_progress = tracker.active_loop.get("name") == LEAD_FORM or any(
            tracker.get_slot(slot) is not None for slot in ALL_LEAD_SLOTS
        )
        dispatcher.utter_message(
            response="utter_lead_cancelled" if in_progress else "utter_nothing_to_cancel"
        )
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *cleared_lead_slots()]


class ActionChangeLeadField(Action):
    """Changes one detail: takes a new value from the message, or asks for it."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_change_lead_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Sets the new value, clears the field for the form to ask, or offers choices."""
        message = tracker.latest_message or {}
        found = extract(
            Message.from_parse_data(message),
            requested=None,
            current=tracker.slots,
            today=date.today(),
            default_phone_region=settings().default_phone_region,
        )
        if found:
            # The form reads the new values from this message, checks them and
            # shows the summary again once nothing is missing.
            return [FollowupAction(LEAD_FORM)]
        field = _named_field(message)
        if field is None:
            buttons = [
                {
                    "title": FIELDS_BY_SLOT[slot].label,
                    "payload": f'/change_lead_field{{"lead_field": "{slot}"}}',
                }
                for slot in fields_shown(tracker.slots)
            ]
            dispatcher.utter_message(response="utter_choose_lead_field", buttons=buttons)
            return []
        dispatcher.utter_message(
            response="utter_lead_field_cleared", field_label=FIELDS_BY_SLOT[field].label.lower()
        )
        return [
            SlotSet(field, None),
            SlotSet(FIELD_TO_CHANGE_SLOT, field),
            FollowupAction(LEAD_FORM),
        ]


def fields_shown(slots: dict[str, Any]) -> list[str]:
    """The editable fields the summary shows: those asked for this kind of
    request and those given (any other can still be typed: "budget 20k")."""
    asked = asked_fields(slots.get(LEAD_KIND_SLOT))
    return [
        slot for slot in EDITABLE_FIELDS if slot in asked or slots.get(slot) not in (None, "", [])
    ]


def _named_field(message: dict[str, Any]) -> str | None:
    for entity in message.get("entities") or []:
        if entity.get("entity") == "lead_field" and entity.get("value") in EDITABLE_FIELDS:
            return str(entity["value"])
    named = mentioned_field(str(message.get("text") or ""))
    return named if named in EDITABLE_FIELDS else None
