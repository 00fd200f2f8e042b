"""lead_to_dict: the lead as JSON-ready data for the webhook, the email and the sales API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from hypothesis import given

from bot.leads.model import LeadStatus, LeadSubmission, StoredLead, TranscriptTurn
from bot.leads.serialize import lead_to_dict, submission_from_dict, submission_to_dict
from tests.bot.leads.conftest import START
from tests.bot.leads.strategies import stored_leads, submissions

MakeSubmission = Callable[..., LeadSubmission]


def stored(submission: LeadSubmission, **fields: object) -> StoredLead:
    """A stored lead of ``submission`` (id 7, version 2, contacted) unless told otherwise."""
    values: dict[str, object] = {
        "id": 7,
        "submission": submission,
        "status": LeadStatus.CONTACTED,
        "notes": "call back on Friday",
        "version": 2,
        "created_at": START,
        "updated_at": START + timedelta(minutes=10),
    }
    values.update(fields)
    return StoredLead(**values)  # type: ignore[arg-type]


def test_lead_to_dict_lays_out_every_field(make_submission: MakeSubmission) -> None:
    lead = stored(make_submission())

    assert lead_to_dict(lead) == {
        "id": 7,
        "status": "contacted",
        "notes": "call back on Friday",
        "version": 2,
        "created_at": "2024-05-02T10:00:00+00:00",
        "updated_at": "2024-05-02T10:10:00+00:00",
        "conversation_id": "conversation-1",
        "kind": "team",
        "roles": ["Python developer", "QA engineer"],
        "team_size": 3,
        "seniority": ["senior", "middle"],
        "tech_stack": ["Python", "Django", "PostgreSQL"],
        "engagement_model": "outstaffing",
        "start_text": "early June",
        "start_date": "2024-06-03",
        "duration": "6 months",
        "budget": "$40k per month",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "company": "Analytical Engines Ltd",
        "phone": "+44 20 7946 0000",
        "consent": {
            "text": "May we store your details to contact you about this request?",
            "given_at": "2024-05-02T09:59:00+00:00",
        },
        "page_url": "https://agency.example/hire?utm_source=ads",
        "possible_duplicate_of": None,
        "transcript": [
            {
                "speaker": "visitor",
                "text": "We need three developers",
                "at": "2024-05-02T09:55:00+00:00",
            },
            {
                "speaker": "bot",
                "text": "Happy to help! Which roles?",
                "at": "2024-05-02T09:55:00+00:00",
            },
        ],
    }


def test_lead_to_dict_can_leave_the_transcript_out(make_submission: MakeSubmission) -> None:
    data = lead_to_dict(stored(make_submission()), include_transcript=False)

    assert "transcript" not in data
    assert data["name"] == "Ada Lovelace"


def test_missing_optional_fields_are_null(make_submission: MakeSubmission) -> None:
    submission = make_submission(
        start_date=None, duration=None, budget=None, phone=None, page_url=None, transcript=()
    )

    data = lead_to_dict(stored(submission))

    assert [data[key] for key in ("start_date", "duration", "budget", "phone", "page_url")] == [
        None
    ] * 5
    assert data["transcript"] == []


def test_times_in_other_zones_are_written_in_utc(make_submission: MakeSubmission) -> None:
    kyiv = timezone(timedelta(hours=3))
    submission = make_submission(
        consent_given_at=datetime(2024, 5, 2, 13, 0, tzinfo=kyiv),
        transcript=(TranscriptTurn("visitor", "hi", datetime(2024, 5, 2, 12, 59, tzinfo=kyiv)),),
    )

    data = lead_to_dict(stored(submission, created_at=datetime(2024, 5, 2, 13, 1, tzinfo=kyiv)))

    assert data["consent"]["given_at"] == "2024-05-02T10:00:00+00:00"
    assert data["transcript"][0]["at"] == "2024-05-02T09:59:00+00:00"
    assert data["created_at"] == "2024-05-02T10:01:00+00:00"


def test_markup_and_quotes_are_passed_through_untouched(make_submission: MakeSubmission) -> None:
    submission = make_submission(name="Robert'); DROP TABLE leads;--", company="<b>Acme</b>")

    data = lead_to_dict(stored(submission))

    assert (data["name"], data["company"]) == ("Robert'); DROP TABLE leads;--", "<b>Acme</b>")


@given(stored_leads)
def test_any_lead_becomes_json_that_keeps_its_instants(lead: StoredLead) -> None:
    data = json.loads(json.dumps(lead_to_dict(lead)))

    assert data["id"] == lead.id
    assert datetime.fromisoformat(data["created_at"]) == lead.created_at
    assert datetime.fromisoformat(data["consent"]["given_at"]) == lead.submission.consent_given_at
    assert [datetime.fromisoformat(turn["at"]) for turn in data["transcript"]] == [
        turn.at for turn in lead.submission.transcript
    ]
    assert data["roles"] == list(lead.submission.roles)


def test_a_naive_time_is_taken_as_utc_whatever_the_local_zone(
    make_submission: MakeSubmission,
) -> None:
    submission = make_submission(
        transcript=(TranscriptTurn("bot", "hello", datetime(2024, 5, 2, 9, 0)),)
    )

    data = lead_to_dict(stored(submission))

    assert data["transcript"][0]["at"] == "2024-05-02T09:00:00+00:00"


@given(submissions)
def test_a_submission_reads_back_as_written(submission: LeadSubmission) -> None:
    data = json.loads(json.dumps(submission_to_dict(submission)))
    assert submission_from_dict(data) == submission
