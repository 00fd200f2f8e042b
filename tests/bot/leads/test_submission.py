"""From the form's slots to the submission sales receive."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.leads.model import LeadKind
from bot.leads.submission import IncompleteLeadError, build_submission, request_key
from bot.leads.transcript import page_url, transcript

COMPLETE = {
    "roles": ["developer"],
    "team_size": 3,
    "seniority": ["senior"],
    "tech_stack": ["Python"],
    "engagement_model": "outstaffing",
    "start": "next month",
    "start_date": "2026-12-23",
    "name": "Jane Doe",
    "company": "Acme",
    "email": "jane@acme.com",
    "consent": True,
    "consent_text": "May we contact you?",
    "consent_given_at": "2026-11-23T10:00:00+00:00",
    "lead_request_id": "run-1",
}


def test_complete_slots_make_a_submission():
    submission = build_submission(COMPLETE, conversation_id="visitor-1")
    assert submission.team_size == 3
    assert submission.roles == ("developer",)
    assert submission.start_date == date(2026, 12, 23)
    assert submission.consent_given_at == datetime(2026, 11, 23, 10, tzinfo=timezone.utc)
    assert submission.request_key == request_key("visitor-1", "run-1")
    assert submission.phone is None


def test_the_request_key_is_stable_and_differs_per_form_run():
    assert request_key("visitor-1", "run-1") == request_key("visitor-1", "run-1")
    assert request_key("visitor-1", "run-1") != request_key("visitor-1", "run-2")
    assert request_key("visitor-1", "run-1") != request_key("visitor-2", "run-1")


@pytest.mark.parametrize("missing", ["email", "consent", "consent_given_at", "lead_request_id"])
def test_a_lead_without_a_required_field_is_not_built(missing):
    slots = {**COMPLETE, missing: None}
    with pytest.raises(IncompleteLeadError):
        build_submission(slots, conversation_id="visitor-1")


def test_consent_must_be_true_not_just_present():
    with pytest.raises(IncompleteLeadError):
        build_submission({**COMPLETE, "consent": "yes"}, conversation_id="visitor-1")


def test_transcript_keeps_visitor_and_bot_turns_in_order():
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hi", "timestamp": 1_700_000_000.0, "metadata": {}},
        {"event": "bot", "text": "Hello!", "timestamp": 1_700_000_001.0},
        {"event": "bot", "text": None, "timestamp": 1_700_000_002.0},
        {"event": "user", "text": "I need devs", "metadata": {"page_url": "https://x.test/a"}},
    ]
    turns = transcript(events)
    assert [(turn.speaker, turn.text) for turn in turns] == [
        ("visitor", "hi"),
        ("bot", "Hello!"),
        ("visitor", "I need devs"),
    ]
    assert turns[0].at == datetime.fromtimestamp(1_700_000_000, tz=timezone.utc)
    assert page_url(events) == "https://x.test/a"


def test_a_call_back_needs_a_name_and_a_phone_but_no_team_or_email():
    slots = {
        "lead_kind": "callback",
        "name": "Tom Baker",
        "phone": "+44 20 7946 0958",
        "consent": True,
        "consent_given_at": "2026-11-23T10:00:00+00:00",
        "lead_request_id": "run-2",
    }
    submission = build_submission(slots, conversation_id="visitor-2")
    assert submission.kind is LeadKind.CALLBACK
    assert (submission.roles, submission.team_size, submission.email) == ((), None, None)
    with pytest.raises(IncompleteLeadError) as error:
        build_submission({**slots, "phone": None}, conversation_id="visitor-2")
    assert error.value.missing == ("phone",)


def test_a_candidate_needs_their_work_a_name_and_an_email():
    slots = {**COMPLETE, "lead_kind": "candidate", "team_size": None, "company": None}
    assert build_submission(slots, conversation_id="visitor-3").kind is LeadKind.CANDIDATE
    with pytest.raises(IncompleteLeadError) as error:
        build_submission({**slots, "roles": None}, conversation_id="visitor-3")
    assert error.value.missing == ("roles",)
