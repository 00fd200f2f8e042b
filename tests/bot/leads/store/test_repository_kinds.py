"""Leads of other kinds than a team: call backs (a name and a number) and
candidates' profiles (kept apart from sales), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from bot.leads.model import SALES_KINDS, LeadKind, LeadSubmission
from bot.leads.serialize import lead_to_dict
from bot.leads.store import LeadRepository
from tests.bot.leads.conftest import Clock

MakeSubmission = Callable[..., LeadSubmission]
CHANNELS = ("webhook", "email")


def call_back(make_submission: MakeSubmission, **overrides: object) -> LeadSubmission:
    """A call back as the form stores it: a name and a number, no team, no email."""
    fields = {
        "kind": LeadKind.CALLBACK,
        "roles": (),
        "team_size": None,
        "seniority": (),
        "tech_stack": (),
        "engagement_model": None,
        "start_text": None,
        "start_date": None,
        "email": None,
        "company": None,
        "duration": None,
        "budget": None,
    }
    return make_submission(**{**fields, **overrides})


def test_a_call_back_without_a_team_or_an_email_reads_back_as_given(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=CHANNELS, clock=clock)
    submission = call_back(make_submission)

    lead = repository.get(repository.submit(submission).lead_id)

    assert lead.submission == submission
    assert (lead.submission.team_size, lead.submission.email) == (None, None)
    payload = lead_to_dict(lead)
    assert (payload["kind"], payload["team_size"], payload["email"]) == ("callback", None, None)
    assert [d.channel for d in repository.deliveries(lead.id)] == list(CHANNELS)


def test_call_backs_without_an_email_are_never_linked_as_duplicates(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    first = repository.submit(call_back(make_submission, conversation_id="a", request_key="1"))
    second = repository.submit(call_back(make_submission, conversation_id="b", request_key="2"))

    assert repository.get(first.lead_id).possible_duplicate_of is None
    assert repository.get(second.lead_id).possible_duplicate_of is None


def test_a_candidate_profile_is_stored_but_never_delivered_to_sales(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=CHANNELS, clock=clock)
    profile = make_submission(kind=LeadKind.CANDIDATE, team_size=None, company=None)

    outcome = repository.submit(profile)

    assert outcome.delivery_ids == ()
    assert repository.deliveries(outcome.lead_id) == []
    assert repository.get(outcome.lead_id).submission.kind is LeadKind.CANDIDATE


def test_the_sales_lists_leave_candidates_apart(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    for number, kind in enumerate(LeadKind):
        repository.submit(
            make_submission(kind=kind, conversation_id=f"c{number}", request_key=f"r{number}")
        )

    sales = repository.list(kinds=SALES_KINDS)
    candidates = repository.list(kinds=(LeadKind.CANDIDATE,))

    assert sorted(lead.submission.kind.value for lead in sales) == ["callback", "team"]
    assert [lead.submission.kind for lead in candidates] == [LeadKind.CANDIDATE]
    assert repository.count(kinds=SALES_KINDS) == 2
    assert repository.count() == len(repository.list()) == 3


def test_a_call_back_after_a_team_request_of_the_same_conversation_is_a_lead_of_its_own(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    team = repository.submit(make_submission(request_key="team-run"))
    clock.advance(minutes=5)
    callback = repository.submit(call_back(make_submission, request_key="callback-run"))

    assert callback.action == "created"
    assert callback.lead_id != team.lead_id
    assert repository.get(team.lead_id).submission == make_submission(request_key="team-run")
