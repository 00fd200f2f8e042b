"""Properties of the lead store: whatever a visitor typed comes back exactly."""

from __future__ import annotations

import uuid
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from bot.leads.model import LeadSubmission
from bot.leads.serialize import lead_to_dict
from bot.leads.store import LeadRepository
from bot.leads.store.records import storable
from tests.bot.leads.strategies import submissions

# The engine is shared by the examples on purpose: each submits a lead of its own
# (unique conversation, request key and email), so they cannot match each other.
STORE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def unrelated(submission: LeadSubmission) -> LeadSubmission:
    """The submission with a conversation, request key and email no other example has."""
    unique = uuid.uuid4().hex
    return replace(
        submission,
        conversation_id=f"{unique}{submission.conversation_id}",
        request_key=f"{unique}{submission.request_key}",
        email=f"{unique}{submission.email}",
    )


@STORE_SETTINGS
@given(submission=submissions.map(unrelated))
def test_any_submission_comes_back_exactly_as_submitted(
    engine: Engine, submission: LeadSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",))

    outcome = repository.submit(submission)

    lead = repository.get(outcome.lead_id)
    assert outcome.action == "created"
    assert lead.submission == submission
    assert repository.deliveries(lead.id)[0].payload == lead_to_dict(lead)


@STORE_SETTINGS
@given(submission=submissions.map(unrelated))
def test_submitting_any_lead_twice_leaves_it_unchanged(
    engine: Engine, submission: LeadSubmission
) -> None:
    repository = LeadRepository(engine)

    first = repository.submit(submission)
    second = repository.submit(submission)

    assert (second.lead_id, second.action, second.version) == (first.lead_id, "unchanged", 1)


@given(st.text())
def test_storable_text_has_no_nul_and_is_idempotent(text: str) -> None:
    cleaned = storable(text)

    assert "\x00" not in cleaned
    assert storable(cleaned) == cleaned
    cleaned.encode("utf-8")  # no lone surrogate left


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
def test_storable_text_keeps_every_other_character(text: str) -> None:
    assert storable(text) == text
