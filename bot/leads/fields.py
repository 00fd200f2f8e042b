"""The fields of a lead: their slot names, labels, and which the bot asks for.

This is the one list the form, the summary and the consistency tests share:
the order of ``ASKED_FIELDS`` is the order the bot asks in. Sales need the
team and the contact to reply, so only those are asked; the other details are
taken whenever the visitor gives them, and offered once, with the summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.leads.model import LeadKind


@dataclass(frozen=True)
class LeadField:
    """One field of a lead, stored in the Rasa slot of the same name."""

    slot: str
    label: str
    asked: bool  # the form asks for it until it has a value


FIELDS: tuple[LeadField, ...] = (
    LeadField("roles", "Roles", asked=True),
    LeadField("team_size", "Team size", asked=True),
    LeadField("seniority", "Seniority", asked=False),
    LeadField("tech_stack", "Tech stack", asked=False),
    LeadField("engagement_model", "Engagement model", asked=False),
    LeadField("start", "Start", asked=False),
    LeadField("duration", "Duration", asked=False),
    LeadField("budget", "Budget", asked=False),
    LeadField("name", "Name", asked=True),
    LeadField("company", "Company", asked=False),
    LeadField("email", "Work email", asked=True),
    LeadField("phone", "Phone", asked=False),
    LeadField("consent", "Consent to be contacted", asked=False),
)
FIELDS_BY_SLOT = {field.slot: field for field in FIELDS}
# Consent is no question of its own: confirming the summary gives it.
CONSENT_FIELD = "consent"
ASKED_FIELDS = tuple(field.slot for field in FIELDS if field.asked)
# What the form asks for a call back (sales phone; the rest is optional) and
# for a candidate (what they do, and whom the recruiters write to).
CALLBACK_ASKED_FIELDS = ("name", "phone")
CANDIDATE_ASKED_FIELDS = ("roles", "name", "email")
# The details a visitor may add (the summary offers them): taken from any message.
OPTIONAL_FIELDS = tuple(
    field.slot for field in FIELDS if not field.asked and field.slot != CONSENT_FIELD
)
# Fields a visitor can change from the summary (consent is given, not edited).
EDITABLE_FIELDS = tuple(field.slot for field in FIELDS if field.slot != CONSENT_FIELD)

# Slots the lead form keeps beside the fields; all are cleared with the lead.
# The kind of request ("callback", "candidate"; None for a team), which
# chooses the fields asked and the form's words (conditional responses).
LEAD_KIND_SLOT = "lead_kind"
START_DATE_SLOT = "start_date"
CONSENT_TEXT_SLOT = "consent_text"
CONSENT_TIME_SLOT = "consent_given_at"
REQUEST_ID_SLOT = "lead_request_id"
ADVICE_GIVEN_SLOT = "engagement_advice_given"
# The field a visitor asked to change: the form asks for it even if optional.
FIELD_TO_CHANGE_SLOT = "lead_field_to_change"
# How many answers in a row the question being asked could not use, and
# whether the visitor asked for a moment ("one sec"): they choose what the
# form says next (bot/leads/follow_ups.py).
UNUSABLE_ANSWERS_SLOT = "unusable_answers"
WAITING_SLOT = "waiting_for_answer"
HELPER_SLOTS = (
    LEAD_KIND_SLOT,
    START_DATE_SLOT,
    CONSENT_TEXT_SLOT,
    CONSENT_TIME_SLOT,
    REQUEST_ID_SLOT,
    ADVICE_GIVEN_SLOT,
    FIELD_TO_CHANGE_SLOT,
    UNUSABLE_ANSWERS_SLOT,
    WAITING_SLOT,
)
ALL_LEAD_SLOTS = tuple(field.slot for field in FIELDS) + HELPER_SLOTS


def asked_fields(kind: str | None) -> tuple[str, ...]:
    """The fields the form asks for a request of this kind, in order."""
    if kind == LeadKind.CALLBACK:
        return CALLBACK_ASKED_FIELDS
    if kind == LeadKind.CANDIDATE:
        return CANDIDATE_ASKED_FIELDS
    return ASKED_FIELDS
